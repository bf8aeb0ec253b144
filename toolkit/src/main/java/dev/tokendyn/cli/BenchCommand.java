package dev.tokendyn.cli;

import picocli.CommandLine.Command;

/** Benchmarks of the hot paths, each run side by side with its peer. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Time tokendyn's hot paths against the peers (numpy, PyTorch, POT) in one run and print the ratios.",
    subcommands = {BenchSimulateCommand.class, BenchExtractCommand.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
