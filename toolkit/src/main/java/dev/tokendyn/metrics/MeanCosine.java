package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;

/**
 * The mean pairwise cosine of a cloud,
 * <pre>  m = 1/(n(n-1)) * sum_{i != j} &lt;x_i, x_j&gt; / (|x_i| |x_j|),</pre>
 * and the variance of the same n(n-1) cosines.
 *
 * <p>With u_i = x_i/|x_i| and s = sum_i u_i, the sum over i != j is |s|^2 - n, so the mean costs
 * O(n d). The second moment uses sum_{i,j} &lt;u_i,u_j&gt;^2 = |U^T U|_F^2 (U is n x d), O(n d^2).
 * Weights are ignored: every token counts once. The cloud is not modified.
 *
 * <p>Convention: a cloud of one point has mean cosine 1 and variance 0 (a lone token is fully
 * collapsed onto itself; this matches {@link Clusters#clusteredFraction}).
 *
 * <p>Example: the two points (1,0) and (1,1) have mean cosine 1/sqrt(2) = 0.7071.
 */
public final class MeanCosine {
  private MeanCosine() {}

  /** The mean and the (population) variance of the pairwise cosines over i != j. */
  public record Moments(double mean, double variance) {}

  /**
   * The mean cosine over distinct pairs.
   *
   * @throws IllegalArgumentException when a point is the zero vector
   */
  public static double of(TokenCloud cloud) {
    int n = cloud.size();
    if (n == 1) {
      UnitRows.of(cloud);
      return 1.0;
    }
    double[] u = UnitRows.of(cloud);
    double[] s = UnitRows.columnSums(u, n, cloud.dimension());
    return (UnitRows.squaredNorm(s) - n) / ((double) n * (n - 1));
  }

  /**
   * The mean and variance of the cosines over distinct pairs (i, j), i != j.
   *
   * @throws IllegalArgumentException when a point is the zero vector
   */
  public static Moments moments(TokenCloud cloud) {
    int n = cloud.size();
    int d = cloud.dimension();
    double[] u = UnitRows.of(cloud);
    if (n == 1) {
      return new Moments(1.0, 0.0);
    }
    double[] s = UnitRows.columnSums(u, n, d);
    double pairs = (double) n * (n - 1);
    double mean = (UnitRows.squaredNorm(s) - n) / pairs;
    // sum over all (i, j) of cos^2 = |U^T U|_F^2; the diagonal contributes n
    double[] g = new double[d * d];
    for (int i = 0; i < n; i++) {
      int off = i * d;
      for (int a = 0; a < d; a++) {
        double ua = u[off + a];
        int row = a * d;
        for (int b = a; b < d; b++) {
          g[row + b] += ua * u[off + b];
        }
      }
    }
    double frob = 0;
    for (int a = 0; a < d; a++) {
      frob += g[a * d + a] * g[a * d + a];
      for (int b = a + 1; b < d; b++) {
        frob += 2 * g[a * d + b] * g[a * d + b];
      }
    }
    double second = (frob - n) / pairs;
    return new Moments(mean, Math.max(0, second - mean * mean));
  }
}
