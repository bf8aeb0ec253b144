package dev.tokendyn.metrics;

/**
 * How far a sequence of distributions is from a straight Wasserstein geodesic:
 * <pre>  g = sum_l W2(mu_l, mu_{l+1}) / W2(mu_0, mu_L)  &gt;= 1,</pre>
 * by the triangle inequality for exact W2. 1 when the layers move the distribution along the geodesic
 * from the first to the last (each step in the same direction, at any speed); larger when they wander.
 */
public final class GeodesicRatio {
  private GeodesicRatio() {}

  /**
   * The ratio from the step distances and the end-to-end distance.
   *
   * @param steps W2 of each consecutive step, not modified
   * @param direct W2(mu_0, mu_L)
   * @return the ratio, NaN when direct is 0 (the ends coincide) or any input is not finite; rounding that
   *     puts it a hair under 1 gives 1
   */
  public static double of(double[] steps, double direct) {
    double s = 0;
    for (double w : steps) {
      if (!Double.isFinite(w)) {
        return Double.NaN;
      }
      s += w;
    }
    if (!(direct > 0) || !Double.isFinite(direct)) {
      return Double.NaN;
    }
    return Math.max(1, s / direct);
  }
}
