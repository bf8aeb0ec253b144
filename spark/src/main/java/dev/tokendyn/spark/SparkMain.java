package dev.tokendyn.spark;

import dev.tokendyn.cli.Main;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tokendyn spark}: tokendyn's jobs on Spark. The main class of {@code tokendyn-spark.jar} for
 * {@code spark-submit}, and what {@code ./tokendyn spark} runs. Exit codes as {@link Main}'s.
 */
@Command(
    name = "tokendyn spark",
    mixinStandardHelpOptions = true,
    description = "tokendyn's jobs on Apache Spark, with the same numbers as the local commands.",
    subcommands = {SparkSweepCommand.class, SparkAnalyzeCommand.class, CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
  }

  /** Runs the command line with the given streams and returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = Main.commandLine(new SparkMain(), "tokendyn spark", out, err);
    int code = cl.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
