package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Arrays;

/**
 * The TwoNN intrinsic dimension (Facco, d'Errico, Rodriguez and Laio 2017, "Estimating the intrinsic
 * dimension of datasets by a minimal neighborhood information", Sci. Rep. 7, 12140).
 *
 * <p>For each point, mu_i = r2_i / r1_i, the ratio of the distances to its second and first nearest
 * neighbours. Where the density is locally uniform, mu follows a Pareto law F(mu) = 1 - mu^(-D), so
 * -log(1 - F(mu)) = D log mu. With the mu sorted ascending and F_emp(mu_(i)) = i/N, the estimate is the
 * least-squares slope through the origin,
 * <pre>  D = sum_i x_i y_i / sum_i x_i^2,   x_i = log mu_(i),   y_i = -log(1 - i/N),</pre>
 * over the smallest (1 - discard) N of the mu, as in the paper (discard = 0.1 by default; the largest
 * ratios come from outliers and the empirical F is 1 at the last).
 *
 * <p>Duplicates: a point that repeats another has r1 = 0 and an infinite mu, and a near-duplicate (two
 * special tokens that a late layer maps to almost the same vector, say) a huge one, which drags the
 * slope towards 0 and can give a dimension below 1. The estimate is therefore taken over the distinct
 * points, where two points closer than {@link #DUPLICATE_RATIO} times the median nearest-neighbour
 * distance count as one; {@link Estimate#dropped()} says how many were dropped. For points drawn from a
 * density in D >= 1 dimensions the chance that a pair is that close is about DUPLICATE_RATIO^D, so no
 * genuine point is lost. When fewer than {@link #MIN_POINTS} distinct points remain, every mu is 1, or the
 * slope comes out below 1 (no set of at least two points has a dimension below 1; such a value means
 * that the neighbourhoods are not locally uniform), the dimension is undefined. The floor of 20 points
 * is there because in high ambient dimension a dozen points are all nearly equidistant, every mu is close
 * to 1, and the slope comes out large whatever the data: {@link Estimate#value()}
 * is NaN and {@link Estimate#reason()} says why.
 *
 * <p>The decimation curve ({@link #decimation}) repeats the estimate on seeded disjoint random subsets of
 * n/2, n/4, ... points (Facco et al., Figure 4): a flat stretch, the plateau, marks the scale at which the
 * data look D-dimensional.
 *
 * <p>Weights are ignored; the cloud is not modified. Cost O(n^2 d).
 */
public final class IntrinsicDimension {
  /** The fraction of largest ratios left out of the fit, as in Facco et al. */
  public static final double DEFAULT_DISCARD = 0.1;

  /** Two points closer than this times the median nearest-neighbour distance count as one. */
  public static final double DUPLICATE_RATIO = 1e-4;

  /** The fewest distinct points for which the estimate is given. */
  public static final int MIN_POINTS = 20;

  /** The smallest subset on the decimation curve. */
  public static final int MIN_DECIMATED = 20;

  /** The largest relative spread of the estimates along a plateau of the decimation curve. */
  public static final double PLATEAU_SPREAD = 0.1;

  private IntrinsicDimension() {}

  /**
   * A TwoNN estimate.
   *
   * @param value the dimension, NaN when undefined
   * @param points the distinct points it used
   * @param dropped the points dropped as exact or near-exact duplicates
   * @param reason why the value is undefined, or null when it is defined
   */
  public record Estimate(double value, int points, int dropped, String reason) {
    /** Whether the value is defined. */
    public boolean defined() {
      return reason == null;
    }

    static Estimate undefined(int points, int dropped, String reason) {
      return new Estimate(Double.NaN, points, dropped, reason);
    }
  }

