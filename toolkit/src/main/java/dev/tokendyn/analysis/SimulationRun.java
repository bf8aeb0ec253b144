package dev.tokendyn.analysis;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.metrics.Clusters;
import dev.tokendyn.metrics.MeanCosine;
import dev.tokendyn.sphere.Energy;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulation measured frame by frame: the simulator produces the clouds, the metrics package
 * measures them (mean cosine, clusters), and the sphere package gives the interaction energy.
 *
 * <pre>{@code
 * var frames = SimulationRun.run(SimulationParams.of(Dynamics.SA, 32, 3, 1.0, 0.1, 300, 7), 1e-3, true);
 * frames.get(frames.size() - 1).clusters();   // 1: the tokens have collapsed
 * }</pre>
 */
public final class SimulationRun {
  private SimulationRun() {}

  /** The default epsilon of the cluster graph: tokens i, j are linked when &lt;x_i,x_j&gt; &gt; 1 - eps. */
  public static final double DEFAULT_CLUSTER_EPS = 1e-3;

  /**
   * One measured frame.
   *
   * @param energy E_beta, NaN when beta = 0
   * @param cloud the tokens, or null when points were not kept
   */
  public record Frame(int step, double time, double meanCosine, int clusters, double energy, TokenCloud cloud) {}

  /**
   * An estimate of the heap that {@link #run} and writing its report need, in bytes: the simulator's
   * arrays ({@link Simulator#memoryBytes}) and every recorded frame, with its points when kept (held
   * twice: as a cloud and in the report's document).
   *
   * @throws IllegalArgumentException when an array would exceed Java's limit (see Simulator)
   */
  public static long memoryBytes(SimulationParams p, int threads, boolean keepPoints) {
    long frames = p.steps() / p.recordEvery() + 2L;
    try {
      long perFrame = 400 + (keepPoints ? Math.multiplyExact(16L * p.n(), (long) p.d()) + 48L * p.n() : 0);
      return Math.addExact(Simulator.memoryBytes(p, threads), Math.multiplyExact(frames, perFrame));
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Runs on every core. */
  public static List<Frame> run(SimulationParams p, double clusterEps, boolean keepPoints) {
    return run(p, Runtime.getRuntime().availableProcessors(), clusterEps, keepPoints);
  }

  /**
   * Runs the simulation and measures every recorded frame.
   *
   * @param clusterEps in (0, 2]: the cluster graph links cosines above 1 - clusterEps
   */
  public static List<Frame> run(SimulationParams p, int threads, double clusterEps, boolean keepPoints) {
    return run(p, threads, clusterEps, keepPoints, step -> { });
  }

  /**
   * As {@link #run(SimulationParams, int, double, boolean)}, telling {@code progress} the step of each
   * recorded frame as it is measured (for a progress bar).
   */
  public static List<Frame> run(SimulationParams p, int threads, double clusterEps, boolean keepPoints,
      java.util.function.IntConsumer progress) {
    if (!(clusterEps > 0 && clusterEps <= 2)) {
      throw new IllegalArgumentException("cluster eps must be in (0, 2], found " + clusterEps);
    }
    List<Frame> frames = new ArrayList<>();
    Simulator.run(p, threads, f -> {
      TokenCloud c = f.cloud();
      frames.add(new Frame(f.step(), f.time(), MeanCosine.of(c), Clusters.of(c, 1 - clusterEps).count(),
          Energy.of(c, p.beta()), keepPoints ? c : null));
      progress.accept(f.step());
    });
    return frames;
  }
}
