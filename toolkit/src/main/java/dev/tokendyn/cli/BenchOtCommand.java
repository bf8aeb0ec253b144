package dev.tokendyn.cli;

import dev.tokendyn.bench.OtBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn bench ot}: the transport solvers against POT's, side by side on the same files. */
@Command(
    name = "ot",
    mixinStandardHelpOptions = true,
    description = {
      "Writes the clouds of each workload to .npy files and times tokendyn and POT (under /usr/bin/python3) on",
      "those same files: in process (exact OT, Sinkhorn, sliced at n = 512 and 2048) and as whole processes, as a",
      "user runs them (exact OT at n = 1000, Sinkhorn at 4000, and with --large at 20,000); prints the ratios."
    })
public final class BenchOtCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--no-peers", description = "time our solvers only")
  boolean noPeers;

  @Option(names = "--large", description = "also Sinkhorn at n = m = 20,000 whole process (POT needs about 16 GB)")
  boolean large;

  @Option(names = "--peer-timeout", defaultValue = "900", paramLabel = "S",
      description = "seconds to wait for each process (default: ${DEFAULT-VALUE})")
  long peerTimeout;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    err.println("tokendyn bench ot: timing ours" + (noPeers ? "" : " and POT") + " on the same files ...");
    err.flush();
    List<OtBenchmark.Row> rows = OtBenchmark.run(!noPeers, large, peerTimeout);
    boolean allMet = true;
    for (String line : OtBenchmark.table(rows)) {
      out.println(line);
    }
    for (OtBenchmark.Row r : rows) {
      allMet &= r.meetsBar();
    }
    out.println("ratios are ours / POT; whole process: wall time and peak resident memory of one run of each side");
    out.println(noPeers ? "peer not run: no ratios" : allMet ? "all bars met" : "some bars not met");
    return Main.OK;
  }
}
