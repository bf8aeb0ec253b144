package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;

/**
 * The effective rank of the centred cloud (Roy and Vetterli 2007, "The effective rank: a measure of
 * effective dimensionality"):
 * <pre>  erank = exp(- sum_k p_k log p_k),   p_k = sigma_k / sum_j sigma_j,</pre>
 * where sigma_k are the singular values of X - 1 xbar^T (n x d, xbar the unweighted mean token), from
 * EJML's SVD. It lies in [1, min(n, d)]: 1 when the centred points lie on a line, m when they have m
 * equal singular values and no others. Terms with p_k = 0 contribute 0. The cloud is not modified.
 *
 * <p>Convention: a cloud whose points all coincide (centred matrix zero) has erank 0, meaning no spread.
 *
 * <p>Example: singular values (3, 1) give p = (3/4, 1/4) and erank = exp(0.5623) = 1.7548.
 */
public final class EffectiveRank {
  private EffectiveRank() {}

  /** The effective rank of the centred cloud. */
  public static double of(TokenCloud cloud) {
    return fromSingularValues(SingularValues.ofCentred(cloud));
  }

  /**
   * The effective rank of a spectrum.
   *
   * @param sigma non-negative singular values; not modified
   * @throws IllegalArgumentException on a negative or non-finite value
   */
  public static double fromSingularValues(double[] sigma) {
    double sum = 0;
    for (int k = 0; k < sigma.length; k++) {
      if (!(sigma[k] >= 0) || Double.isInfinite(sigma[k])) {
        throw new IllegalArgumentException("singular value " + k + " must be finite and >= 0, found " + sigma[k]);
      }
      sum += sigma[k];
    }
    if (sum == 0) {
      return 0.0;
    }
    double h = 0;
    for (double s : sigma) {
      if (s > 0) {
        double p = s / sum;
        h -= p * Math.log(p);
      }
    }
    return Math.exp(h);
  }
}
