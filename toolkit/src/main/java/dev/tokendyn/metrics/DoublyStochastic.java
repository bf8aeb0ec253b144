package dev.tokendyn.metrics;

/**
 * How far an attention matrix is from doubly stochastic: Sinkformers (Sander et al. 2022) observe that
 * trained attention comes close to it.
 *
 * <pre>  defect(P) = (1/m) sum_j | sum_i P'_ij - 1 |</pre>
 * over the m kept tokens, where P' is P restricted to the kept rows and columns, each row renormalised to
 * sum to one (a row-stochastic matrix of the kept tokens). Its columns sum to m in total, so the defect
 * is 0 exactly when P' is doubly stochastic and at most 2 (m - 1) / m (every query on one key).
 */
public final class DoublyStochastic {
  private DoublyStochastic() {}

  /**
   * The defect of head {@code head} of a [heads, n, n] row-major probability array.
   *
   * @param probabilities [heads][n][n], rows summing to one; not modified
   * @param keep which tokens to keep (all, or all but the special tokens); null keeps all
   * @return the defect, or NaN when fewer than one token is kept
   * @throws IllegalArgumentException when the shapes do not fit
   */
  public static double defect(float[] probabilities, int heads, int n, int head, boolean[] keep) {
    if (probabilities.length != heads * n * n || head < 0 || head >= heads || (keep != null && keep.length != n)) {
      throw new IllegalArgumentException("probabilities of " + probabilities.length + " values do not fit " + heads
          + " heads of " + n + " x " + n + " (head " + head + ", keep " + (keep == null ? "all" : keep.length) + ")");
    }
    int m = 0;
    for (int j = 0; j < n; j++) {
      if (keep == null || keep[j]) {
        m++;
      }
    }
    if (m == 0) {
      return Double.NaN;
    }
    double[] col = new double[n];
    int o = head * n * n;
    for (int i = 0; i < n; i++) {
      if (keep != null && !keep[i]) {
        continue;
      }
      int r = o + i * n;
      double row = 0;
      if (keep == null) {
        for (int j = 0; j < n; j++) {
          row += probabilities[r + j];
        }
      } else {
        for (int j = 0; j < n; j++) {
          if (keep[j]) {
            row += probabilities[r + j];
          }
        }
      }
      if (row <= 0) {
        continue;
      }
      double inv = 1 / row;
      if (keep == null) {
        for (int j = 0; j < n; j++) {
          col[j] += probabilities[r + j] * inv;
        }
      } else {
        for (int j = 0; j < n; j++) {
          if (keep[j]) {
            col[j] += probabilities[r + j] * inv;
          }
        }
      }
    }
    double s = 0;
    for (int j = 0; j < n; j++) {
      if (keep == null || keep[j]) {
        s += Math.abs(col[j] - 1);
      }
    }
    return s / m;
  }

  /**
   * Both defects of head {@code head} in one pass over its rows: out[0] with every token kept, out[1] with
   * the tokens of {@code keep} only (NaN when none is kept). The same values as two calls of
   * {@link #defect}, to rounding.
   *
   * @throws IllegalArgumentException when the shapes do not fit
   */
  public static void defects(float[] probabilities, int heads, int n, int head, boolean[] keep, double[] out) {
    if (probabilities.length != heads * n * n || head < 0 || head >= heads || keep.length != n || out.length < 2) {
      throw new IllegalArgumentException("probabilities of " + probabilities.length + " values do not fit " + heads
          + " heads of " + n + " x " + n + " (head " + head + ", keep " + keep.length + ")");
    }
    double[] colAll = new double[n];
    // the kept rows' columns; those of dropped tokens collect values that are never read
    double[] colKept = new double[n];
    double[] ones = new double[n];
    double[] mask = new double[n];
    int m = 0;
    for (int j = 0; j < n; j++) {
      ones[j] = 1;
      mask[j] = keep[j] ? 1 : 0;
      m += keep[j] ? 1 : 0;
    }
    int o = head * n * n;
    // each row by the kernel package's float-row sums and updates (rows of a few dozen entries, 72 heads
    // and blocks a text: as scalar loops they were 7% of the measuring thread)
    for (int i = 0; i < n; i++) {
      int r = o + i * n;
      double all = dev.tokendyn.kernel.ArrayOps.dot(probabilities, r, ones, 0, n);
      double kept = dev.tokendyn.kernel.ArrayOps.dot(probabilities, r, mask, 0, n);
      if (all > 0) {
        dev.tokendyn.kernel.ArrayOps.axpy(1 / all, probabilities, r, colAll, 0, n);
      }
      if (keep[i] && kept > 0) {
        dev.tokendyn.kernel.ArrayOps.axpy(1 / kept, probabilities, r, colKept, 0, n);
      }
    }
    double sa = 0;
    double sk = 0;
    for (int j = 0; j < n; j++) {
      sa += Math.abs(colAll[j] - 1);
      sk += keep[j] ? Math.abs(colKept[j] - 1) : 0;
    }
    out[0] = n == 0 ? Double.NaN : sa / n;
    out[1] = m == 0 ? Double.NaN : sk / m;
  }
}
