package dev.tokendyn.transport;

import dev.tokendyn.cloud.TokenCloud;

/**
 * One-line entry points for the distances that other packages need. Each uses the clouds' normalised
 * weights ({@link TokenCloud#normalizedWeights()}), and none modifies its arguments. For the plan,
 * the potentials, the iteration count or other parameters, use the solver classes directly.
 *
 * <pre>{@code
 * TokenCloud x = TokenCloud.of(new double[][] {{0}, {1}});
 * TokenCloud y = TokenCloud.of(new double[][] {{3}, {0}});
 * Transport.w2(x, y);                  // sqrt(2) = 1.41421...: mass 1/2 stays at 0, 1/2 moves 1 -> 3
 * Transport.sliced(x, y, 10, 0);       // also sqrt(2): in one dimension sliced W2 is exact
 * Transport.sinkhornDivergence(x, x, 0.1);  // 0.0
 * }</pre>
 */
public final class Transport {
  private Transport() {}

  /**
   * The exact 2-Wasserstein distance W_2(x, y) = sqrt(min_P sum_ij P_ij |x_i - y_j|^2), i.e. the square
   * root of POT's {@code ot.emd2(a, b, ot.dist(x, y))}.
   *
   * @throws IllegalArgumentException when the dimensions differ or weights sum to zero
   */
  public static double w2(TokenCloud x, TokenCloud y) {
    return Math.sqrt(Math.max(0, exact(x, y, Cost.SQEUCLIDEAN).value()));
  }

  /** Exact OT between the clouds for the given cost, with POT's default iteration limit. */
  public static ExactResult exact(TokenCloud x, TokenCloud y, Cost cost) {
    return new NetworkSimplex(ExactParams.defaults().withCost(cost)).between(x, y);
  }

  /**
   * Entropic OT, squared Euclidean cost, POT's defaults (stopThr 1e-9, 1000 iterations); {@code value}
   * is POT's {@code ot.sinkhorn2(a, b, ot.dist(x, y), reg)}.
   */
  public static SinkhornResult sinkhorn(TokenCloud x, TokenCloud y, double reg) {
    return new Sinkhorn(SinkhornParams.of(reg)).between(x, y);
  }

  /**
   * The debiased Sinkhorn divergence S = OT_reg(x, y) - (OT_reg(x, x) + OT_reg(y, y)) / 2 with squared
   * Euclidean cost, stopThr 1e-9 and 1000 iterations; see {@link SinkhornDivergence}.
   *
   * @throws IllegalArgumentException when reg &lt;= 0, the dimensions differ, or weights sum to zero
   */
  public static double sinkhornDivergence(TokenCloud x, TokenCloud y, double reg) {
    return new SinkhornDivergence(SinkhornParams.of(reg)).between(x, y).value();
  }

  /**
   * The sliced 2-Wasserstein distance over {@code projections} random directions drawn from
   * {@code seed}, POT's {@code ot.sliced_wasserstein_distance(x, y, a, b, projections, p=2)}.
   *
   * @throws IllegalArgumentException when projections &lt; 1 or the dimensions differ
   */
  public static double sliced(TokenCloud x, TokenCloud y, int projections, long seed) {
    return new SlicedWasserstein(new SlicedParams(projections, seed)).between(x, y).value();
  }

  /**
   * The spherical sliced 2-Wasserstein distance between clouds on the unit sphere, on circles of length
   * one; see {@link SphericalSlicedWasserstein}.
   */
  public static double slicedSpherical(TokenCloud x, TokenCloud y, int projections, long seed) {
    return new SphericalSlicedWasserstein(new SlicedParams(projections, seed)).between(x, y).value();
  }
}
