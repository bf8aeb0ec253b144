package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;

/**
 * The stable (numerical) rank of the centred cloud:
 * <pre>  srank = |X - 1 xbar^T|_F^2 / sigma_max^2 = sum_k sigma_k^2 / max_k sigma_k^2,</pre>
 * with sigma_k the singular values of the centred n x d matrix (EJML's SVD). It lies in
 * [1, rank]: it counts directions that carry variance comparable to the largest, and unlike the rank it
 * does not jump under small noise (Rudelson and Vershynin 2007). The cloud is not modified.
 *
 * <p>Convention: a cloud whose points all coincide has srank 0.
 *
 * <p>Example: singular values (3, 1) give (9 + 1) / 9 = 1.1111.
 */
public final class StableRank {
  private StableRank() {}

  /** The stable rank of the centred cloud. */
  public static double of(TokenCloud cloud) {
    return fromSingularValues(SingularValues.ofCentred(cloud));
  }

  /**
   * The stable rank of a spectrum.
   *
   * @param sigma non-negative singular values; not modified
   * @throws IllegalArgumentException on a negative or non-finite value
   */
  public static double fromSingularValues(double[] sigma) {
    double sumSq = 0;
    double max = 0;
    for (int k = 0; k < sigma.length; k++) {
      if (!(sigma[k] >= 0) || Double.isInfinite(sigma[k])) {
        throw new IllegalArgumentException("singular value " + k + " must be finite and >= 0, found " + sigma[k]);
      }
      sumSq += sigma[k] * sigma[k];
      max = Math.max(max, sigma[k]);
    }
    return max == 0 ? 0.0 : sumSq / (max * max);
  }
}
