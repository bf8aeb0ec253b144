package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;

/**
 * The Kozachenko-Leonenko k-nearest-neighbour estimate of the differential entropy of the density that
 * the points sample, in nats (Kozachenko and Leonenko 1987; in the form of Kraskov, Stoegbauer and
 * Grassberger 2004, eq. 20):
 * <pre>  H = psi(N) - psi(k) + log V_d + (d/N) sum_i log eps_i,   V_d = pi^(d/2) / Gamma(d/2 + 1),</pre>
 * where eps_i is the Euclidean distance from point i to its k-th nearest neighbour, V_d the volume of the
 * unit ball in R^d and psi the digamma function. Default k = {@value #DEFAULT_K}. Units: nats (natural
 * logarithm); divide by log 2 for bits. Rescaling every point by c adds d log c.
 *
 * <p>The estimate is consistent for fixed k as N grows, but biased in high dimension at moderate N;
 * compare values along one sequence rather than across dimensions. Duplicates (eps_i = 0) make the
 * differential entropy -infinity; the estimate is therefore taken over the distinct points. With k or
 * fewer distinct points it is undefined (NaN). Weights are ignored; the cloud is not modified. Cost
 * O(n^2 d).
 */
public final class Entropy {
  /** The default neighbour rank k. */
  public static final int DEFAULT_K = 3;

  private Entropy() {}

  /** The estimate with k = {@value #DEFAULT_K}, in nats. */
  public static double of(TokenCloud cloud) {
    return of(cloud, DEFAULT_K);
  }

  /**
   * The estimate with the given k, in nats.
   *
   * @param k neighbour rank, at least 1
   * @throws IllegalArgumentException when k &lt; 1 or the cloud has k or fewer points
   */
  public static double of(TokenCloud cloud, int k) {
    requireEnoughPoints(cloud, k);
    int d = cloud.dimension();
    double[] x = Neighbours.distinctPoints(cloud);
    int m = x.length / d;
    if (m <= k) {
      return Double.NaN;
    }
    return fromNearest(Neighbours.nearest(x, d, k), k, k, d);
  }

  /**
   * The estimate from nearest-neighbour distances of m distinct points.
   *
   * @param eps row-major m*width ascending distances, width &gt;= k; not modified
   */
  static double fromNearest(double[] eps, int width, int k, int d) {
    int m = eps.length / width;
    if (m <= k) {
      return Double.NaN;
    }
    double sumLog = 0;
    for (int i = 0; i < m; i++) {
      sumLog += Math.log(eps[i * width + k - 1]);
    }
    return digamma(m) - digamma(k) + logUnitBallVolume(d) + d * sumLog / m;
  }

  /**
   * Checks that the estimate can run on the cloud.
   *
   * @throws IllegalArgumentException when k &lt; 1 or the cloud has k or fewer points
   */
  public static void requireEnoughPoints(TokenCloud cloud, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, found " + k);
    }
    if (cloud.size() <= k) {
      throw new IllegalArgumentException(
          "entropy (Kozachenko-Leonenko, k=" + k + ") needs more than k points, found n=" + cloud.size());
    }
  }

  /** psi(n) = -gamma + sum_{j=1}^{n-1} 1/j for a positive integer n. */
  static double digamma(int n) {
    double s = -0.57721566490153286;
    for (int j = 1; j < n; j++) {
      s += 1.0 / j;
    }
    return s;
  }

  /** log of pi^(d/2) / Gamma(d/2 + 1), with Gamma at integers and half-integers summed exactly. */
  static double logUnitBallVolume(int d) {
    double logGamma = 0;
    if (d % 2 == 0) {
      for (int j = 2; j <= d / 2; j++) {
        logGamma += Math.log(j);
      }
    } else {
      // Gamma(m + 1/2) = sqrt(pi) * prod_{j=1}^{m} (j - 1/2), m = (d + 1) / 2
      logGamma = 0.5 * Math.log(Math.PI);
      for (int j = 1; j <= (d + 1) / 2; j++) {
        logGamma += Math.log(j - 0.5);
      }
    }
    return 0.5 * d * Math.log(Math.PI) - logGamma;
  }
}
