package dev.tokendyn.jupyter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tokendyn jupyter}: installs the kernel for the current user and starts Jupyter on the project's
 * notebooks; {@code tokendyn jupyter install} only installs; {@code tokendyn jupyter convert} turns
 * JShell notebooks into {@code .ipynb}. Exit codes as for {@code tokendyn}: 0, 1 failure, 2 usage error
 * (Jupyter missing included).
 */
@Command(
    name = "jupyter",
    mixinStandardHelpOptions = true,
    description = {
      "Installs the tokendyn Java kernel for the current user, then starts 'jupyter notebook' in notebooks-java/.",
      "Extra arguments go to 'jupyter notebook' (for example --no-browser --port 8899)."},
    subcommands = {JupyterMain.Install.class, JupyterMain.Convert.class})
public final class JupyterMain implements Callable<Integer> {

  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  /** The Debian packages that give Jupyter, the notebook server, nbconvert and nbclient. */
  static final String APT_LINE = "sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "0..*", paramLabel = "ARG", description = "passed to 'jupyter notebook'")
  List<String> notebookArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!Jupyter.has(List.of("notebook", "--version"))) {
      return missing(err, "jupyter notebook");
    }
    int code = Install.install(out, err);
    if (code != OK) {
      return code;
    }
    Path dir = home().resolve("notebooks-java");
    List<String> cmd = new ArrayList<>(List.of("jupyter", "notebook", "--notebook-dir=" + dir));
    cmd.addAll(notebookArgs);
    out.println("starting: " + String.join(" ", cmd));
    out.flush();
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
    // Ctrl-C reaches Jupyter through the terminal; a kill of this JVM alone takes Jupyter with it
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
    return p.waitFor();
  }

  static int missing(PrintWriter err, String what) {
    err.println("tokendyn jupyter: error: " + what + " is not installed. Install Jupyter from Debian's packages:");
    err.println("  " + APT_LINE);
    err.flush();
    return USAGE;
  }

  /** The project's root: {@code TOKENDYN_HOME}, as the launcher sets it, or the working directory. */
  static Path home() {
    String h = System.getenv("TOKENDYN_HOME");
    return (h == null || h.isBlank() ? Path.of("") : Path.of(h)).toAbsolutePath().normalize();
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command with the given streams and returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = new CommandLine(new JupyterMain());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCommandName("tokendyn jupyter");
    // options that are not ours (--no-browser, --port 8899) go to 'jupyter notebook'
    cl.setUnmatchedOptionsArePositionalParams(true);
    cl.setExitCodeExceptionMapper(t -> t instanceof IllegalArgumentException
        || t instanceof CommandLine.ParameterException ? USAGE : FAILURE);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter e = commandLine.getErr();
      e.println("tokendyn jupyter: error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
      e.flush();
      return ex instanceof IllegalArgumentException ? USAGE : FAILURE;
    });
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** {@code tokendyn jupyter install}. */
  @Command(name = "install", mixinStandardHelpOptions = true,
      description = "Writes the kernelspec \"tokendyn (Java 17)\" for the current user (jupyter kernelspec install"
          + " --user). JVM options for the kernel come from TOKENDYN_KERNEL_OPTS, for example -Xmx8g.")
  static final class Install implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      return install(spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    static int install(PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
      if (!Jupyter.has(List.of("kernelspec", "--version"))) {
        return missing(err, "Jupyter (jupyter kernelspec)");
      }
      String opts = System.getenv("TOKENDYN_KERNEL_OPTS");
      List<String> jvm = opts == null || opts.isBlank() ? List.of() : List.of(opts.strip().split("\\s+"));
      KernelSpec spec = KernelSpec.ofThisJvm(jvm);
      Path dir = Files.createTempDirectory("tokendyn-kernelspec");
      try {
        Path kdir = Files.createDirectory(dir.resolve(KernelSpec.NAME));
        Files.writeString(kdir.resolve("kernel.json"), spec.toJson(), StandardCharsets.UTF_8);
        Jupyter.Result r = Jupyter.run(List.of("kernelspec", "install", "--user", "--replace", "--name",
            KernelSpec.NAME, kdir.toString()));
        if (r.code() != 0) {
          err.println("tokendyn jupyter install: error: jupyter kernelspec install failed (exit " + r.code() + "): "
              + r.output().strip());
          return FAILURE;
        }
        String[] said = r.output().strip().split("\\R");
        String where = said[said.length - 1].replaceFirst("^\\[InstallKernelSpec\\] Installed kernelspec \\S+ in ", "");
        out.println("installed the kernel '" + KernelSpec.DISPLAY_NAME + "' in " + where);
        return OK;
      } finally {
        try (var s = Files.walk(dir)) {
          s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  /** {@code tokendyn jupyter convert}. */
  @Command(name = "convert", mixinStandardHelpOptions = true,
      description = "Turns JShell notebooks (.jsh) of the project's style into Jupyter notebooks (.ipynb) on the"
          + " tokendyn kernel, without outputs, beside each input; run them with 'jupyter nbconvert --execute'.")
  static final class Convert implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE.jsh", description = "the JShell notebooks")
    List<Path> inputs;

    @Option(names = "--force", description = "overwrite an existing .ipynb")
    boolean force;

    @Override
    public Integer call() throws IOException {
      ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      for (Path in : inputs) {
        String file = in.getFileName().toString();
        if (!file.endsWith(".jsh")) {
          throw new IllegalArgumentException(in + " is not a .jsh file");
        }
        if (!Files.isRegularFile(in)) {
          throw new IllegalArgumentException(in + " does not exist");
        }
        String name = file.substring(0, file.length() - 4);
        Path target = in.resolveSibling(name + ".ipynb");
        if (Files.exists(target) && !force) {
          throw new IllegalArgumentException(target + " exists; give --force to overwrite it");
        }
        ObjectNode nb = JshNotebooks.convert(name, Files.readString(in, StandardCharsets.UTF_8));
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + name, ".tmp");
        try {
          Files.writeString(tmp, m.writeValueAsString(nb) + "\n", StandardCharsets.UTF_8);
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
        spec.commandLine().getOut().println("wrote " + target);
      }
      return OK;
    }
  }

  /** Runs the {@code jupyter} command. */
  static final class Jupyter {
    record Result(int code, String output) {
    }

    static boolean has(List<String> args) {
      try {
        return run(args).code() == 0;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    /** Runs {@code jupyter} (the system property {@code tokendyn.jupyter} names another executable, for tests). */
    static Result run(List<String> args) throws IOException, InterruptedException {
      List<String> cmd = new ArrayList<>();
      cmd.add(System.getProperty("tokendyn.jupyter", "jupyter"));
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      byte[] bytes = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(124, "timed out");
      }
      return new Result(p.exitValue(), new String(bytes, StandardCharsets.UTF_8));
    }
  }
}