  /**
   * The decimation curve: the estimate on subsets of n, n/2, n/4, ... points (down to
   * {@link #MIN_DECIMATED}), each the mean over the disjoint subsets of that size.
   *
   * @param sizes the subset sizes, largest first
   * @param values the mean estimate at each size (NaN where no subset gave one)
   * @param plateau the median of the longest run of at least two consecutive sizes whose estimates lie
   *     within {@link #PLATEAU_SPREAD} of their mean; NaN when there is none
   */
  public record Decimation(int[] sizes, double[] values, double plateau) {
    public Decimation {
      sizes = sizes.clone();
      values = values.clone();
    }

    @Override
    public int[] sizes() {
      return sizes.clone();
    }

    @Override
    public double[] values() {
      return values.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Decimation x && Arrays.equals(x.sizes, sizes) && Arrays.equals(x.values, values)
          && Double.compare(x.plateau, plateau) == 0;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(values) * 31 + Double.hashCode(plateau);
    }
  }

  /** TwoNN with {@link #DEFAULT_DISCARD}, NaN where undefined. */
  public static double of(TokenCloud cloud) {
    return estimate(cloud, DEFAULT_DISCARD).value();
  }

  /**
   * TwoNN leaving the given fraction of the largest ratios out of the fit, NaN where undefined.
   *
   * @param discard in [0, 1)
   * @throws IllegalArgumentException when discard is out of range
   */
  public static double of(TokenCloud cloud, double discard) {
    return estimate(cloud, discard).value();
  }

  /**
   * TwoNN with the count of duplicates dropped and, where undefined, the reason.
   *
   * @param discard in [0, 1)
   * @throws IllegalArgumentException when discard is out of range
   */
  public static Estimate estimate(TokenCloud cloud, double discard) {
    if (!(discard >= 0 && discard < 1)) {
      throw new IllegalArgumentException("discard must be in [0, 1), found " + discard);
    }
    return estimate(cloud.toFlatArray(), cloud.dimension(), discard);
  }

  /** TwoNN of m points, row-major in x (not modified). */
  static Estimate estimate(double[] x, int d, double discard) {
    int n = x.length / d;
    if (n < MIN_POINTS) {
      return Estimate.undefined(n, 0, "needs at least " + MIN_POINTS + " distinct points, found " + n);
    }
    double[] exact = Neighbours.distinctRows(x, d);
    int m = exact.length / d;
    double[] r = m >= 2 ? Neighbours.nearest(exact, d, 2) : new double[0];
    double[] distinct = exact;
    if (m >= 2 && hasNearDuplicates(r, m)) {
      distinct = dropNearDuplicates(exact, d, r);
      m = distinct.length / d;
      r = m >= 2 ? Neighbours.nearest(distinct, d, 2) : new double[0];
    }
    int dropped = n - m;
    if (m < MIN_POINTS) {
      return Estimate.undefined(m, dropped, "needs at least " + MIN_POINTS + " distinct points, found " + m);
    }
    return fromNearest(r, 2, discard, dropped);
  }

  /**
   * As {@link #estimate(double[], int, double)} for the points of a Gram matrix, with the neighbour
   * distances read from it; points with exact or near duplicates take the direct route.
   */
  static Estimate estimate(Gram g, double discard) {
    int n = g.n;
    if (n < MIN_POINTS) {
      return Estimate.undefined(n, 0, "needs at least " + MIN_POINTS + " distinct points, found " + n);
    }
    if (g.hasDuplicates()) {
      return estimate(g.x, g.d, discard);
    }
    double[] r = Neighbours.nearest(g, 2);
    if (hasNearDuplicates(r, n)) {
      return estimate(g.x, g.d, discard);
    }
    return fromNearest(r, 2, discard, 0);
  }

