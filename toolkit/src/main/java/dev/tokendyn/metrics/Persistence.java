package dev.tokendyn.metrics;

/**
 * The persistence of tokens' motion: the mean cosine between each token's consecutive displacements
 * delta_{l-1} = x^l - x^{l-1} and delta_l = x^{l+1} - x^l,
 * <pre>  p = (1/n') sum_i cos(delta_{l-1,i}, delta_{l,i}),</pre>
 * over the n' tokens whose two displacements are both non-zero. 1 is straight motion, 0 a random walk
 * (independent steps), below 0 back and forth. NaN when no token moved in both steps. Nothing is modified.
 */
public final class Persistence {
  private Persistence() {}

  /**
   * The persistence at x^{l-1} -&gt; x^l -&gt; x^{l+1}, three row-major n x d arrays of the same tokens.
   *
   * @throws IllegalArgumentException when the arrays differ in length or do not hold n x d values
   */
  public static double of(double[] before, double[] at, double[] after, int n, int d) {
    if (before.length != (long) n * d || at.length != before.length || after.length != before.length) {
      throw new IllegalArgumentException("persistence needs three clouds of " + n + "x" + d + " values, found "
          + before.length + ", " + at.length + " and " + after.length);
    }
    double sum = 0;
    int count = 0;
    for (int i = 0; i < n; i++) {
      double dot = 0;
      double p = 0;
      double q = 0;
      for (int k = 0; k < d; k++) {
        int o = i * d + k;
        double a = at[o] - before[o];
        double b = after[o] - at[o];
        dot += a * b;
        p += a * a;
        q += b * b;
      }
      if (p > 0 && q > 0) {
        sum += Math.max(-1, Math.min(1, dot / Math.sqrt(p * q)));
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }
}
