package dev.tokendyn.analysis;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.metrics.Clusters;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.Energy;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Integrator;
import dev.tokendyn.sphere.Interaction;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Metastability of SA on the circle (Geshkovski, Koubbi, Polyanskiy, Rigollet, "Dynamic metastability in the
 * self-attention model", 2024): clusters that are well separated stay apart for a time exponential in
 * beta, and from k clusters the energy E_beta climbs a staircase of plateaus, one per metastable state.
 *
 * <p>Two point masses of equal weight at angle alpha move as alpha' = -2 sin(alpha) w(alpha), where
 * w = e^{beta cos alpha} / (e^beta + e^{beta cos alpha}) is the weight each gives the other; so the time to
 * merge is T = int dalpha / (2 sin(alpha) w(alpha)), about e^{beta (1 - cos alpha0)} / (2 beta sin^2 alpha0)
 * at large beta: log T is nearly linear in beta, with slope 1 - cos alpha0.
 *
 * <pre>{@code
 * double t = Metastability.firstMergeTime(16, 0.6, 8, 0.01, 7);
 * double theory = Metastability.twoPointMergeTime(16, 0.6);
 * }</pre>
 */
public final class Metastability {
  private Metastability() {}

  /** Tokens are one cluster when their cosine passes this (the default threshold of the cluster metric). */
  public static final double MERGE_COSINE = Clusters.DEFAULT_THRESHOLD;

  /** Steps of the particle runs. */
  public static final double DT = 0.05;

  /** A least-squares line y = slope x + intercept with its R^2. */
  public record Line(double slope, double intercept, double r2) {
    /** Fits y against x. */
    public static Line fit(double[] x, double[] y) {
      if (x.length != y.length || x.length < 2) {
        throw new IllegalArgumentException("a line needs two or more (x, y) pairs of equal count, found " + x.length
            + " and " + y.length);
      }
      int n = x.length;
      double mx = 0;
      double my = 0;
      for (int i = 0; i < n; i++) {
        mx += x[i] / n;
        my += y[i] / n;
      }
      double sxy = 0;
      double sxx = 0;
      double syy = 0;
      for (int i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
      }
      double slope = sxy / sxx;
      return new Line(slope, my - slope * mx, syy == 0 ? 1 : sxy * sxy / (sxx * syy));
    }
  }

  /**
   * Two clusters of {@code perCluster} tokens on the circle, centred at -alpha0/2 and alpha0/2, each token
   * offset by a uniform angle in [-spread, spread] from the seed.
   */
  public static TokenCloud twoClusters(double alpha0, int perCluster, double spread, long seed) {
    return clusters(new double[] {-alpha0 / 2, alpha0 / 2}, perCluster, spread, seed);
  }

  /** Clusters of {@code perCluster} tokens around the given angles (d = 2). */
  public static TokenCloud clusters(double[] centres, int perCluster, double spread, long seed) {
    if (perCluster < 1 || !(spread >= 0)) {
      throw new IllegalArgumentException("perCluster must be >= 1 and spread >= 0, found " + perCluster + " and "
          + spread);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int n = centres.length * perCluster;
    double[] x = new double[2 * n];
    for (int c = 0; c < centres.length; c++) {
      for (int i = 0; i < perCluster; i++) {
        double t = centres[c] + spread * (2 * rng.nextDouble() - 1);
        int k = c * perCluster + i;
        x[2 * k] = Math.cos(t);
        x[2 * k + 1] = Math.sin(t);
      }
    }
    return TokenCloud.ofFlat(n, 2, x);
  }

  /**
   * The first time SA (Q = K = V = I, d = 2, RK4 steps of {@link #DT}) from two clusters at angle alpha0
   * becomes one cluster (every cosine linked above {@link #MERGE_COSINE}), to the step.
   *
   * @param maxTime give up after this time
   * @return the merge time, or +Infinity when the clusters are still apart at maxTime
   */
  public static double firstMergeTime(double beta, double alpha0, int perCluster, double spread, long seed,
      double maxTime) {
    TokenCloud x = twoClusters(alpha0, perCluster, spread, seed);
    if (Clusters.of(x, MERGE_COSINE).count() < 2) {
      throw new IllegalArgumentException("the two clusters start as one: alpha0=" + alpha0 + " is below the merge"
          + " angle " + Math.acos(MERGE_COSINE));
    }
    double t = 0;
    int chunk = 200;
    double[] found = {Double.POSITIVE_INFINITY};
    while (t < maxTime && found[0] == Double.POSITIVE_INFINITY) {
      double t0 = t;
      TokenCloud[] last = new TokenCloud[1];
      SimulationParams p = new SimulationParams(Dynamics.SA, x.size(), 2, beta, DT, chunk, Init.of(x), seed,
          Integrator.RK4, 0, 1, 1, Interaction.IDENTITY);
      Simulator.run(p, 1, f -> {
        last[0] = f.cloud();
        if (found[0] == Double.POSITIVE_INFINITY && f.step() > 0 && Clusters.of(f.cloud(), MERGE_COSINE).count() == 1) {
          found[0] = t0 + f.time();
        }
      });
      x = last[0];
      t += chunk * DT;
    }
    return found[0];
  }

  /**
   * The merge time of two equal point masses at angle alpha0 under SA, by quadrature of
   * dt = dalpha / (2 sin(alpha) w(alpha)) from alpha0 down to the merge angle acos({@link #MERGE_COSINE}).
   */
  public static double twoPointMergeTime(double beta, double alpha0) {
    double end = Math.acos(MERGE_COSINE);
    if (!(alpha0 > end && alpha0 < Math.PI)) {
      throw new IllegalArgumentException("alpha0 must be in (" + end + ", pi), found " + alpha0);
    }
    // Simpson on a log-spaced variable: the integrand is large near both ends of a slow approach
    int m = 20000;
    double a = Math.log(end);
    double b = Math.log(alpha0);
    double h = (b - a) / m;
    double s = 0;
    for (int i = 0; i <= m; i++) {
      double alpha = Math.exp(a + i * h);
      // w = 1 / (1 + e^{beta (1 - cos alpha)})
      double f = alpha * (1 + Math.exp(beta * (1 - Math.cos(alpha)))) / (2 * Math.sin(alpha));
      s += f * (i == 0 || i == m ? 1 : i % 2 == 1 ? 4 : 2);
    }
    return s * h / 3;
  }

  /**
   * The part of the two-point merge time that does not grow with beta: T = T_fall + J(beta) exactly, with
   * T_fall = int dalpha / (2 sin alpha) = (1/2) log(tan(alpha0 / 2) / tan(alpha_m / 2)) from the merge angle
   * alpha_m = acos({@link #MERGE_COSINE}) to alpha0, and J(beta) = int e^{beta (1 - cos alpha)} / (2 sin alpha) dalpha
   * the metastable part. (At beta = 0 the weight is 1/2 and T = 2 T_fall.)
   */
  public static double fallTime(double alpha0) {
    double end = Math.acos(MERGE_COSINE);
    if (!(alpha0 > end && alpha0 < Math.PI)) {
      throw new IllegalArgumentException("alpha0 must be in (" + end + ", pi), found " + alpha0);
    }
    return 0.5 * Math.log(Math.tan(alpha0 / 2) / Math.tan(end / 2));
  }

  /**
   * First merge times of two clusters over beta and seeds, with the straight lines fitted to them.
   *
   * <p>The two-point formula, which the particles follow, is not a line in beta over a range that starts at small
   * beta: T = T_fall + J(beta) and, by Laplace's method at the endpoint alpha0, J = e^{beta c} / (2 beta sin^2 alpha0)
   * (1 + O(cos alpha0 / (beta sin^2 alpha0))) with c = 1 - cos alpha0. So log T = beta c - log beta - log(2 sin^2 alpha0)
   * + ..., whose local slope c - 1/beta - ... reaches its limit c only when beta c is large, while below
   * beta c ~ 1 the beta-independent T_fall dominates. Two lines are therefore fitted: log T against beta (what
   * the paper's "exponential in beta" is often read as), and log(beta (T - T_fall)) against beta, which removes
   * the prefactor and the fall time (the theory's form); only the O(1/beta) Laplace correction bends the
   * second.
   *
   * @param times first merge times, [beta][seed]
   * @param twoPoint the two-point formula at each beta
   * @param plain log of the mean merge time against beta
   * @param corrected log(beta (T - T_fall)) against beta, T the mean merge time
   * @param twoPointPlain the same as plain, for the two-point formula
   * @param twoPointCorrected the same as corrected, for the two-point formula
   */
  public record MergeScan(double alpha0, double[] betas, double[][] times, double[] twoPoint, Line plain,
      Line corrected, Line twoPointPlain, Line twoPointCorrected) {
    /** The asymptotic slope of log T against beta, 1 - cos alpha0. */
    public double asymptoticSlope() {
      return 1 - Math.cos(alpha0);
    }

    /** The mean over seeds of the merge time at beta index b. */
    public double meanTime(int b) {
      return java.util.Arrays.stream(times[b]).average().orElseThrow();
    }

    /** The largest relative spread (max - min) / mean over seeds, across the betas. */
    public double seedSpread() {
      double w = 0;
      for (int b = 0; b < betas.length; b++) {
        double[] t = times[b];
        w = Math.max(w, (java.util.Arrays.stream(t).max().orElseThrow() - java.util.Arrays.stream(t).min().orElseThrow())
            / meanTime(b));
      }
      return w;
    }
  }

  /** Runs {@link #firstMergeTime} for every beta and seed and fits the lines of {@link MergeScan}. */
  public static MergeScan scan(double[] betas, double alpha0, int perCluster, double spread, long[] seeds,
      double maxTime) {
    if (betas.length < 2 || seeds.length < 1) {
      throw new IllegalArgumentException("a scan needs two or more betas and one or more seeds, found "
          + betas.length + " and " + seeds.length);
    }
    double fall = fallTime(alpha0);
    double[][] times = new double[betas.length][seeds.length];
    double[] two = new double[betas.length];
    double[] logT = new double[betas.length];
    double[] logJ = new double[betas.length];
    double[] logTwo = new double[betas.length];
    double[] logTwoJ = new double[betas.length];
    for (int b = 0; b < betas.length; b++) {
      double mean = 0;
      for (int s = 0; s < seeds.length; s++) {
        times[b][s] = firstMergeTime(betas[b], alpha0, perCluster, spread, seeds[s], maxTime);
        if (!Double.isFinite(times[b][s])) {
          throw new IllegalArgumentException("no merge by t = " + maxTime + " at beta=" + betas[b] + "; raise maxTime");
        }
        mean += times[b][s] / seeds.length;
      }
      two[b] = twoPointMergeTime(betas[b], alpha0);
      logT[b] = Math.log(mean);
      logJ[b] = Math.log(betas[b] * (mean - fall));
      logTwo[b] = Math.log(two[b]);
      logTwoJ[b] = Math.log(betas[b] * (two[b] - fall));
    }
    return new MergeScan(alpha0, betas.clone(), times, two, Line.fit(betas, logT), Line.fit(betas, logJ),
        Line.fit(betas, logTwo), Line.fit(betas, logTwoJ));
  }

  /**
   * One frame of a staircase run.
   *
   * @param energy E_beta of the tokens
   * @param clusters the number of clusters
   * @param pointLevel E_beta of point masses at the clusters' mean angles with the clusters' masses
   *     ({@link #clusterEnergy}): on a plateau the tokens are such point clusters and the two agree
   */
  public record Step(double time, double energy, int clusters, double pointLevel) {}

  /**
   * SA from clusters around the given centres (d = 2), recorded every {@code recordEvery} steps of
   * {@link #DT} up to {@code time}.
   */
  public static List<Step> staircase(double beta, double[] centres, int perCluster, double spread, long seed,
      double time, int recordEvery) {
    TokenCloud x = clusters(centres, perCluster, spread, seed);
    int steps = (int) Math.round(time / DT);
    SimulationParams p = new SimulationParams(Dynamics.SA, x.size(), 2, beta, DT, steps, Init.of(x), seed,
        Integrator.RK4, 0, recordEvery, 1, Interaction.IDENTITY);
    List<Step> out = new ArrayList<>();
    Simulator.run(p, 1, f -> {
      Clusters.Result c = Clusters.of(f.cloud(), MERGE_COSINE);
      double[] masses = new double[c.count()];
      double[] sx = new double[c.count()];
      double[] sy = new double[c.count()];
      int[] labels = c.labels();
      for (int i = 0; i < labels.length; i++) {
        masses[labels[i]] += 1.0 / labels.length;
        sx[labels[i]] += f.cloud().get(i, 0);
        sy[labels[i]] += f.cloud().get(i, 1);
      }
      double[] angles = new double[c.count()];
      for (int k = 0; k < angles.length; k++) {
        angles[k] = Math.atan2(sy[k], sx[k]);
      }
      out.add(new Step(f.time(), Energy.of(f.cloud(), beta), c.count(), clusterEnergy(beta, masses, angles)));
    });
    return out;
  }

  /**
   * The energy of point clusters of masses m_a at angles theta_a: E = (1 / 2 beta) sum_{a,b} m_a m_b
   * e^{beta cos(theta_a - theta_b)}, the level of a plateau.
   */
  public static double clusterEnergy(double beta, double[] masses, double[] angles) {
    double s = 0;
    for (int a = 0; a < masses.length; a++) {
      for (int b = 0; b < masses.length; b++) {
        s += masses[a] * masses[b] * Math.exp(beta * Math.cos(angles[a] - angles[b]));
      }
    }
    return s / (2 * beta);
  }

  /**
   * The plateaus of a staircase: maximal runs of frames with the same cluster count that last at least
   * {@code minDuration}, excluding the final single cluster; one per metastable state.
   */
  public static List<double[]> plateaus(List<Step> steps, double minDuration) {
    List<double[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= steps.size(); i++) {
      if (i == steps.size() || steps.get(i).clusters() != steps.get(start).clusters()) {
        Step s = steps.get(start);
        Step e = steps.get(i - 1);
        if (e.time() - s.time() >= minDuration && s.clusters() > 1) {
          out.add(new double[] {s.time(), e.time(), s.clusters(), e.energy()});
        }
        start = i;
      }
    }
    return out;
  }
}
