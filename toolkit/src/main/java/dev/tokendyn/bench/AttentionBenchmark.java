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

  /**
   * The SA loop as whole processes on the same start file: {@code tokendyn simulate} against the PyTorch loop
   * of {@code sa_files.py} (n tokens uniform on S^63 from seed 0, beta = 4, dt = 0.05, float64). Returns
   * {ours, peer}; the peer is null when {@code peers} is false, and the whole result null when no tokendyn
   * command can be found.
   *
   * @throws IOException when a process fails
   */
  public static WholeProcess.Run[] whole(int n, int steps, boolean peers) throws java.io.IOException {
    java.util.List<String> tokendyn = WholeProcess.tokendyn();
    if (tokendyn == null) {
      return null;
    }
    try (WholeProcess wp = new WholeProcess()) {
      java.nio.file.Path x0 = wp.dir().resolve("x0.npy");
      dev.tokendyn.cloud.Npy.write(x0, new int[] {n, D}, dev.tokendyn.sphere.Init.uniform().points(n, D, 0));
      java.util.List<String> ours = new java.util.ArrayList<>(tokendyn);
      ours.addAll(java.util.List.of("simulate", "--dynamics", "sa", "--n", Integer.toString(n), "--d",
          Integer.toString(D), "--beta", Double.toString(BETA), "--dt", Double.toString(DT), "--steps",
          Integer.toString(steps), "--record-every", Integer.toString(steps), "--init", x0.toString(), "--seed", "0",
          "--out", wp.dir().resolve("sim.json").toString()));
      WholeProcess.Run o = wp.run(ours, 3600);
      if (o.exit() != 0) {
        throw new java.io.IOException("tokendyn simulate failed (exit " + o.exit() + ")");
      }
      WholeProcess.Run p = null;
      if (peers) {
        p = wp.run(java.util.List.of(Peers.PYTHON, wp.script("sa_files.py").toString(), x0.toString(), "--steps",
            Integer.toString(steps), "--beta", Double.toString(BETA), "--dt", Double.toString(DT), "--runs", "0"), 3600);
        if (p.exit() != 0) {
          throw new java.io.IOException("the PyTorch peer failed (exit " + p.exit() + "); is " + Peers.PYTHON
              + " set up with python3-torch?");
        }
      }
      return new WholeProcess.Run[] {o, p};
    }
  }

  /**
   * Median seconds of the SA loop with 1 and with 2 threads while another process keeps one core busy (a
   * Python busy loop, stopped afterwards): {t1, t2}. RK4 as {@code fit} runs it.
   *
   * @throws IOException when the busy process cannot be started
   */
  public static double[] withBusyCore(int n, int d, int steps, int runs) throws java.io.IOException {
    SimulationParams p = new SimulationParams(Dynamics.SA, n, d, BETA, DT, steps, dev.tokendyn.sphere.Init.uniform(), 0,
        dev.tokendyn.sphere.Integrator.RK4, 0, steps, 1, dev.tokendyn.sphere.Interaction.IDENTITY);
    Process hog = new ProcessBuilder(Peers.PYTHON, "-c", "while True: pass").start();
    try {
      double[] t = new double[2];
      for (int threads = 1; threads <= 2; threads++) {
        int th = threads;
        t[threads - 1] = Timing.measure(1, runs, () -> {
          TokenCloud[] last = new TokenCloud[1];
          Simulator.run(p, th, f -> last[0] = f.cloud());
          return last[0];
        }).medianSeconds();
      }
      return t;
    } finally {
      hog.destroyForcibly();
    }
  }
}
