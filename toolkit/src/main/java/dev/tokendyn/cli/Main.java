package dev.tokendyn.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tokendyn} command line. Exit codes: 0 success, 2 usage error (bad option or bad input),
 * 1 failure (an error while running).
 */
@Command(
    name = "tokendyn",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Token representations as interacting particles: simulate, extract and measure.",
    subcommands = {
      SimulateCommand.class,
      ClosureCommand.class,
      MeanFieldCommand.class,
      SweepCommand.class,
      OtCommand.class,
      MetricsCommand.class,
      AnalyzeCommand.class,
      FitCommand.class,
      InterveneCommand.class,
      DemoCommand.class,
      ExtractCommand.class,
      ModelsCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Success. */
  public static final int OK = 0;
  /** A failure while running. */
  public static final int FAILURE = 1;
  /** A usage error: a bad option, value or input file. */
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command line with the given streams and returns the exit code; for tests and notebooks. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine(out, err);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(new Main(), "tokendyn", out, err);
  }

  /**
   * A command line with tokendyn's conventions around {@code root}: case-insensitive enums, exit code 2
   * and a one-line message for usage errors, 1 for failures, no stack trace unless TOKENDYN_DEBUG is set.
   *
   * @param name shown before the subcommand in error messages ("tokendyn" gives "tokendyn sweep: error: ...")
   */
  public static CommandLine commandLine(Object root, String name, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(root);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // picocli consults this mapper for bad options too (ParameterException): those are usage errors
    cl.setExitCodeExceptionMapper(t -> t instanceof IllegalArgumentException || t instanceof UsageException
        || t instanceof CommandLine.ParameterException ? USAGE : FAILURE);
    // a command with --threads runs inside a pool of that many threads
    cl.setExecutionStrategy(parsed -> {
      ThreadsOption t = ThreadsOption.of(parsed);
      return t == null ? new CommandLine.RunLast().execute(parsed) : t.execute(parsed);
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      String cmd = name + " " + commandLine.getCommandName();
      PrintWriter e = commandLine.getErr();
      if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
        e.println(cmd + ": error: " + ex.getMessage());
        e.println("Try '" + cmd + " --help' for the options.");
        e.flush();
        return USAGE;
      }
      e.println(cmd + ": error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
      if (System.getenv("TOKENDYN_DEBUG") != null) {
        ex.printStackTrace(e);
      }
      e.flush();
      return FAILURE;
    });
    return cl;
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"tokendyn " + (v == null ? "(development build)" : v)};
    }
  }
}
