package dev.tokendyn.analysis;

import dev.tokendyn.metrics.Clusters;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Integrator;
import dev.tokendyn.sphere.Interaction;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The phase diagram of Geshkovski et al.: over a grid of beta x d, with several random starts each,
 * the fraction of token pairs with &lt;x_i, x_j&gt; &gt; 0.999 at every recorded time.
 *
 * <p>Each run is one simulation on one thread; runs are spread over the cores. Run (beta, d, s) uses
 * seed {@code seed + s}, so a cell's result does not depend on the grid around it. {@link #simulate}
 * computes one run and {@link #cells} gathers them, so runs may also be spread over the machines of a
 * cluster and give the same bits.
 *
 * <pre>{@code
 * var grid = new PhaseSweep.Grid(Dynamics.SA, 32, new double[] {1, 4, 9}, new int[] {8}, 4, 0, 0.1, 200, 10);
 * List<PhaseSweep.Cell> cells = PhaseSweep.run(grid, 2, done -> {});
 * }</pre>
 */
public final class PhaseSweep {
  private PhaseSweep() {}

  /**
   * The grid and the shared simulation settings.
   *
   * @param seeds random starts per cell, &gt;= 1
   * @param seed the first seed
   */
  public record Grid(Dynamics dynamics, int n, double[] betas, int[] ds, int seeds, long seed, double dt, int steps,
                     int recordEvery) implements Serializable {
    public Grid {
      betas = betas.clone();
      ds = ds.clone();
      if (betas.length == 0) {
        throw new IllegalArgumentException("the sweep needs at least one beta, found none");
      }
      if (ds.length == 0) {
        throw new IllegalArgumentException("the sweep needs at least one d, found none");
      }
      if (seeds < 1) {
        throw new IllegalArgumentException("seeds must be >= 1, found " + seeds);
      }
      if ((long) betas.length * ds.length * seeds > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("the sweep has " + (long) betas.length * ds.length * seeds
            + " runs; at most " + Integer.MAX_VALUE);
      }
      // validates every other field with its value
      for (double b : betas) {
        for (int d : ds) {
          params(dynamics, n, b, d, seed, dt, steps, recordEvery);
        }
      }
    }

    @Override
    public double[] betas() {
      return betas.clone();
    }

    @Override
    public int[] ds() {
      return ds.clone();
    }

    /** The number of runs: betas x ds x seeds. */
    public int runs() {
      return betas.length * ds.length * seeds;
    }

    /** The recorded times. */
    public double[] times() {
      List<Double> t = new ArrayList<>();
      for (int s = 0; s <= steps; s++) {
        if (s == 0 || s % recordEvery == 0 || s == steps) {
          t.add(s * dt);
        }
      }
      return t.stream().mapToDouble(Double::doubleValue).toArray();
    }
  }

  private static SimulationParams params(Dynamics dyn, int n, double beta, int d, long seed, double dt, int steps,
                                         int recordEvery) {
    return new SimulationParams(dyn, n, d, beta, dt, steps, Init.uniform(), seed, Integrator.EULER, 0, recordEvery, 1,
        Interaction.IDENTITY);
  }

  /**
   * One cell of the grid.
   *
   * @param clusteredFraction [seed][time]: fraction of pairs with cosine &gt; 0.999
   * @param meanClusteredFraction [time]: its mean over seeds
   * @param singleClusterProbability [time]: the fraction of seeds in which every pair is that close
   */
  public record Cell(double beta, int d, double[] times, double[][] clusteredFraction, double[] meanClusteredFraction,
                     double[] singleClusterProbability) {}

  /**
   * An estimate of the heap that {@link #run} needs, in bytes: {@code threads} simulations at once at the
   * largest d ({@link Simulator#memoryBytes}), and every simulation's recorded fractions (three copies:
   * the runs, the cells and the report).
   *
   * @throws IllegalArgumentException when a simulation's arrays would exceed Java's limit
   */
  public static long memoryBytes(Grid g, int threads) {
    int dMax = java.util.Arrays.stream(g.ds()).max().orElse(2);
    SimulationParams p = params(g.dynamics(), g.n(), g.betas()[0], dMax, g.seed(), g.dt(), g.steps(), g.recordEvery());
    long runs = (long) g.betas().length * g.ds().length * g.seeds();
    long frames = g.steps() / g.recordEvery() + 2L;
    try {
      return Math.addExact(Math.multiplyExact((long) threads, Simulator.memoryBytes(p, 1)),
          Math.multiplyExact(Math.multiplyExact(runs, frames), 24L));
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Runs the grid: every run of {@link #simulate} spread over {@code threads}, then {@link #cells}.
   *
   * @param threads simulations run at once, &gt;= 1
   * @param progress told the number of finished simulations after each one (from any thread)
   */
  public static List<Cell> run(Grid g, int threads, IntConsumer progress) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, found " + threads);
    }
    int total = g.runs();
    double[][] fractions = new double[total][];
    AtomicInteger done = new AtomicInteger();
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>(total);
      for (int r = 0; r < total; r++) {
        int run = r;
        futures.add(pool.submit(() -> {
          fractions[run] = simulate(g, run);
          progress.accept(done.incrementAndGet());
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("sweep interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return cells(g, fractions);
  }

  /**
   * One run of the grid on the calling thread: start s of cell (beta_b, d_k), where
   * {@code run = (b * ds.length + k) * seeds + s}, with seed {@code seed + s}. Depends on nothing but
   * {@code g} and {@code run}, so the same run gives the same bits wherever it is computed.
   *
   * @param run in [0, {@link Grid#runs()})
   * @return the clustered fraction at each of {@link Grid#times()}
   */
  public static double[] simulate(Grid g, int run) {
    if (run < 0 || run >= g.runs()) {
      throw new IllegalArgumentException("run must be in [0, " + g.runs() + "), found " + run);
    }
    int s = run % g.seeds;
    int cell = run / g.seeds;
    SimulationParams p = params(g.dynamics, g.n, g.betas[cell / g.ds.length], g.ds[cell % g.ds.length], g.seed + s,
        g.dt, g.steps, g.recordEvery);
    double[] f = new double[g.times().length];
    int[] k = {0};
    Simulator.run(p, 1, fr -> f[k[0]++] = Clusters.clusteredFraction(fr.cloud()));
    return f;
  }

  /**
   * Gathers the runs into cells, in the order beta-major then d, with the means over starts taken in
   * start order, so the result depends only on the runs' values and not on where or when they ran.
   *
   * @param fractions [run][time], as {@link #simulate} returns them; not modified
   */
  public static List<Cell> cells(Grid g, double[][] fractions) {
    if (fractions.length != g.runs()) {
      throw new IllegalArgumentException("the grid has " + g.runs() + " runs, found " + fractions.length);
    }
    double[] betas = g.betas();
    int[] ds = g.ds();
    double[] times = g.times();
    List<Cell> cells = new ArrayList<>();
    for (int bi = 0; bi < betas.length; bi++) {
      for (int di = 0; di < ds.length; di++) {
        int first = (bi * ds.length + di) * g.seeds();
        double[][] fr = new double[g.seeds()][];
        for (int s = 0; s < fr.length; s++) {
          double[] f = fractions[first + s];
          if (f == null || f.length != times.length) {
            throw new IllegalArgumentException("run " + (first + s) + " needs " + times.length + " times, found "
                + (f == null ? "none" : f.length));
          }
          fr[s] = f.clone();
        }
        double[] mean = new double[times.length];
        double[] single = new double[times.length];
        for (double[] f : fr) {
          for (int t = 0; t < times.length; t++) {
            mean[t] += f[t] / fr.length;
            single[t] += (f[t] == 1.0 ? 1.0 : 0.0) / fr.length;
          }
        }
        cells.add(new Cell(betas[bi], ds[di], times.clone(), fr, mean, single));
      }
    }
    return cells;
  }

  /** The mean clustered fraction of one d as a [time][beta] grid, for a heat map. */
  public static double[][] heat(List<Cell> cells, double[] betas, int d) {
    double[][] z = null;
    for (Cell c : cells) {
      if (c.d() != d) {
        continue;
      }
      if (z == null) {
        z = new double[c.times().length][betas.length];
      }
      int col = indexOf(betas, c.beta());
      for (int t = 0; t < c.times().length; t++) {
        z[t][col] = c.meanClusteredFraction()[t];
      }
    }
    if (z == null) {
      throw new IllegalArgumentException("no cell has d=" + d);
    }
    return z;
  }

  private static int indexOf(double[] a, double v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new IllegalArgumentException("beta " + v + " is not in the grid");
  }
}
