package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;

/**
 * The residual from the mean token, relative to the cloud (Dong, Cordonnier and Loukas 2021,
 * "Attention is not all you need: pure attention loses rank doubly exponentially with depth"):
 * <pre>  r = |X - 1 xbar^T|_F / |X|_F,   xbar = (1/n) sum_i x_i,</pre>
 * with X the n x d matrix of points. r is in [0, 1]: 0 when every token equals the mean (rank
 * collapse), 1 when the mean token is zero. Unweighted; the cloud is not modified.
 *
 * <p>Convention: a cloud whose points are all zero has r = 0 (it is collapsed).
 *
 * <p>Example: the points (1,0) and (0,1) have xbar = (1/2,1/2), residual sqrt(1/2) and r = 1/sqrt(2).
 */
public final class RankCollapse {
  private RankCollapse() {}

  /** The relative residual r. */
  public static double of(TokenCloud cloud) {
    double[] x = cloud.toFlatArray();
    double total = UnitRows.squaredNorm(x);
    if (total == 0) {
      return 0.0;
    }
    double residual = UnitRows.squaredNorm(Centred.points(cloud));
    return Math.sqrt(residual / total);
  }
}
