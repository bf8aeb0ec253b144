package dev.tokendyn.analysis;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Integrator;
import dev.tokendyn.sphere.Interaction;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The heat-diffusion regime of doubly stochastic attention (Sander, Ablin, Blondel, Peyre, "Sinkformers", 2022,
 * section 4: with the attention and the depth rescaled together, the Sinkformer's mean-field dynamics become a
 * heat diffusion), on the circle, where it can be checked against an exact prediction.
 *
 * <p>Set-up: d = 2, Q = K = I, V = -I, so theta_i' = -sum_j A_ij sin(theta_j - theta_i) with A the attention of
 * logits beta cos(theta_i - theta_j). Since e^{beta cos u} = e^beta e^{-beta |e^{iu} - 1|^2 / 2}, the kernel is the
 * Gaussian exp(-|x - y|^2 / (2 eps)) in the chord, eps = 1 / beta. As eps -> 0, for a smooth density rho:
 * <ul>
 *   <li>row softmax (SA): int k(x, y) (y - x) rho(y) dy / int k rho = eps grad rho / rho + O(eps^2), so
 *       v = -eps grad log rho and d_t rho = eps Laplacian rho (diffusivity D = 1 / beta);</li>
 *   <li>Sinkhorn to convergence: A(x, y) = a(x) a(y) k(x, y) with a = (c rho)^{-1/2} to leading order (the
 *       symmetric scaling of a symmetric kernel), so int A (y - x) rho dy = a c eps grad(a rho) =
 *       (eps / 2) grad log rho, and d_t rho = (eps / 2) Laplacian rho (D = 1 / (2 beta)).</li>
 * </ul>
 * (With V = +I the sign flips and the limit is the backward heat equation: the clustering of the base model.)
 * In the rescaled time s = t / beta both are heat equations with beta gone. A wrapped normal of angular
 * variance sigma^2 stays wrapped normal under the heat equation on the circle, with sigma^2 growing by 2 D t,
 * and its mean resultant length is R = |mean of e^{i theta}| = e^{-sigma^2 / 2}. So the circular variance
 * V(s) = -2 log R(s) is predicted to grow as sigma0^2 + 2 beta D s: slope 1 in s for the Sinkformer, 2 for SA.
 * The prediction is exact for the heat equation; the particle system approaches it as n -> infinity (the
 * kernel must see many particles: n sigma0^{-1} beta^{-1/2} large) and then beta -> infinity.
 *
 * <pre>{@code
 * int it = HeatDiffusion.iterationsToConverge(128, 16, 0.5, 0.5, 1e-6, 1);   // 401
 * var run = HeatDiffusion.run(new HeatDiffusion.Params(Dynamics.SINKFORMER, 128, 16, 0.5, 0.5, 6, 0.5, it, 1));
 * run.slope();   // 0.967: the limit's 1, less a correction of about 0.5 / beta
 * }</pre>
 */
public final class HeatDiffusion {
  private HeatDiffusion() {}

