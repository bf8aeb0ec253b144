package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;

/**
 * The cost of the identity map between two clouds of the same tokens, the transport that a model (or a
 * particle system) actually performs when token i at depth l becomes token i at depth l+1:
 * <pre>  C_id = sum_i a_i |y_i - x_i|^2,</pre>
 * with a the normalised weights of {@code from} (uniform 1/n when it has none, so C_id is the plain mean
 * of the squared displacements). The identity is one coupling of the two clouds, so C_id &gt;= W2^2 when
 * both carry the same weights. Neither cloud is modified.
 *
 * <p>Example: from (0,0), (1,0) to (0,1), (1,2): displacements of squared length 1 and 4, C_id = 2.5.
 */
public final class IdentityCost {
  private IdentityCost() {}

  /**
   * The identity cost from {@code from} to {@code to}.
   *
   * @throws IllegalArgumentException when the clouds differ in shape
   */
  public static double of(TokenCloud from, TokenCloud to) {
    requireSameTokens(from, to);
    int n = from.size();
    int d = from.dimension();
    double[] a = from.normalizedWeights();
    double[] x = from.toFlatArray();
    double[] y = to.toFlatArray();
    double cost = 0;
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        double t = y[i * d + k] - x[i * d + k];
        s += t * t;
      }
      cost += a[i] * s;
    }
    return cost;
  }

  /**
   * Checks that two clouds can hold the same tokens: equal size and dimension.
   *
   * @throws IllegalArgumentException naming both shapes
   */
  static void requireSameTokens(TokenCloud from, TokenCloud to) {
    if (from.size() != to.size() || from.dimension() != to.dimension()) {
      throw new IllegalArgumentException("the identity map needs the same tokens in both clouds, found shapes "
          + from.size() + "x" + from.dimension() + " vs " + to.size() + "x" + to.dimension());
    }
  }
}