  /** Whether some point's nearest neighbour lies closer than DUPLICATE_RATIO x the median (r holds 2 a row). */
  private static boolean hasNearDuplicates(double[] r, int m) {
    double[] r1 = new double[m];
    for (int i = 0; i < m; i++) {
      r1[i] = r[2 * i];
    }
    double tol = DUPLICATE_RATIO * median(r1);
    for (double v : r1) {
      if (v < tol) {
        return true;
      }
    }
    return false;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /**
   * The points of x with exact and near-exact duplicates removed: a point closer than
   * {@link #DUPLICATE_RATIO} times the median nearest-neighbour distance (among exactly distinct points)
   * to a point kept before it is dropped.
   */
  static double[] distinct(double[] x, int d) {
    double[] exact = Neighbours.distinctRows(x, d);
    int m = exact.length / d;
    if (m < 2) {
      return exact;
    }
    return dropNearDuplicates(exact, d, Neighbours.nearest(exact, d, 2));
  }

  /** Drops near-duplicates from exactly distinct points, given their two nearest distances a row. */
  private static double[] dropNearDuplicates(double[] exact, int d, double[] r) {
    int m = exact.length / d;
    double[] r1 = new double[m];
    for (int i = 0; i < m; i++) {
      r1[i] = r[2 * i];
    }
    double tol = DUPLICATE_RATIO * median(r1);
    boolean[] drop = new boolean[m];
    int kept = m;
    if (tol > 0) {
      double tol2 = tol * tol;
      for (int i = 0; i < m; i++) {
        if (r1[i] >= tol) {
          continue; // no point lies that close
        }
        for (int j = 0; j < i; j++) {
          if (!drop[j] && Neighbours.squaredDistance(exact, i, exact, j, d) < tol2) {
            drop[i] = true;
            kept--;
            break;
          }
        }
      }
    }
    double[] out = new double[kept * d];
    int o = 0;
    for (int i = 0; i < m; i++) {
      if (!drop[i]) {
        System.arraycopy(exact, i * d, out, o * d, d);
        o++;
      }
    }
    return out;
  }

  /**
   * TwoNN from nearest-neighbour distances of m distinct points.
   *
   * @param r row-major m*k ascending distances, k &gt;= 2; not modified
   */
  static Estimate fromNearest(double[] r, int k, double discard, int dropped) {
    int m = r.length / k;
    if (m < MIN_POINTS) {
      return Estimate.undefined(m, dropped, "needs at least " + MIN_POINTS + " distinct points, found " + m);
    }
    double[] logMu = new double[m];
    for (int i = 0; i < m; i++) {
      logMu[i] = Math.log(r[k * i + 1] / r[k * i]);
    }
    Arrays.sort(logMu);
    int used = (int) Math.floor(m * (1 - discard));
    used = Math.min(used, m - 1); // F_emp = 1 at i = m has an infinite y
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < used; i++) {
      double y = -Math.log(1 - (i + 1.0) / m);
      sxy += logMu[i] * y;
      sxx += logMu[i] * logMu[i];
    }
    if (!(sxx > 0)) {
      return Estimate.undefined(m, dropped, "every point's two nearest neighbours are equidistant");
    }
    double value = sxy / sxx;
    if (!(value >= 1)) {
      return Estimate.undefined(m, dropped, String.format(java.util.Locale.ROOT,
          "the TwoNN slope is %.3g, below 1: the neighbourhoods are not locally uniform", value));
    }
    return new Estimate(value, m, dropped, null);
  }

  /**
   * The decimation curve of a cloud: for each size n/2^j (j = 0, 1, ... while the size is at least
   * {@link #MIN_DECIMATED}), the points are shuffled with the seed and cut into 2^j disjoint subsets, and
   * the estimates of the subsets are averaged (undefined ones left out).
   */
  public static Decimation decimation(TokenCloud cloud, double discard, long seed) {
    int d = cloud.dimension();
    return decimation(distinct(cloud.toFlatArray(), d), d, discard, seed, null, null);
  }

