package dev.tokendyn.cli;

import dev.tokendyn.bench.OtBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn bench ot}: the transport solvers against POT's, side by side. */
@Command(
    name = "ot",
    mixinStandardHelpOptions = true,
    description = {
      "Times exact OT, Sinkhorn and sliced W2 on the workloads of bench_ot.py and, when the peer script is",
      "found, runs it (POT under /usr/bin/python3) in the same run and prints the ratios ours/POT."
    })
public final class BenchOtCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--peers", paramLabel = "DIR",
      description = "folder holding bench_ot.py (default: ../shared/peers from the working folder, if present)")
  Path peers;

  @Option(names = "--no-peers", description = "time our solvers only")
  boolean noPeers;

  @Option(names = "--peer-timeout", defaultValue = "900", paramLabel = "S",
      description = "seconds to wait for the peer script (default: ${DEFAULT-VALUE})")
  long peerTimeout;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path script = null;
    if (!noPeers) {
      Path dir = peers != null ? peers : Path.of("..", "shared", "peers");
      Path candidate = dir.resolve("bench_ot.py");
      if (Files.isRegularFile(candidate)) {
        script = candidate;
      } else if (peers != null) {
        throw new UsageException("--peers " + peers + ": no bench_ot.py there");
      } else {
        err.println("tokendyn bench ot: warning: no peer script at " + candidate + "; timing ours only");
      }
    }
    err.println("tokendyn bench ot: timing ours" + (script != null ? ", then POT (" + script + ")" : "") + " ...");
    err.flush();
    List<OtBenchmark.Row> rows = OtBenchmark.run(script, peerTimeout);
    out.printf("%-26s %10s %10s %7s %5s %6s %6s %6s %s%n", "workload", "ours s", "POT s", "ratio", "bar", "iters",
        "quiet", "quiet", "value ours / POT (data differ)");
    boolean allMet = true;
    for (OtBenchmark.Row r : rows) {
      out.printf("%-26s %10.5f %10.5f %7.3f %5s %6d %6s %6s %.6g / %.6g%s%n", r.workload(), r.oursSeconds(),
          r.peerSeconds(), r.ratio(), Double.isNaN(r.bar()) ? "-" : String.format("%.2f", r.bar()), r.oursIterations(),
          r.oursClean() ? "yes" : "NO", Double.isNaN(r.peerSeconds()) ? "-" : r.peerClean() ? "yes" : "NO",
          r.oursValue(), r.peerValue(), r.meetsBar() ? "" : "  (above the bar)");
      allMet &= r.meetsBar();
    }
    out.println(script == null ? "peer not run: no ratios" : allMet ? "all bars met" : "some bars not met");
    return Main.OK;
  }
}
