package dev.tokendyn.cli;

import dev.tokendyn.cloud.AtomicFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The user's output paths, checked before any work: never one of the command's inputs, never a folder
 * that tokendyn did not write, parent folders only with {@code --parents}. The writing itself follows
 * {@link AtomicFiles}. Each check also removes the temporaries that a killed run left in the same folder,
 * with a note.
 */
final class Outputs {
  /** {@code -} in place of a file name: standard output. */
  static final String STDOUT = "-";

  private Outputs() {}

  /** An input of the command, under the option that gave it. */
  record In(String option, Path path) {}

  static In in(String option, Path path) {
    return new In(option, path);
  }

  /** Whether {@code out} is {@code -}, standard output. */
  static boolean isStdout(Path out) {
    return out != null && out.toString().equals(STDOUT);
  }

  /**
   * Checks an output file and returns the path to write ({@code /dev/stdout} for {@code -}).
   *
   * @throws UsageException naming the option when the file may not be written
   */
  static Path file(CommandSpec spec, Path out, String option, boolean parents, In... inputs) {
    if (isStdout(out)) {
      return Path.of("/dev/stdout");
    }
    switch (AtomicFiles.kind(out)) {
      case FOLDER -> throw new UsageException(option + " " + out + " is a folder; give a file name such as "
          + out.resolve("out.json"));
      case OTHER -> throw new UsageException(option + " " + out + " is a device or socket that tokendyn does not"
          + " write to; give a file, or - for standard output");
      case STREAM -> {
        return out; // a pipe or character device is written to directly
      }
      default -> { }
    }
    Path real = resolve(out, option);
    parentFolder(spec, out, real, option, parents);
    for (In i : inputs) {
      if (i != null && i.path() != null && !isStdout(i.path()) && same(real, i.path())) {
        throw new UsageException(option + " " + out + " is the input " + i.option() + " " + i.path()
            + "; tokendyn never writes over its inputs: give another output name");
      }
    }
    return out;
  }

  /**
   * Checks an output folder: it may be written when it is missing or empty, or, with {@code force}, when
   * tokendyn wrote it (its marker lists every file in it); it must not hold an input.
   *
   * @throws UsageException naming the option when the folder may not be written
   */
  static Path folder(CommandSpec spec, Path out, String option, boolean force, boolean parents, In... inputs) {
    Path real = resolve(out, option);
    for (In i : inputs) {
      if (i != null && i.path() != null && !isStdout(i.path()) && inside(i.path(), real)) {
        throw new UsageException(option + " " + out + " holds the input " + i.option() + " " + i.path()
            + ", which replacing the folder would delete; give another output folder");
      }
    }
    String problem;
    try {
      problem = AtomicFiles.folderProblem(out, force);
    } catch (IOException e) {
      throw new UsageException("cannot read " + option + " folder " + out + ": " + e.getMessage(), e);
    }
    if (problem != null) {
      throw new UsageException(option + " " + out + " " + problem
          + (force || !problem.startsWith("exists and is not empty") ? ""
          : "; choose a new folder, or add --force to replace a folder that tokendyn wrote"));
    }
    parentFolder(spec, out, real, option, parents);
    return out;
  }

  private static Path resolve(Path out, String option) {
    try {
      return AtomicFiles.resolve(out);
    } catch (IOException e) {
      throw new UsageException(option + " " + out + ": " + e.getMessage(), e);
    }
  }

  /** The parent must be a folder; a missing one is created with --parents only. Stale temporaries go. */
  private static void parentFolder(CommandSpec spec, Path out, Path real, String option, boolean parents) {
    Path parent = real.getParent();
    if (parent == null) {
      return;
    }
    if (Files.exists(parent) && !Files.isDirectory(parent)) {
      throw new UsageException(option + " " + out + ": " + parent + " is not a folder");
    }
    if (!Files.exists(parent)) {
      if (!parents) {
        throw new UsageException(option + " " + out + ": the folder " + parent + " does not exist; create it, or add"
            + " --parents to have it created");
      }
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new UsageException(option + " " + out + ": cannot create the folder " + parent + ": " + e.getMessage(), e);
      }
    }
    try {
      PrintWriter err = spec.commandLine().getErr();
      for (String note : AtomicFiles.removeStale(parent)) {
        err.println("tokendyn " + spec.name() + ": note: " + note);
      }
      err.flush();
    } catch (IOException e) {
      // a stale temporary that cannot be removed is no reason to refuse the run
    }
  }

  private static boolean same(Path real, Path input) {
    try {
      return Files.exists(real) && Files.exists(input) && Files.isSameFile(real, input);
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether {@code input} is {@code folder} or lies inside it. */
  private static boolean inside(Path input, Path folder) {
    try {
      return Files.exists(input) && Files.exists(folder) && input.toRealPath().startsWith(folder.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Where a command says what it wrote: its output, or its error stream when the document itself goes to
   * standard output ({@code -}), so that the document stays whole.
   */
  static PrintWriter status(CommandSpec spec, Path out) {
    return isStdout(out) ? spec.commandLine().getErr() : spec.commandLine().getOut();
  }

  /** Tells the user that a document holds null where a number was not finite. */
  static void nonFinite(CommandSpec spec, Path out, int count) {
    if (count > 0) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("tokendyn " + spec.name() + ": warning: " + count + (count == 1 ? " number" : " numbers") + " in "
          + (isStdout(out) ? "the output" : out) + " came out NaN or infinite and " + (count == 1 ? "is" : "are")
          + " written as null; check the input's scale and the parameters");
      err.flush();
    }
  }
}
