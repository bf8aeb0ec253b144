package dev.tokendyn.transport;

import dev.tokendyn.kernel.ArrayOps;
import java.util.SplittableRandom;

/** Random directions, projections and the one-dimensional W_2 shared by the sliced estimators. */
final class Slices {
  private Slices() {}

  /** count unit vectors in R^d, row-major, from Gaussian draws seeded by seed. */
  /** W_2^2 of slice l, with buffers owned by the calling thread (u, wa of length n; v, wb of length m). */
  @FunctionalInterface
  interface Slice {
    double w2Squared(int l, double[] u, double[] v, double[] wa, double[] wb);
  }

  /**
   * W_2^2 of every slice, the slices split into at most 8 fixed chunks run in parallel, each with its
   * own buffers; the result does not depend on the number of cores.
   */
  static double[] perSlice(int count, int n, int m, Slice slice) {
    double[] w2 = new double[count];
    int chunks = Math.min(count, 8);
    Chunks.run(chunks, ch -> {
      double[] u = new double[n];
      double[] v = new double[m];
      double[] wa = new double[n];
      double[] wb = new double[m];
      int end = Chunks.start(ch + 1, chunks, count);
      for (int l = Chunks.start(ch, chunks, count); l < end; l++) {
        w2[l] = slice.w2Squared(l, u, v, wa, wb);
      }
    });
    return w2;
  }

  /** @throws IllegalArgumentException when the clouds differ in dimension, naming both */
  static void requireSameDimension(dev.tokendyn.cloud.TokenCloud xs, dev.tokendyn.cloud.TokenCloud xt) {
    if (xs.dimension() != xt.dimension()) {
      throw new IllegalArgumentException("clouds must have the same dimension, found d=" + xs.dimension()
          + " (source) vs d=" + xt.dimension() + " (target)");
    }
  }

  static double[] directions(int d, int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] t = new double[count * d];
    for (int l = 0; l < count; l++) {
      double s;
      do {
        s = 0;
        for (int k = 0; k < d; k++) {
          double g = rng.nextGaussian();
          t[l * d + k] = g;
          s += g * g;
        }
      } while (s == 0);
      double inv = 1 / Math.sqrt(s);
      for (int k = 0; k < d; k++) {
        t[l * d + k] *= inv;
      }
    }
    return t;
  }

  /** out[i] = &lt;x_i, theta&gt; for the n points of the row-major x. */
  static void project(double[] x, int n, int d, double[] theta, int to, double[] out) {
    for (int i = 0; i < n; i++) {
      out[i] = ArrayOps.dot(x, i * d, theta, to, d);
    }
  }

  /** Whether all weights are equal (then sorting values alone suffices). */
  static boolean uniform(double[] w) {
    for (double x : w) {
      if (x != w[0]) {
        return false;
      }
    }
    return true;
  }

  /** Sorts key ascending and permutes val alongside (stable merge sort). */
  static void sortPaired(double[] key, double[] val) {
    int n = key.length;
    double[] k2 = new double[n];
    double[] v2 = new double[n];
    for (int width = 1; width < n; width *= 2) {
      for (int lo = 0; lo < n; lo += 2 * width) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + 2 * width, n);
        int i = lo;
        int j = mid;
        int o = lo;
        while (i < mid && j < hi) {
          if (key[j] < key[i]) {
            k2[o] = key[j];
            v2[o++] = val[j++];
          } else {
            k2[o] = key[i];
            v2[o++] = val[i++];
          }
        }
        while (i < mid) {
          k2[o] = key[i];
          v2[o++] = val[i++];
        }
        while (j < hi) {
          k2[o] = key[j];
          v2[o++] = val[j++];
        }
      }
      System.arraycopy(k2, 0, key, 0, n);
      System.arraycopy(v2, 0, val, 0, n);
    }
  }

  /**
   * W_2^2 between two weighted samples on the line, both sorted ascending, weights summing to one:
   * int_0^1 (F^-1(t) - G^-1(t))^2 dt, the quantile-function formula of POT's {@code wasserstein_1d}.
   */
  static double w2SquaredSorted(double[] x, double[] a, double[] y, double[] b) {
    int n = x.length;
    int m = y.length;
    int i = 0;
    int j = 0;
    double wi = a[0];
    double wj = b[0];
    double total = 0;
    while (i < n && j < m) {
      double w = Math.min(wi, wj);
      double diff = x[i] - y[j];
      total += w * diff * diff;
      wi -= w;
      wj -= w;
      if (wi <= 0) {
        if (++i < n) {
          wi = a[i];
        }
      }
      if (wj <= 0) {
        if (++j < m) {
          wj = b[j];
        }
      }
    }
    return total;
  }
}
