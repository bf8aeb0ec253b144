package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import java.util.List;

/**
 * Anisotropy: the expected cosine between two random tokens (Ethayarajh 2019, "How contextual are
 * contextualized word representations?"). Isotropic representations give about 0; a narrow cone gives
 * values near 1.
 *
 * <p>For one cloud (one text) it is the mean cosine over distinct pairs, {@link MeanCosine#of}. For
 * several clouds of the same layer (several texts), it is pooled over pairs of tokens drawn from
 * <em>different</em> clouds, as Ethayarajh draws words from different contexts, so that similarity
 * within one text does not count:
 * <pre>  A = sum_{a != b} sum_{i in a, j in b} cos(x_i, x_j) / sum_{a != b} n_a n_b
 *     = (|sum_a s_a|^2 - sum_a |s_a|^2) / ((sum_a n_a)^2 - sum_a n_a^2),</pre>
 * with s_a the sum of the unit vectors of cloud a. Cost O(N d). Weights are ignored; clouds are not
 * modified.
 */
public final class Anisotropy {
  private Anisotropy() {}

  /** The anisotropy of one cloud: its mean cosine over distinct pairs. */
  public static double of(TokenCloud cloud) {
    return MeanCosine.of(cloud);
  }

  /**
   * The anisotropy pooled over pairs of tokens from different clouds.
   *
   * @param clouds at least two clouds of one dimension
   * @throws IllegalArgumentException on fewer than two clouds, differing dimensions or a zero point
   */
  public static double pooled(List<TokenCloud> clouds) {
    if (clouds.size() < 2) {
      throw new IllegalArgumentException(
          "pooled anisotropy needs at least two clouds (texts), found " + clouds.size() + "; use of(cloud) for one");
    }
    int d = clouds.get(0).dimension();
    double[] total = new double[d];
    double sumOwn = 0;
    double n = 0;
    double sumNSq = 0;
    for (int a = 0; a < clouds.size(); a++) {
      TokenCloud c = clouds.get(a);
      if (c.dimension() != d) {
        throw new IllegalArgumentException(
            "every cloud must have the same dimension: cloud 0 has " + d + ", cloud " + a + " has " + c.dimension());
      }
      double[] s = UnitRows.columnSums(UnitRows.of(c), c.size(), d);
      for (int k = 0; k < d; k++) {
        total[k] += s[k];
      }
      sumOwn += UnitRows.squaredNorm(s);
      n += c.size();
      sumNSq += (double) c.size() * c.size();
    }
    return (UnitRows.squaredNorm(total) - sumOwn) / (n * n - sumNSq);
  }
}
