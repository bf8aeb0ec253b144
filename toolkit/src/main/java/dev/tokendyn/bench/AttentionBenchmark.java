package dev.tokendyn.bench;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;

/**
 * The SA particle simulation on the peers' workloads (bench_attention.py): n tokens uniform on
 * S^63, beta = 4, dt = 0.05, explicit Euler, float64, Q = K = V = I; one run is the whole step loop.
 */
public final class AttentionBenchmark {
  public static final int D = 64;
  public static final double BETA = 4.0;
  public static final double DT = 0.05;

  private AttentionBenchmark() {}

  /** One workload and its timing. */
  public record Measurement(int n, int steps, int threads, double medianSeconds, double gflops, TokenCloud last,
                            double otherProcsCpuSeconds, boolean clean) {}

  /** The parameters of one run: only the first and last states are recorded. */
  public static SimulationParams params(int n, int steps) {
    return SimulationParams.of(Dynamics.SA, n, D, BETA, DT, steps, 0).withRecordEvery(steps);
  }

  /**
   * Multiply-adds are counted as two flops: per step, the logits (n*n*d) and the attention product
   * (n*n*d), the softmax and projection being lower order.
   */
  public static double flopsPerRun(int n, int steps) {
    return 4.0 * n * n * D * steps;
  }

  /**
   * Times the workload under the peers' rule: wait until the machine is idle, then warm-up and timed
   * runs, repeated when other processes took CPU meanwhile.
   */
  public static Measurement measure(int n, int steps, int threads, int warmup, int runs, double maxIdleWaitSeconds) {
    SimulationParams p = params(n, steps);
    Quiet.Measured<TokenCloud> q = Quiet.measure(warmup, runs, () -> {
      TokenCloud[] last = new TokenCloud[1];
      Simulator.run(p, threads, f -> last[0] = f.cloud());
      return last[0];
    }, maxIdleWaitSeconds);
    Timing.Result<TokenCloud> r = q.timing();
    return new Measurement(n, steps, threads, r.medianSeconds(), flopsPerRun(n, steps) / r.medianSeconds() * 1e-9,
        r.last(), q.otherProcsCpuSeconds(), q.clean());
  }
}
