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
        + " (see 'tokendyn jupyter --help')."})
public final class Main implements Runnable {
  /** The subcommands, in the order that the usage message lists them. */
  static final java.util.List<Class<?>> SUBCOMMANDS = java.util.List.of(
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
      CommandLine.HelpCommand.class);

  /** Success. */
  public static final int OK = 0;
  /**
   * An environment variable: when set, a command line is parsed (the command, every option and its value's
   * type) and nothing runs. The test of the README's commands uses it for those that take hours.
   */
  public static final String PARSE_ONLY = "TOKENDYN_PARSE_ONLY";
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
    // a failure on another thread is reported in one line too, never as a stack trace
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
      System.err.println("tokendyn: error: " + describe(e));
      System.err.flush();
    });
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /**
   * Runs the command line with the given streams and returns the exit code; for tests and notebooks. No
   * exception or error leaves it: each becomes one line on {@code err} and an exit code.
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    int code;
    try {
      code = commandLine(out, err, args).execute(args);
    } catch (Throwable t) {
      // what picocli does not hand to the handler below: an Error such as OutOfMemoryError
      err.println("tokendyn: error: " + describe(t));
      code = FAILURE;
    }
    out.flush();
    err.flush();
    return code;
  }

  /** One line for a failure that is not the user's: the heap, the stack, or a fault to report. */
  static String describe(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryError) {
        long mb = Runtime.getRuntime().maxMemory() >> 20;
        return "out of memory (the Java heap holds at most " + mb + " MiB); give more, for example"
            + " TOKENDYN_JAVA_OPTS=-Xmx" + Math.max(2, 2 * mb / 1024 + 1) + "g, or make the problem smaller";
      }
      if (c instanceof StackOverflowError) {
        return "the input is nested too deeply (stack overflow); give more stack with TOKENDYN_JAVA_OPTS=-Xss64m";
      }
    }
    String msg = t.getMessage();
    // the documented failures, each with a message that says what went wrong: bad input, failed I/O, a broken
    // model file, and numerical trouble past recovery (a blow-up names the time and the fix)
    if (msg != null && (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException
        || t instanceof UsageException || t instanceof IllegalArgumentException || t instanceof ArithmeticException
        || t instanceof dev.tokendyn.model.ModelException)) {
      return msg;
    }
    return "internal error: " + t + "; please report it with the command line (TOKENDYN_DEBUG=1 shows where it"
        + " happened)";
  }

  /** The whole command line, every subcommand included. */
  static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return commandLine(out, err, new String[0]);
  }

  /**
   * The command line for these arguments: when the first names a subcommand, only that one is built.
   * picocli builds the model of each command it is given by reflection over its annotations, which took
   * about a quarter of a second of a short command's start for the thirteen of them; the usage message,
   * {@code help} and a mistyped name get them all, so that the listing and the suggestions are complete.
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
    Main root = new Main();
    CommandLine cl = new CommandLine(root);
    Class<?> only = args.length == 0 ? null : subcommandNamed(args[0]);
    for (Class<?> c : SUBCOMMANDS) {
      if (only == null || c == only) {
        cl.addSubcommand(c);
      }
    }
    return configure(cl, "tokendyn", out, err);
  }

  /** The subcommand whose name or alias is given, null for none and for {@code help} (which lists them all). */
  private static Class<?> subcommandNamed(String name) {
    for (Class<?> c : SUBCOMMANDS) {
      Command a = c.getAnnotation(Command.class);
      boolean named = a.name().equals(name) || java.util.Arrays.asList(a.aliases()).contains(name);
      if (named && c != CommandLine.HelpCommand.class) {
        return c;
      }
    }
    return null;
  }

  /**
   * A command line with tokendyn's conventions around {@code root}: case-insensitive enums, exit code 2
   * and a one-line message for usage errors, 1 for failures, no stack trace unless TOKENDYN_DEBUG is set.
   *
   * @param name shown before the subcommand in error messages ("tokendyn" gives "tokendyn sweep: error: ...")
   */
  public static CommandLine commandLine(Object root, String name, PrintWriter out, PrintWriter err) {
    return configure(new CommandLine(root), name, out, err);
  }

  /** Sets tokendyn's conventions on cl and on the subcommands it has now (picocli applies them to those only). */
  private static CommandLine configure(CommandLine cl, String name, PrintWriter out, PrintWriter err) {
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Main::commandList);
    // picocli consults this mapper for bad options too (ParameterException): those are usage errors
    cl.setExitCodeExceptionMapper(t -> t instanceof IllegalArgumentException || t instanceof UsageException
        || t instanceof CommandLine.ParameterException ? USAGE : FAILURE);
    // a command with --threads runs inside a pool of that many threads
    cl.setExecutionStrategy(parsed -> {
      if (System.getenv(PARSE_ONLY) != null && !parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested()) {
        // the README's commands that run for hours are checked this far in CI: the command and its options parse
        CommandLine leaf = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
        leaf.getErr().println(name + " " + leaf.getCommandName() + ": the command line parses (" + PARSE_ONLY
            + " is set, so nothing ran)");
        leaf.getErr().flush();
        return OK;
      }
      ThreadsOption t = ThreadsOption.of(parsed);
      return t == null ? new CommandLine.RunLast().execute(parsed) : t.execute(parsed);
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      String cmd = name + " " + commandLine.getCommandName();
      PrintWriter e = commandLine.getErr();
      if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
        e.println(cmd + ": error: " + OptionNames.inUserWords(ex.getMessage(), commandLine));
        e.println("Try '" + cmd + " --help' for the options.");
        e.flush();
        return USAGE;
      }
      e.println(cmd + ": error: " + OptionNames.inUserWords(describe(ex), commandLine));
      if (System.getenv("TOKENDYN_DEBUG") != null) {
        ex.printStackTrace(e);
      }
      e.flush();
      return FAILURE;
    });
    return cl;
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