  /**
   * One run of the heat-diffusion regime.
   *
   * @param dynamics SA (row softmax) or SINKFORMER (alternating normalisations)
   * @param n tokens, &gt;= 8
   * @param beta inverse temperature, &gt; 0; the kernel width is 1 / beta
   * @param sigma0 angular standard deviation of the wrapped-normal start, in (0, pi)
   * @param rescaledTime the run lasts s = t / beta from 0 to this, &gt; 0
   * @param frames frames recorded over the run, &gt;= 2
   * @param dt RK4 step in t, &gt; 0
   * @param sinkhornIterations the Sinkformer's normalisations per velocity (odd, so rows are exact); 1 for SA
   * @param seed seed of the start
   */
  public record Params(Dynamics dynamics, int n, double beta, double sigma0, double rescaledTime, int frames,
      double dt, int sinkhornIterations, long seed) {
    public Params {
      if (dynamics != Dynamics.SA && dynamics != Dynamics.SINKFORMER) {
        throw new IllegalArgumentException("the heat-diffusion regime is that of SA or the Sinkformer, found "
            + dynamics);
      }
      if (n < 8) {
        throw new IllegalArgumentException("n must be >= 8, found " + n);
      }
      if (!(beta > 0) || !Double.isFinite(beta)) {
        throw new IllegalArgumentException("beta must be finite and > 0, found " + beta);
      }
      if (!(sigma0 > 0 && sigma0 < Math.PI)) {
        throw new IllegalArgumentException("sigma0 must be in (0, pi), found " + sigma0);
      }
      if (!(rescaledTime > 0) || !Double.isFinite(rescaledTime)) {
        throw new IllegalArgumentException("rescaledTime must be finite and > 0, found " + rescaledTime);
      }
      if (frames < 2) {
        throw new IllegalArgumentException("frames must be >= 2, found " + frames);
      }
      if (!(dt > 0) || !Double.isFinite(dt)) {
        throw new IllegalArgumentException("dt must be finite and > 0, found " + dt);
      }
      if (sinkhornIterations < 1 || sinkhornIterations % 2 == 0) {
        throw new IllegalArgumentException("sinkhornIterations must be odd and >= 1 (so that rows end normalised),"
            + " found " + sinkhornIterations);
      }
      if (dynamics == Dynamics.SA && sinkhornIterations != 1) {
        throw new IllegalArgumentException("SA normalises rows once: sinkhornIterations must be 1, found "
            + sinkhornIterations);
      }
    }
  }

  /**
   * A run's measurements.
   *
   * @param s rescaled times t / beta of the frames
   * @param variance circular variance -2 log R at each frame
   * @param slope least-squares slope of the variance against s (predicted: 1 Sinkformer, 2 SA)
   * @param r2 R^2 of that line
   * @param marginalError the largest |column sum - 1| of the attention matrix at the first and the last frame,
   *     after the run's normalisations (rows are exact); 0 for SA is not claimed: SA's columns are not normalised
   */
  public record Run(Params params, double[] s, double[] variance, double slope, double r2, double marginalError) {
    public Run {
      s = s.clone();
      variance = variance.clone();
    }

    @Override
    public double[] s() {
      return s.clone();
    }

    @Override
    public double[] variance() {
      return variance.clone();
    }
  }

  /** Summary over seeds of the slopes: mean, standard deviation, smallest and largest. */
  public record Interval(int count, double mean, double sd, double min, double max) {
    /** Of the given values, at least one. */
    public static Interval of(double[] v) {
      if (v.length == 0) {
        throw new IllegalArgumentException("an interval needs one or more values");
      }
      double m = Arrays.stream(v).average().orElseThrow();
      double ss = 0;
      for (double x : v) {
        ss += (x - m) * (x - m);
      }
      double sd = v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0;
      return new Interval(v.length, m, sd, Arrays.stream(v).min().orElseThrow(), Arrays.stream(v).max().orElseThrow());
    }
  }

  /** The predicted slope of the circular variance against s = t / beta: 2 beta D (1 Sinkformer, 2 SA). */
  public static double predictedSlope(Dynamics dynamics) {
    return switch (dynamics) {
      case SA -> 2;
      case SINKFORMER -> 1;
      default -> throw new IllegalArgumentException("no heat-diffusion limit for " + dynamics);
    };
  }

  /** Q = K = I, V = -I in d = 2. */
  public static final Interaction REPULSIVE = new Interaction(null, null, new double[] {-1, 0, 0, -1}, "V = -I");

