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
    footer = {"", "Jupyter notebooks in Java: 'tokendyn jupyter' installs the tokendyn kernel and starts Jupyter"
        + " (see 'tokendyn jupyter --help')."},
    subcommands = {
      SimulateCommand.class,
      ClosureCommand.class,
      MeanFieldCommand.class,
      SweepCommand.class,
      OtCommand.class,
      MetricsCommand.class,
      AnalyzeCommand.class,
      FitCommand.class,
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
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      // without it the first SIMD kernel fails with NoClassDefFoundError: jdk/incubator/vector/Vector
      System.err.println("tokendyn: error: the JDK's Vector API module is not loaded; run java with"
          + " --add-modules jdk.incubator.vector (the ./tokendyn launcher adds it)");
      System.exit(USAGE);
    }
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
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Main::commandList);
    // picocli consults this mapper for bad options too (ParameterException): those are usage errors
    cl.setExitCodeExceptionMapper(t -> t instanceof IllegalArgumentException || t instanceof UsageException
        || t instanceof CommandLine.ParameterException ? USAGE : FAILURE);
    // a command with --threads runs inside a pool of that many threads
    cl.setExecutionStrategy(parsed -> {
      ThreadsOption t = ThreadsOption.of(parsed);
      return t == null ? new CommandLine.RunLast().execute(parsed) : t.execute(parsed);
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      String cmd = commandLine.getCommandName();
      PrintWriter e = commandLine.getErr();
      if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
        e.println("tokendyn " + cmd + ": error: " + optionNames(commandLine.getCommandSpec(), ex.getMessage()));
        e.println("Try 'tokendyn " + cmd + " --help' for the options.");
        e.flush();
        return USAGE;
      }
      e.println("tokendyn " + cmd + ": error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
      if (System.getenv("TOKENDYN_DEBUG") != null) {
        ex.printStackTrace(e);
      }
      e.flush();
      return FAILURE;
    });
    return cl;
  }

  /** Library parameters whose option has another name. */
  private static final java.util.Map<String, String> OPTION_OF_PARAMETER = java.util.Map.of("stopThr", "--tol");

  /**
   * A library message as the command's user reads it: a parameter named at the start of the message
   * ({@code recordEvery must be >= 1}) becomes the option that sets it ({@code --record-every}), when the
   * command has that option.
   */
  static String optionNames(CommandLine.Model.CommandSpec spec, String message) {
    if (message == null) {
      return "";
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([a-z]+[A-Z][A-Za-z]*)\\b").matcher(message);
    if (!m.find()) {
      return message;
    }
    String param = m.group(1);
    String option = OPTION_OF_PARAMETER.getOrDefault(param,
        "--" + param.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT));
    return spec.findOption(option) != null ? option + message.substring(param.length()) : message;
  }

  /**
   * The list of commands in the top-level help: each command with the first sentence of its description,
   * whole (picocli's default shows the first line of the description, which may stop mid-sentence).
   */
  static String commandList(CommandLine.Help help) {
    var subs = help.subcommands();
    if (subs.isEmpty()) {
      return "";
    }
    int key = 2;
    for (String name : subs.keySet()) {
      key = Math.max(key, name.length() + 4);
    }
    int width = help.commandSpec().usageMessage().width();
    CommandLine.Help.TextTable table = CommandLine.Help.TextTable.forColumns(help.colorScheme(),
        new CommandLine.Help.Column(key, 2, CommandLine.Help.Column.Overflow.SPAN),
        new CommandLine.Help.Column(width - key, 2, CommandLine.Help.Column.Overflow.WRAP));
    for (var e : subs.entrySet()) {
      table.addRowValues(e.getKey(), firstSentence(e.getValue().commandSpec().usageMessage().description()));
    }
    return table.toString();
  }

  /** The first sentence of a description given as lines: up to the first full stop that ends a word. */
  static String firstSentence(String[] lines) {
    String text = String.join(" ", lines).replaceAll("\\s+", " ").strip();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.(\\s|$)").matcher(text);
    while (m.find()) {
      String before = text.substring(0, m.start());
      // "e.g." and "i.e." do not end a sentence
      if (!before.endsWith("e.g") && !before.endsWith("i.e")) {
        return text.substring(0, m.start() + 1);
      }
    }
    return text;
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
