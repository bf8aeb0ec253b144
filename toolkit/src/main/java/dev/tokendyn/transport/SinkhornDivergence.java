package dev.tokendyn.transport;

import dev.tokendyn.cloud.TokenCloud;

/**
 * The debiased Sinkhorn divergence (Feydy et al., Interpolating between optimal transport and MMD using
 * Sinkhorn divergences, AISTATS 2019):
 *
 * <pre>  S(a, b) = OT_reg(a, b) - (OT_reg(a, a) + OT_reg(b, b)) / 2 </pre>
 *
 * where OT_reg is the entropic objective &lt;P, M&gt; + reg sum P log P at the optimum (the entropy of the
 * marginals cancels out, so this equals Feydy's definition with KL(P | a x b)). S is zero when the two
 * clouds are the same, and &gt;= 0 for the squared Euclidean and Euclidean costs, whose Gibbs kernels are
 * positive definite; for the geodesic cost it need not be. The three terms are solved with the same
 * parameters: OT(a, b) by {@link Sinkhorn}, the two symmetric terms by the symmetric update of Feydy et
 * al., which converges far faster on them than alternating updates. Where a cold start would not scale
 * eps (reg at least median(M_ab) / 32), OT(a, b) then starts from their potentials (f of OT(a, a), g of
 * OT(b, b)): on consecutive layers of MiniLM's tokens (n = 4,000, reg 0.05 times the median) it takes a
 * fifth fewer iterations (177 -> 137, 145 -> 113, 81 -> 71).
 */
public final class SinkhornDivergence implements CloudDistance {
  private final Sinkhorn sinkhorn;

  public SinkhornDivergence(SinkhornParams params) {
    this.sinkhorn = new Sinkhorn(params);
  }

  /** With a memory budget in bytes for each of the three solves (see {@link Sinkhorn#Sinkhorn(SinkhornParams, long)}). */
  public SinkhornDivergence(SinkhornParams params, long memoryBytes) {
    this.sinkhorn = new Sinkhorn(params, memoryBytes);
  }

  public SinkhornParams params() {
    return sinkhorn.params();
  }

  @Override
  public DivergenceResult between(TokenCloud x, TokenCloud y) {
    Cost cost = sinkhorn.params().cost();
    if (x.equals(y)) {
      // the same cloud twice: all three terms are one symmetric problem, and S is exactly zero
      CostMatrix m = CostMatrix.between(cost, x, x);
      return solve(x.normalizedWeights(), x.normalizedWeights(), m, m, m);
    }
    return solve(x.normalizedWeights(), y.normalizedWeights(), CostMatrix.between(cost, x, y),
        CostMatrix.between(cost, x, x), CostMatrix.between(cost, y, y));
  }

  /**
   * The divergence from the three cost matrices M_ab (n x m), M_aa (n x n) and M_bb (m x m); M_aa and
   * M_bb must be symmetric, as a cost between a cloud and itself is.
   *
   * @throws IllegalArgumentException on a shape mismatch or invalid weights
   */
  public DivergenceResult solve(double[] a, double[] b, CostMatrix mab, CostMatrix maa, CostMatrix mbb) {
    if (maa.rows() != mab.rows() || maa.cols() != mab.rows() || mbb.rows() != mab.cols() || mbb.cols() != mab.cols()) {
      throw new IllegalArgumentException("cost matrices must be n x m, n x n and m x m for n=" + mab.rows() + ", m="
          + mab.cols() + "; found " + mab.rows() + "x" + mab.cols() + ", " + maa.rows() + "x" + maa.cols() + ", "
          + mbb.rows() + "x" + mbb.cols());
    }
    SinkhornResult xx = sinkhorn.solveSymmetric(a, maa);
    boolean same = maa == mab && mbb == mab && java.util.Arrays.equals(a, b);
    SinkhornResult yy = same ? xx : sinkhorn.solveSymmetric(b, mbb);
    // the cross problem starts from the symmetric potentials: for a = b it is solved by them, and for
    // nearby clouds (consecutive layers of the same tokens) it starts near its solution; not where a cold
    // start would scale eps down from far above reg
    SinkhornResult xy = same ? xx
        : sinkhorn.scales(mab) ? sinkhorn.solve(a, b, mab) : sinkhorn.solve(a, b, mab, xx.f(), yy.f());
    double s = xy.regularizedValue() - 0.5 * (xx.regularizedValue() + yy.regularizedValue());
    return new DivergenceResult(s, xy, xx, yy);
  }
}