  /** n angles from the wrapped normal of standard deviation sigma about 0, as points on the circle. */
  public static TokenCloud wrappedNormal(int n, double sigma, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[2 * n];
    for (int i = 0; i < n; i++) {
      double t = sigma * gaussian(rng);
      x[2 * i] = Math.cos(t);
      x[2 * i + 1] = Math.sin(t);
    }
    return TokenCloud.ofFlat(n, 2, x);
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller, one of the pair
    double u = 1 - rng.nextDouble();
    double v = rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** -2 log R, R = |mean of the points| (points on the unit circle, or unit vectors in any d). */
  public static double circularVariance(TokenCloud c) {
    int n = c.size();
    int d = c.dimension();
    double[] m = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        m[k] += c.get(i, k) / n;
      }
    }
    double r2 = 0;
    for (double v : m) {
      r2 += v * v;
    }
    return -Math.log(r2);
  }

  /**
   * The largest |column sum - 1| of the Sinkhorn-normalised attention of logits beta cos(theta_i - theta_j) after
   * {@code iterations} alternating normalisations from zero potentials, rows first (the Sinkformer's), computed
   * here in the log domain independently of the simulator.
   */
  public static double marginalError(TokenCloud c, double beta, int iterations) {
    int n = c.size();
    int d = c.dimension();
    double[][] s = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double dot = 0;
        for (int k = 0; k < d; k++) {
          dot += c.get(i, k) * c.get(j, k);
        }
        s[i][j] = beta * dot;
      }
    }
    double[] f = new double[n];
    double[] g = new double[n];
    for (int it = 1; it <= iterations; it++) {
      boolean rows = it % 2 == 1;
      double[] target = rows ? f : g;
      double[] other = rows ? g : f;
      for (int a = 0; a < n; a++) {
        double m = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < n; b++) {
          m = Math.max(m, (rows ? s[a][b] : s[b][a]) + other[b]);
        }
        double sum = 0;
        for (int b = 0; b < n; b++) {
          sum += Math.exp((rows ? s[a][b] : s[b][a]) + other[b] - m);
        }
        target[a] = -(m + Math.log(sum));
      }
    }
    double worst = 0;
    for (int j = 0; j < n; j++) {
      double col = 0;
      for (int i = 0; i < n; i++) {
        col += Math.exp(s[i][j] + f[i] + g[j]);
      }
      worst = Math.max(worst, Math.abs(col - 1));
    }
    return worst;
  }

  /**
   * The smallest count in 51, 65, 81, 101, ... (each a quarter more than the last, odd, at most 6,401) of normalisations after which the Sinkhorn column sums are
   * within {@code tol} of 1 both on the start of a run (a wrapped normal of deviation sigma0) and on the wrapped
   * normal that the heat equation predicts at its end (variance sigma0^2 + rescaledTime): the iterations that run
   * Sinkhorn to convergence for that run. Sinkhorn converges more slowly as beta grows and as the cloud
   * spreads.
   *
   * @throws IllegalArgumentException when 6,401 normalisations do not reach tol (raise tol, or lower beta)
   */
  public static int iterationsToConverge(int n, double beta, double sigma0, double rescaledTime, double tol,
      long seed) {
    TokenCloud start = wrappedNormal(n, sigma0, seed);
    TokenCloud end = wrappedNormal(n, Math.sqrt(sigma0 * sigma0 + rescaledTime), seed);
    // 51, 65, 81, 101, ... (a quarter more each time, odd so that the rows end normalised), up to 6401
    for (int it = 51; ; it = Math.min(MAX_ITERATIONS, (int) (1.25 * it) | 1)) {
      if (marginalError(start, beta, it) < tol && marginalError(end, beta, it) < tol) {
        return it;
      }
      if (it == MAX_ITERATIONS) {
        break;
      }
    }
    throw new IllegalArgumentException("Sinkhorn does not reach column sums within " + tol + " in 6401"
        + " normalisations at beta=" + beta + "; raise the tolerance or lower beta");
  }

  /**
   * One beta of a sweep: the Sinkformer's and SA's slopes over the seeds.
   *
   * @param iterations the Sinkformer's normalisations ({@link #iterationsToConverge} at the sweep's tolerance)
   * @param sinkformer the Sinkformer's slopes over the seeds
   * @param sa SA's slopes over the seeds
   * @param marginalError the largest column-sum error over the Sinkformer's runs (first and last frames)
   * @param sinkformerRuns the Sinkformer's runs, one per seed
   * @param saRuns SA's runs, one per seed
   */
  public record Cell(double beta, int iterations, Interval sinkformer, Interval sa, double marginalError,
      List<Run> sinkformerRuns, List<Run> saRuns) {
    public Cell {
      sinkformerRuns = List.copyOf(sinkformerRuns);
      saRuns = List.copyOf(saRuns);
    }
  }

  /**
   * Runs the Sinkformer (Sinkhorn to {@code tol}) and SA for every beta and seed, from wrapped normals of
   * deviation sigma0, to rescaled time {@code rescaledTime}.
   */
  public static List<Cell> sweep(double[] betas, long[] seeds, int n, double sigma0, double rescaledTime, int frames,
      double dt, double tol) {
    if (betas.length == 0 || seeds.length == 0) {
      throw new IllegalArgumentException("a sweep needs one or more betas and seeds, found " + betas.length + " and "
          + seeds.length);
    }
    if (!(tol > 0)) {
      throw new IllegalArgumentException("tol must be > 0, found " + tol);
    }
    List<Cell> cells = new ArrayList<>();
    for (double beta : betas) {
      int it = iterationsToConverge(n, beta, sigma0, rescaledTime, tol, seeds[0]);
      List<Run> sink = new ArrayList<>();
      List<Run> sa = new ArrayList<>();
      double err = 0;
      for (long seed : seeds) {
        Run r = run(new Params(Dynamics.SINKFORMER, n, beta, sigma0, rescaledTime, frames, dt, it, seed));
        sink.add(r);
        err = Math.max(err, r.marginalError());
        sa.add(run(new Params(Dynamics.SA, n, beta, sigma0, rescaledTime, frames, dt, 1, seed)));
      }
      cells.add(new Cell(beta, it, Interval.of(sink.stream().mapToDouble(Run::slope).toArray()),
          Interval.of(sa.stream().mapToDouble(Run::slope).toArray()), err, sink, sa));
    }
    return cells;
  }

  /** The most normalisations {@link #iterationsToConverge} tries. */
  public static final int MAX_ITERATIONS = 6401;

  /** Runs the particles from a wrapped normal with V = -I and measures the circular variance in rescaled time. */
  public static Run run(Params p) {
    return run(p, Runtime.getRuntime().availableProcessors());
  }

  /** As {@link #run(Params)} on the given number of threads (the result does not depend on it). */
  public static Run run(Params p, int threads) {
    double tEnd = p.rescaledTime() * p.beta();
    int steps = (int) Math.ceil(tEnd / p.dt() / (p.frames() - 1)) * (p.frames() - 1);
    double dt = tEnd / steps;
    TokenCloud start = wrappedNormal(p.n(), p.sigma0(), p.seed());
    SimulationParams sp = new SimulationParams(p.dynamics(), p.n(), 2, p.beta(), dt, steps, Init.of(start), p.seed(),
        Integrator.RK4, 0, steps / (p.frames() - 1), p.sinkhornIterations(), REPULSIVE);
    List<double[]> rows = new ArrayList<>();
    TokenCloud[] last = new TokenCloud[1];
    Simulator.run(sp, threads, f -> {
      rows.add(new double[] {f.time() / p.beta(), circularVariance(f.cloud())});
      last[0] = f.cloud();
    });
    double[] s = rows.stream().mapToDouble(r -> r[0]).toArray();
    double[] v = rows.stream().mapToDouble(r -> r[1]).toArray();
    Metastability.Line line = Metastability.Line.fit(s, v);
    double err = p.dynamics() == Dynamics.SINKFORMER
        ? Math.max(marginalError(start, p.beta(), p.sinkhornIterations()),
            marginalError(last[0], p.beta(), p.sinkhornIterations()))
        : Double.NaN;
    return new Run(p, s, v, line.slope(), line.r2(), err);
  }
}
