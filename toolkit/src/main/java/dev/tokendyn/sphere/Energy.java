package dev.tokendyn.sphere;

import dev.tokendyn.cloud.TokenCloud;

/**
 * The interaction energy of Geshkovski et al., E_beta(x) = (1 / (2 beta n^2)) sum_{i,j} exp(beta &lt;x_i, x_j&gt;),
 * which USA with Q = K = V = I increases along its flow (it is the gradient ascent of E_beta on the
 * sphere). Summed in the shifted form exp(beta (&lt;x_i,x_j&gt; - m)), m the largest inner product, so
 * that large beta does not overflow before the result does; in one pass and O(1) memory.
 */
public final class Energy {
  private Energy() {}

  /**
   * E_beta of a cloud.
   *
   * @return the energy; NaN for beta = 0, where it is not defined; +Infinity past the double range
   */
  public static double of(TokenCloud cloud, double beta) {
    return of(cloud.toFlatArray(), cloud.size(), cloud.dimension(), beta);
  }

  /** E_beta of n points stored row-major with stride d; the array is not modified. */
  public static double of(double[] x, int n, int d, double beta) {
    if (!(beta > 0)) {
      return Double.NaN;
    }
    // one pass, in O(1) memory: the sum is kept relative to the largest inner product seen so far, and
    // rescaled when a larger one turns up
    double m = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += x[i * d + k] * x[j * d + k];
        }
        double w = i == j ? 1 : 2;
        if (s > m) {
          sum = sum * Math.exp(beta * (m - s)) + w;
          m = s;
        } else {
          sum += w * Math.exp(beta * (s - m));
        }
      }
    }
    return Math.exp(beta * m + Math.log(sum) - Math.log(2 * beta * (double) n * n));
  }
}
