package dev.tokendyn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.bench.AttentionBenchmark;
import dev.tokendyn.bench.Peers;
import dev.tokendyn.bench.TileBenchmark;
import dev.tokendyn.bench.WholeProcess;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** SA simulation against numpy and PyTorch CPU (bench_attention.py) and numpy's GEMM rate (bench_gemm.py). */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Time the SA particle simulation (n=256, 1000 steps; n=1024, 200 steps; d=64, beta=4, dt=0.05, float64)",
      "and, when the peer scripts are found, numpy and PyTorch on the same loop, in one run; print the ratios."})
final class BenchSimulateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--peers", description = "Folder of the peer scripts (default: ../shared/peers beside the repository).")
  Path peers;

  @Option(names = "--threads", description = "Threads for tokendyn (default: all cores).")
  Integer threads;

  @Option(names = "--runs", defaultValue = "5", description = "Timed runs after one warm-up (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--no-peers", description = "Time tokendyn only.")
  boolean noPeers;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t < 1) {
      throw new UsageException("--threads must be >= 1, found " + t);
    }
    int[][] cases = {{256, 1000}, {1024, 200}};
    List<AttentionBenchmark.Measurement> ours = new ArrayList<>();
    for (int[] c : cases) {
      ours.add(AttentionBenchmark.measure(c[0], c[1], t, 1, runs, noPeers ? 0 : 20));
    }
    List<JsonNode> peer = List.of();
    JsonNode gemm = null;
    Path dir = peers != null ? peers : BenchPaths.defaultPeers();
    if (!noPeers) {
      if (dir == null || !Files.isRegularFile(dir.resolve("bench_attention.py"))) {
        out.println("peer scripts not found (give --peers DIR); timing tokendyn only");
      } else {
        out.println("running peers from " + dir + " ...");
        out.flush();
        peer = Peers.run(dir.resolve("bench_attention.py"), List.of(), 1800);
        List<JsonNode> g = Peers.run(dir.resolve("bench_gemm.py"), List.of(), 600);
        gemm = g.stream().filter(r -> "float64".equals(r.path("dtype").asText())).findFirst().orElse(null);
      }
    }
    out.printf(Locale.ROOT, "%-34s %10s %10s %10s %9s %9s %9s %s%n", "workload", "tokendyn s", "numpy s", "torch s",
        "/numpy", "/torch", "GFLOP/s*", "quiet");
    for (AttentionBenchmark.Measurement m : ours) {
      String w = "attention-sim n=" + m.n() + " d=" + AttentionBenchmark.D + " steps=" + m.steps();
      JsonNode np = Peers.find(peer, w, "numpy");
      JsonNode th = Peers.find(peer, w, "torch");
      out.printf(Locale.ROOT, "%-34s %10.3f %10s %10s %9s %9s %9.1f %s%n", w, m.medianSeconds(), sec(np), sec(th),
          ratio(m.medianSeconds(), np), ratio(m.medianSeconds(), th), m.gflops(), quiet(m, np, th));
    }
    out.println("* nominal rate: 4 n^2 d flops a step (the logits and the attention product), whatever the kernel saves");
    out.printf(Locale.ROOT, "tokendyn threads: %d; SIMD lanes: %d doubles%n", t, dev.tokendyn.kernel.VectorMath.LANES);
    double tile = TileBenchmark.gflops(4096, AttentionBenchmark.D, runs);
    out.printf(Locale.ROOT, "squared-distance tile kernel (n = m = 4096, d = 64, %d threads): %.1f GFLOP/s%n",
        java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() + 1, tile);
    if (gemm != null) {
      double rate = gemm.path("gflops_median").asDouble(Double.NaN);
      out.printf(Locale.ROOT, "numpy float64 GEMM 1024^3: %.1f GFLOP/s (OpenBLAS core %s); tokendyn n=1024 reaches %.0f%% of it,"
          + " the distance tile kernel %.0f%%%n", rate, gemm.path("openblas_core").asText("?"),
          100 * ours.get(1).gflops() / rate, 100 * tile / rate);
    }
    // whole process, as a user runs each side, on the same start file
    WholeProcess.Run[] w = AttentionBenchmark.whole(1024, 500, !noPeers && peer.size() > 0);
    if (w != null) {
      out.printf(Locale.ROOT, "whole process, SA n=1024 d=64 500 steps: tokendyn %.3f s (%.0f MiB)", w[0].wallSeconds(),
          w[0].maxRssMib());
      if (w[1] != null) {
        out.printf(Locale.ROOT, ", PyTorch %.3f s (%.0f MiB): ratio %.2f (bar 0.80)", w[1].wallSeconds(),
            w[1].maxRssMib(), w[0].wallSeconds() / w[1].wallSeconds());
      }
      out.println();
    }
    // the thread team on a busy machine: another process keeps one core busy during both timings
    for (int[] c : new int[][] {{32, 384, 60}, {256, 64, 60}}) {
      double[] b = AttentionBenchmark.withBusyCore(c[0], c[1], c[2], runs);
      out.printf(Locale.ROOT, "one core busy, SA RK4 n=%d d=%d %d steps: 1 thread %.4f s, 2 threads %.4f s: ratio %.2f"
          + " (bar 1.20)%n", c[0], c[1], c[2], b[0], b[1], b[1] / b[0]);
    }
    return Main.OK;
  }

  /** Whether every side ran with the machine otherwise idle (the peers' own rule). */
  private static String quiet(AttentionBenchmark.Measurement m, JsonNode np, JsonNode th) {
    boolean peersClean = (np == null || np.path("clean").asBoolean(true)) && (th == null || th.path("clean").asBoolean(true));
    return m.clean() && peersClean ? "yes" : String.format(Locale.ROOT, "no (others used %.2f s CPU during ours)",
        m.otherProcsCpuSeconds());
  }

  private static String sec(JsonNode r) {
    return r == null ? "-" : String.format(Locale.ROOT, "%.3f", r.path("median_s").asDouble());
  }

  private static String ratio(double ours, JsonNode r) {
    return r == null ? "-" : String.format(Locale.ROOT, "%.2f", ours / r.path("median_s").asDouble());
  }
}
