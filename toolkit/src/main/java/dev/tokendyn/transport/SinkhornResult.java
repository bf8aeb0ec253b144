package dev.tokendyn.transport;

import java.util.List;

/**
 * The result of entropic OT. The plan is kept as its dual potentials: P_ij = exp((f_i + g_j - M_ij) / reg).
 *
 * @param f the n row potentials (-infinity for a point of zero weight)
 * @param g the m column potentials (-infinity for a point of zero weight)
 * @param reg the regularisation the potentials belong to
 * @param value &lt;P, M&gt; = sum_ij P_ij M_ij, as POT's {@code ot.sinkhorn2}
 * @param regularizedValue &lt;P, M&gt; + reg sum_ij P_ij log P_ij, the entropic objective of POT's
 *     {@code ot.sinkhorn}
 * @param iterations Sinkhorn iterations over all epsilon stages (each updates both potentials), plus the
 *     Newton steps of a finish, if any
 * @param converged whether the marginal error fell below stopThr
 * @param marginalError the larger of the L2 norms of P 1 - a and P^T 1 - b, for the plan of these
 *     potentials with the kernel computed in double precision
 * @param warnings non-convergence with its fix, normalised weights
 * @param kernel where the kernel lived while the solver iterated (the last storage when it changed)
 */
public record SinkhornResult(double[] f, double[] g, double reg, double value, double regularizedValue,
    long iterations, boolean converged, double marginalError, List<String> warnings, KernelStorage kernel)
    implements TransportResult {
  public SinkhornResult {
    f = f.clone();
    g = g.clone();
    warnings = List.copyOf(warnings);
    if (kernel == null) {
      throw new IllegalArgumentException("kernel storage must be given, found null");
    }
  }

  @Override
  public double[] f() {
    return f.clone();
  }

  @Override
  public double[] g() {
    return g.clone();
  }

  /** The dense plan, row-major n*m, rebuilt from the potentials for the cost they were computed with. */
  public double[] plan(CostMatrix cost) {
    if (cost.rows() != f.length || cost.cols() != g.length) {
      throw new IllegalArgumentException("cost matrix must be " + f.length + "x" + g.length + ", found "
          + cost.rows() + "x" + cost.cols());
    }
    int m = g.length;
    double[] p = new double[f.length * m];
    double[] row = new double[m];
    for (int i = 0; i < f.length; i++) {
      cost.row(i, row, 0);
      for (int j = 0; j < m; j++) {
        p[i * m + j] = Math.exp((f[i] + g[j] - row[j]) / reg);
      }
    }
    return p;
  }
}
