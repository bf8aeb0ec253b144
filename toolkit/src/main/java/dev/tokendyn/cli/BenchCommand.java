package dev.tokendyn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tokendyn bench}: benchmarks that run the peers side by side; see its subcommands. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Time tokendyn's hot paths against the peers (numpy, PyTorch, POT) in one run and print the ratios.",
    subcommands = {BenchSimulateCommand.class, BenchOtCommand.class, BenchExtractCommand.class,
        BenchAnalyzeCommand.class})
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
