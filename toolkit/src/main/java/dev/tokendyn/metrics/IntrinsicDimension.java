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
 * <p>Duplicates: a point that repeats another has r1 = 0 and an infinite mu. The estimate is therefore
 * taken over the distinct points (collapsed tokens count once). When fewer than 3 distinct points remain,
 * or every mu is 1 (all neighbours equidistant), the dimension is undefined and the result is NaN.
 * Weights are ignored; the cloud is not modified. Cost O(n^2 d).
 */
public final class IntrinsicDimension {
  /** The fraction of largest ratios left out of the fit, as in Facco et al. */
  public static final double DEFAULT_DISCARD = 0.1;

  private IntrinsicDimension() {}

  /** TwoNN with {@link #DEFAULT_DISCARD}. */
  public static double of(TokenCloud cloud) {
    return of(cloud, DEFAULT_DISCARD);
  }

  /**
   * TwoNN leaving the given fraction of the largest ratios out of the fit.
   *
   * @param discard in [0, 1)
   * @throws IllegalArgumentException when the cloud has fewer than 3 points or discard is out of range
   */
  public static double of(TokenCloud cloud, double discard) {
    if (!(discard >= 0 && discard < 1)) {
      throw new IllegalArgumentException("discard must be in [0, 1), found " + discard);
    }
    requireEnoughPoints(cloud);
    int d = cloud.dimension();
    double[] x = Neighbours.distinctPoints(cloud);
    int m = x.length / d;
    if (m < 3) {
      return Double.NaN;
    }
    return fromNearest(Neighbours.nearest(x, d, 2), 2, discard);
  }

  /**
   * TwoNN from nearest-neighbour distances of m distinct points.
   *
   * @param r row-major m*k ascending distances, k &gt;= 2; not modified
   */
  static double fromNearest(double[] r, int k, double discard) {
    int m = r.length / k;
    if (m < 3) {
      return Double.NaN;
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
    return sxx > 0 ? sxy / sxx : Double.NaN;
  }

  /**
   * Checks that TwoNN can run on the cloud.
   *
   * @throws IllegalArgumentException when the cloud has fewer than 3 points
   */
  public static void requireEnoughPoints(TokenCloud cloud) {
    if (cloud.size() < 3) {
      throw new IllegalArgumentException(
          "intrinsic dimension (TwoNN) needs at least 3 points, found n=" + cloud.size());
    }
  }
}
