package dev.tokendyn.metrics;

/**
 * How close the identity map (the tokens keeping their identity) is to an optimal transport:
 * <pre>  eta = W2^2 / C_id,</pre>
 * with W2 the exact Wasserstein-2 distance and C_id the {@link IdentityCost}. Since the identity is one
 * coupling, 0 &lt;= eta &lt;= 1 up to rounding: 1 when the tokens move along an optimal plan (a rigid
 * translation, for instance), near 0 when they swap places at high cost while the cloud as a whole barely
 * changes (a permutation has W2 = 0).
 *
 * <p><b>It does not discriminate between dynamics</b>, and no report carries it. Any short-time flow of a
 * smooth field is, to first order, the gradient of a convex function (Brenier), so the identity coupling
 * is optimal and eta is about 1 for any smooth flow: for every layer of the catalog models, for
 * simulated attention with Gaussian Q, K, V, and even for a real layer whose displacements are rotated by
 * one random orthogonal matrix or shuffled among tokens (at least 0.9997), because inter-token distances
 * dwarf the cross terms. Use {@link RotationalShare} to tell a rotation from a gradient flow and
 * {@link GeodesicRatio} to tell straight from winding paths.
 *
 * <p>Convention for 0/0: when C_id = 0 the clouds coincide token by token, the identity is optimal, and
 * eta = 1.
 */
public final class TransportEfficiency {
  private TransportEfficiency() {}

  /**
   * eta from a W2 distance and an identity cost.
   *
   * @throws IllegalArgumentException when either is negative or not finite
   */
  public static double of(double w2, double identityCost) {
    if (!(w2 >= 0) || Double.isInfinite(w2)) {
      throw new IllegalArgumentException("w2 must be finite and >= 0, found " + w2);
    }
    if (!(identityCost >= 0) || Double.isInfinite(identityCost)) {
      throw new IllegalArgumentException("identity cost must be finite and >= 0, found " + identityCost);
    }
    if (identityCost == 0) {
      return 1.0;
    }
    return w2 * w2 / identityCost;
  }
}
