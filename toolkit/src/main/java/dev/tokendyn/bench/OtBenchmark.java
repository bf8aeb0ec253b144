package dev.tokendyn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.transport.Cost;
import dev.tokendyn.transport.CostMatrix;
import dev.tokendyn.transport.ExactResult;
import dev.tokendyn.transport.NetworkSimplex;
import dev.tokendyn.transport.Sinkhorn;
import dev.tokendyn.transport.SinkhornParams;
import dev.tokendyn.transport.SinkhornResult;
import dev.tokendyn.transport.SlicedParams;
import dev.tokendyn.transport.SlicedResult;
import dev.tokendyn.transport.SlicedWasserstein;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times the transport solvers on the workloads of the peer script {@code bench_ot.py} (POT 0.8.2), and
 * runs that script in the same process tree when it is given, so that ratios are measured side by side.
 *
 * <p>Workloads, as the peer's: d = 64, xs ~ N(0, I), xt ~ N(0.5, I) (seeded by n, this project's own
 * generator), uniform weights; exact OT at n = 512; Sinkhorn at n = 512 and 2048 with reg = 0.05 x
 * median cost and stopThr 1e-9; sliced W2 at n = 512 and 2048 with 128 projections. As in the peer, the
 * cost matrix is built outside the timed region, and the sliced timing includes drawing the projections.
 * Each median is over 5 timed runs. Warm-up: here, at least three calls and at least two seconds of calls (the JIT
 * compiles the vector kernels during the first calls; a 5 ms solve needs a few dozen); in the peer script, one
 * call. Both sides wait for an idle machine and repeat a timing that other processes disturbed ({@link Quiet},
 * the peer harness's own rule).
 */
public final class OtBenchmark {
  /** Dimension of all workloads. */
  public static final int D = 64;
  /** Warm-up calls for ours: the JIT compiles the vector kernels during the first calls. */
  private static final int WARMUP = 3;
  /** ... and for at least this long. */
  private static final double WARMUP_S = 2;
  private static final int RUNS = 5;
  /** The longest wait for an idle machine before each timing, as the peer harness is given. */
  private static final double IDLE_WAIT_S = 20;

  private OtBenchmark() {}

  /**
   * One workload: our median time and value, the peer's when it ran, and the bar on their ratio.
   *
   * @param workload the peer's workload name
   * @param oursSeconds our median wall time
   * @param oursValue our value (for a sanity check against the peer's on its own data)
   * @param oursIterations our iterations (pivots, Sinkhorn iterations, 0 for sliced)
   * @param peerSeconds the peer's median, NaN when it did not run
   * @param peerValue the peer's value, NaN when it did not run
   * @param bar the largest acceptable ratio ours/peer, NaN when there is none
   * @param oursClean whether other processes stayed nearly idle while ours was timed
   * @param peerClean whether the peer reported its timing as uncontended (false when it did not run)
   */
  public record Row(String workload, double oursSeconds, double oursValue, long oursIterations, double peerSeconds,
      double peerValue, double bar, boolean oursClean, boolean peerClean) {
    /** ours / peer, NaN without the peer. */
    public double ratio() {
      return oursSeconds / peerSeconds;
    }

    /** Whether the ratio meets the bar (true when there is no bar or no peer). */
    public boolean meetsBar() {
      return Double.isNaN(bar) || Double.isNaN(peerSeconds) || ratio() <= bar;
    }
  }

  /** The two clouds of a workload of size n. */
  static TokenCloud[] clouds(int n) {
    SplittableRandom rng = new SplittableRandom(n);
    double[] xs = new double[n * D];
    double[] xt = new double[n * D];
    for (int k = 0; k < n * D; k++) {
      xs[k] = rng.nextGaussian();
    }
    for (int k = 0; k < n * D; k++) {
      xt[k] = rng.nextGaussian() + 0.5;
    }
    return new TokenCloud[] {TokenCloud.ofFlat(n, D, xs), TokenCloud.ofFlat(n, D, xt)};
  }

  /**
   * Runs our workloads, then the peer script when {@code peerScript} is not null.
   *
   * @throws IOException when the peer script fails
   */
  public static List<Row> run(Path peerScript, long peerTimeoutSeconds) throws IOException {
    List<Row> ours = new ArrayList<>();
    ours.add(exact(512));
    ours.add(sinkhorn(512));
    ours.add(sinkhorn(2048));
    ours.add(sliced(512));
    ours.add(sliced(2048));
    if (peerScript == null) {
      return ours;
    }
    List<JsonNode> peer = Peers.run(peerScript, List.of(), peerTimeoutSeconds);
    List<Row> out = new ArrayList<>();
    for (Row r : ours) {
      JsonNode p = Peers.find(peer, r.workload());
      double ps = p == null ? Double.NaN : p.path("median_s").asDouble(Double.NaN);
      double pv = Double.NaN;
      if (p != null) {
        pv = p.has("value") ? p.get("value").asDouble() : p.path("value_<M,P>").asDouble(Double.NaN);
      }
      boolean pc = p != null && p.path("clean").asBoolean(false);
      out.add(new Row(r.workload(), r.oursSeconds(), r.oursValue(), r.oursIterations(), ps, pv, r.bar(), r.oursClean(),
          pc));
    }
    return out;
  }

  static Row exact(int n) {
    TokenCloud[] c = clouds(n);
    CostMatrix m = Cost.SQEUCLIDEAN.matrix(c[0], c[1]);
    double[] u = uniform(n);
    NetworkSimplex solver = new NetworkSimplex();
    Quiet.Measured<ExactResult> q = Quiet.measure(WARMUP, WARMUP_S, RUNS, () -> solver.solve(u, u, m), IDLE_WAIT_S);
    Timing.Result<ExactResult> t = q.timing();
    return new Row("OT exact emd2 n=" + n + " d=" + D, t.medianSeconds(), t.last().value(), t.last().iterations(),
        Double.NaN, Double.NaN, 1.0, q.clean(), false);
  }

  static Row sinkhorn(int n) {
    TokenCloud[] c = clouds(n);
    CostMatrix m = Cost.SQEUCLIDEAN.matrix(c[0], c[1]);
    double[] u = uniform(n);
    double reg = 0.05 * exactMedian(m);
    Sinkhorn solver = new Sinkhorn(SinkhornParams.of(reg));
    Quiet.Measured<SinkhornResult> q =
        Quiet.measure(WARMUP, WARMUP_S, RUNS, () -> solver.solve(u, u, m), IDLE_WAIT_S);
    Timing.Result<SinkhornResult> t = q.timing();
    return new Row("OT sinkhorn2 n=" + n + " d=" + D, t.medianSeconds(), t.last().value(), t.last().iterations(),
        Double.NaN, Double.NaN, n == 2048 ? 0.5 : Double.NaN, q.clean(), false);
  }

  static Row sliced(int n) {
    TokenCloud[] c = clouds(n);
    SlicedWasserstein solver = new SlicedWasserstein(new SlicedParams(128, 0));
    Quiet.Measured<SlicedResult> q =
        Quiet.measure(WARMUP, WARMUP_S, RUNS, () -> solver.between(c[0], c[1]), IDLE_WAIT_S);
    Timing.Result<SlicedResult> t = q.timing();
    return new Row("OT sliced n=" + n + " d=" + D, t.medianSeconds(), t.last().value(), 0, Double.NaN, Double.NaN,
        n == 2048 ? 0.3 : Double.NaN, q.clean(), false);
  }

  private static double[] uniform(int n) {
    double[] u = new double[n];
    Arrays.fill(u, 1.0 / n);
    return u;
  }

  /** The exact median of all entries, as numpy's np.median(M) in the peer. */
  private static double exactMedian(CostMatrix m) {
    double[] v = m.toFlatArray();
    Arrays.sort(v);
    int k = v.length;
    return k % 2 == 1 ? v[k / 2] : 0.5 * (v[k / 2 - 1] + v[k / 2]);
  }
}
