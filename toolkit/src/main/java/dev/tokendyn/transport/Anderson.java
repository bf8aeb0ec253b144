package dev.tokendyn.transport;

import dev.tokendyn.kernel.ArrayOps;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Anderson acceleration of a fixed-point iteration x &lt;- T(x) in R^n (type II, Walker and Ni, Anderson
 * acceleration for fixed-point iterations, 2011): from the last m steps it takes the combination of the
 * iterates whose residual f = T(x) - x is least in the L2 norm, and steps from there,
 * x' = x + f - (dX + dF) gamma with gamma = argmin |f - dF gamma|, where the columns of dX and dF are the
 * differences of consecutive iterates and of their residuals. The least-squares problem is solved by its
 * normal equations (EJML's solver) with a Tikhonov term of 1e-10 times their trace, which keeps it solvable when the
 * history is nearly collinear, as it becomes near the fixed point. With no history the step is the plain
 * one, x' = T(x). With a restart period r the history is dropped every r steps: a history that reaches back
 * past where the map's local behaviour changed can make the combination stagnate, and a fresh one recovers
 * (Henderson and Varadhan, Damped Anderson acceleration with restarts and monotonicity control, 2019).
 * Costs O(m n) a step beside the m x m solve; not thread-safe.
 */
final class Anderson {
  private static final double TIKHONOV = 1e-10;

  private final int n;
  private final int memory;
  private final int restart;
  private int sinceReset;
  /** dX and dF, one column a row, in a ring of {@code memory}. */
  private final double[][] dx;
  private final double[][] df;
  private final double[] lastX;
  private final double[] lastF;
  private final double[] f;
  private int stored;
  private int next;
  private boolean started;

  /**
   * @param n the length of x
   * @param memory m &gt;= 1, the number of differences kept
   * @param restart the steps after which the history is dropped, &gt; m; 0 for never
   */
  Anderson(int n, int memory, int restart) {
    if (n < 1 || memory < 1 || (restart != 0 && restart <= memory)) {
      throw new IllegalArgumentException("Anderson acceleration needs n >= 1, memory >= 1 and a restart period of"
          + " 0 or above the memory, found n=" + n + ", memory=" + memory + ", restart=" + restart);
    }
    this.n = n;
    this.memory = memory;
    this.restart = restart;
    dx = new double[memory][n];
    df = new double[memory][n];
    lastX = new double[n];
    lastF = new double[n];
    f = new double[n];
  }

  /** Forgets the history: the next step is the plain one. */
  void reset() {
    sinceReset = 0;
    stored = 0;
    next = 0;
    started = false;
  }

  /** The number of differences held. */
  int stored() {
    return stored;
  }

  /**
   * The next iterate from x and its image tx = T(x), written into x; tx is not modified.
   *
   * @return false, with the plain step x = T(x) taken and the history reset, when the least-squares system
   *     was singular or gave a non-finite step
   */
  boolean step(double[] x, double[] tx) {
    if (restart > 0 && sinceReset >= restart) {
      reset();
    }
    sinceReset++;
    for (int i = 0; i < n; i++) {
      f[i] = tx[i] - x[i];
    }
    if (started) {
      double[] cx = dx[next];
      double[] cf = df[next];
      for (int i = 0; i < n; i++) {
        cx[i] = x[i] - lastX[i];
        cf[i] = f[i] - lastF[i];
      }
      next = (next + 1) % memory;
      stored = Math.min(stored + 1, memory);
    }
    System.arraycopy(x, 0, lastX, 0, n);
    System.arraycopy(f, 0, lastF, 0, n);
    started = true;
    if (stored == 0) {
      System.arraycopy(tx, 0, x, 0, n);
      return true;
    }
    int k = stored;
    DMatrixRMaj normal = new DMatrixRMaj(k, k);
    DMatrixRMaj rhs = new DMatrixRMaj(k, 1);
    double trace = 0;
    for (int p = 0; p < k; p++) {
      for (int q = 0; q <= p; q++) {
        double s = ArrayOps.dot(df[p], 0, df[q], 0, n);
        normal.set(p, q, s);
        normal.set(q, p, s);
      }
      rhs.set(p, 0, ArrayOps.dot(df[p], 0, f, 0, n));
      trace += normal.get(p, p);
    }
    for (int p = 0; p < k; p++) {
      normal.add(p, p, TIKHONOV * trace);
    }
    DMatrixRMaj gamma = new DMatrixRMaj(k, 1);
    if (!CommonOps_DDRM.solve(normal, rhs, gamma)) {
      reset();
      System.arraycopy(tx, 0, x, 0, n);
      return false;
    }
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double s = x[i] + f[i];
      for (int p = 0; p < k; p++) {
        s -= (dx[p][i] + df[p][i]) * gamma.get(p, 0);
      }
      if (!Double.isFinite(s)) {
        reset();
        System.arraycopy(tx, 0, x, 0, n);
        return false;
      }
      out[i] = s;
    }
    System.arraycopy(out, 0, x, 0, n);
    return true;
  }
}
