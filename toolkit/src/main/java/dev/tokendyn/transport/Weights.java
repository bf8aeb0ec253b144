package dev.tokendyn.transport;

import java.util.List;

/** Validation and normalisation of the weight vectors a and b. */
final class Weights {
  private Weights() {}

  /**
   * a copy of w scaled to sum to one; a warning is added when the sum differed from one.
   *
   * @throws IllegalArgumentException on a wrong length, a negative or non-finite entry, or a zero sum
   */
  static double[] normalized(String name, double[] w, int expectedLength, List<String> warnings) {
    if (w.length != expectedLength) {
      throw new IllegalArgumentException(name + " must have length " + expectedLength + " (the cost matrix's "
          + (name.equals("a") ? "rows" : "columns") + "), found " + w.length);
    }
    double sum = 0;
    for (int i = 0; i < w.length; i++) {
      if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite and >= 0, found " + w[i]);
      }
      sum += w[i];
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException(name + " must have a positive sum, found " + sum);
    }
    if (Math.abs(sum - 1) > 1e-12) {
      warnings.add("weights " + name + " sum to " + sum + "; normalised to sum to 1");
    }
    double[] out = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      out[i] = w[i] / sum;
    }
    return out;
  }

  /** Sum of squares' square root, the L2 norm. */
  static double norm2(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
