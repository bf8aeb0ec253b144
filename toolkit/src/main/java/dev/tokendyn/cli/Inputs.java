package dev.tokendyn.cli;

import dev.tokendyn.cloud.CloudFiles;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the user's input files, where a failure is a usage error (exit 2) that names the file. */
public final class Inputs {
  private Inputs() {}

  static TokenCloud cloud(Path path, String what) {
    try {
      return CloudFiles.readCloud(path);
    } catch (IOException e) {
      throw new UsageException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  static CloudSequence sequence(Path path, String what) {
    try {
      return CloudFiles.readSequence(path);
    } catch (IOException e) {
      throw new UsageException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  /** One sequence per text: the texts of an extraction, or the single sequence a file holds. */
  static java.util.List<CloudSequence> sequences(Path path, String what) {
    try {
      return CloudFiles.readSequences(path);
    } catch (IOException e) {
      throw new UsageException("cannot read " + what + ": " + e.getMessage(), e);
    }
  }

  /** Rejects an output path whose parent is a file, before any work is done. */
  static void checkOutput(Path out, String option) {
    Path parent = out.toAbsolutePath().getParent();
    if (Files.isDirectory(out)) {
      throw new UsageException(option + " " + out + " is a folder; give a file name such as " + out.resolve("out.json"));
    }
    if (parent != null && Files.exists(parent) && !Files.isDirectory(parent)) {
      throw new UsageException(option + " " + out + ": " + parent + " is not a folder");
    }
  }

  /** Rejects an output folder that holds something, unless replacing was asked for. */
  /** Refuses an output folder that is a file, or that is not empty without {@code --force}. */
  public static void checkOutputFolder(Path out, boolean replace) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException("--out " + out + " is a file; give a folder");
    }
    if (!replace && Files.isDirectory(out)) {
      try (var entries = Files.list(out)) {
        if (entries.findAny().isPresent()) {
          throw new UsageException("--out " + out + " exists and is not empty; choose a new folder or add --force to"
              + " replace it");
        }
      } catch (java.io.IOException e) {
        throw new UsageException("cannot read --out folder " + out + ": " + e.getMessage(), e);
      }
    }
  }

  /** The non-blank lines of a UTF-8 text file, stripped: one text a line. */
  static java.util.List<String> texts(Path input) {
    if (!Files.isRegularFile(input)) {
      throw new UsageException("--input " + input + ": no such file");
    }
    java.util.List<String> lines;
    try {
      lines = Files.readAllLines(input, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("--input " + input + ": cannot read as UTF-8 text: " + e.getMessage(), e);
    }
    java.util.List<String> texts = new java.util.ArrayList<>();
    for (String l : lines) {
      if (!l.isBlank()) {
        texts.add(l.strip());
      }
    }
    if (texts.isEmpty()) {
      throw new UsageException("--input " + input + " holds no text; give one text a line");
    }
    return texts;
  }
}