  /**
   * The estimate and its decimation curve together, sharing the duplicate removal and the full-size
   * estimate (the curve's first point).
   */
  public static Decimation decimation(TokenCloud cloud, double discard, long seed, Estimate[] full) {
    int d = cloud.dimension();
    int n = cloud.size();
    double[] exact = Neighbours.distinctRows(cloud.toFlatArray(), d);
    int distinct = exact.length / d;
    // a sample small enough has its distances held: every subset of the curve then reads its neighbours
    // from them instead of computing its distances again
    boolean hold = distinct <= Neighbours.HELD_DISTANCES;
    double[] squared = hold ? Neighbours.squaredDistances(exact, d) : null;
    double[] r = distinct < 2 ? new double[0]
        : hold ? Neighbours.nearest(squared, distinct, identity(distinct), 0, distinct, 2) : Neighbours.nearest(exact, d, 2);
    double[] x = distinct >= 2 ? dropNearDuplicates(exact, d, r) : exact;
    int m = x.length / d;
    if (m != distinct) {
      // the neighbours of the points that are left; when none was dropped they are those already found
      squared = hold ? Neighbours.squaredDistances(x, d) : null;
      r = m < 2 ? new double[0]
          : hold ? Neighbours.nearest(squared, m, identity(m), 0, m, 2) : Neighbours.nearest(x, d, 2);
    }
    Estimate e = m < MIN_POINTS
        ? Estimate.undefined(m, n - m, "needs at least " + MIN_POINTS + " distinct points, found " + m)
        : fromNearest(r, 2, discard, n - m);
    full[0] = e;
    return decimation(x, d, discard, seed, e, squared);
  }

  private static int[] identity(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    return p;
  }

  /** {@code squared}: the points' squared distances ({@link Neighbours#squaredDistances}), or null. */
  private static Decimation decimation(double[] x, int d, double discard, long seed, Estimate first,
                                       double[] squared) {
    int n = x.length / d;
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    java.util.List<Integer> sizes = new java.util.ArrayList<>();
    java.util.List<Double> values = new java.util.ArrayList<>();
    for (int parts = 1; n / parts >= MIN_DECIMATED; parts *= 2) {
      int size = n / parts;
      if (parts == 1 && first != null) {
        sizes.add(size);
        values.add(first.value());
        continue;
      }
      double sum = 0;
      int count = 0;
      for (int p = 0; p < parts; p++) {
        double[] r;
        if (squared != null) {
          r = Neighbours.nearest(squared, n, order, p * size, size, 2);
        } else {
          double[] sub = new double[size * d];
          for (int i = 0; i < size; i++) {
            System.arraycopy(x, order[p * size + i] * d, sub, i * d, d);
          }
          r = Neighbours.nearest(sub, d, 2);
        }
        Estimate e = fromNearest(r, 2, discard, 0);
        if (e.defined()) {
          sum += e.value();
          count++;
        }
      }
      sizes.add(size);
      values.add(count == 0 ? Double.NaN : sum / count);
    }
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    return new Decimation(sizes.stream().mapToInt(Integer::intValue).toArray(), v, plateau(v));
  }

  /** The median of the longest run of at least two consecutive values within PLATEAU_SPREAD of their mean. */
  static double plateau(double[] v) {
    int bestFrom = -1;
    int bestLen = 0;
    for (int a = 0; a < v.length; a++) {
      for (int b = a + 1; b < v.length; b++) {
        double[] run = Arrays.copyOfRange(v, a, b + 1);
        if (Arrays.stream(run).anyMatch(t -> !Double.isFinite(t))) {
          break;
        }
        double mean = Arrays.stream(run).average().orElseThrow();
        double lo = Arrays.stream(run).min().orElseThrow();
        double hi = Arrays.stream(run).max().orElseThrow();
        if (hi - lo > PLATEAU_SPREAD * mean) {
          break;
        }
        if (b - a + 1 > bestLen) {
          bestLen = b - a + 1;
          bestFrom = a;
        }
      }
    }
    if (bestLen < 2) {
      return Double.NaN;
    }
    double[] run = Arrays.copyOfRange(v, bestFrom, bestFrom + bestLen);
    Arrays.sort(run);
    return run.length % 2 == 1 ? run[run.length / 2] : 0.5 * (run[run.length / 2 - 1] + run[run.length / 2]);
  }
}
