package dev.tokendyn.transport;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;

/** Seeded random clouds and weights for the tests. */
final class Problems {
  private Problems() {}

  static TokenCloud gaussian(Random rng, int n, int d, double shift) {
    double[] p = new double[n * d];
    for (int k = 0; k < p.length; k++) {
      p[k] = rng.nextGaussian() + shift;
    }
    return TokenCloud.ofFlat(n, d, p);
  }

  /** Positive weights summing to one, with the given number of zeros at random places. */
  static double[] weights(Random rng, int n, int zeros) {
    double[] w = new double[n];
    double s = 0;
    for (int i = 0; i < n; i++) {
      w[i] = 0.2 + rng.nextDouble();
    }
    for (int z = 0; z < zeros && z < n - 1; z++) {
      w[rng.nextInt(n)] = 0;
    }
    for (double x : w) {
      s += x;
    }
    if (s == 0) {
      w[0] = 1;
      s = 1;
    }
    for (int i = 0; i < n; i++) {
      w[i] /= s;
    }
    return w;
  }

  /** A uniformly random permutation of 0..n-1. */
  static int[] permutation(Random rng, int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      int j = rng.nextInt(i + 1);
      p[i] = p[j];
      p[j] = i;
    }
    return p;
  }

  static double[] uniform(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1.0 / n);
    return w;
  }

  /**
   * W_2^2 between weighted samples on the line by the quantile formula, written independently of the
   * library: integrate (F^-1(t) - G^-1(t))^2 over the merged breakpoints of the two CDFs.
   */
  static double w2SquaredLine(double[] x, double[] a, double[] y, double[] b) {
    Integer[] ix = order(x);
    Integer[] iy = order(y);
    double[] fa = new double[x.length];
    double[] fb = new double[y.length];
    double s = 0;
    for (int k = 0; k < x.length; k++) {
      s += a[ix[k]];
      fa[k] = s;
    }
    s = 0;
    for (int k = 0; k < y.length; k++) {
      s += b[iy[k]];
      fb[k] = s;
    }
    double t = 0;
    double total = 0;
    int i = 0;
    int j = 0;
    while (i < x.length && j < y.length) {
      double next = Math.min(fa[i], fb[j]);
      double diff = x[ix[i]] - y[iy[j]];
      total += (next - t) * diff * diff;
      t = next;
      if (fa[i] <= next) {
        i++;
      }
      if (j < y.length && fb[j] <= next) {
        j++;
      }
    }
    return total;
  }

  private static Integer[] order(double[] v) {
    Integer[] idx = new Integer[v.length];
    for (int k = 0; k < v.length; k++) {
      idx[k] = k;
    }
    java.util.Arrays.sort(idx, (p, q) -> Double.compare(v[p], v[q]));
    return idx;
  }

  /** min over permutations of (1/n) sum_i C[i][perm(i)]: exact OT for uniform weights and n = m (Birkhoff). */
  static double bruteForceAssignment(CostMatrix c) {
    int n = c.rows();
    int[] perm = new int[n];
    for (int i = 0; i < n; i++) {
      perm[i] = i;
    }
    double[] best = {Double.POSITIVE_INFINITY};
    permute(c, perm, 0, best);
    return best[0] / n;
  }

  private static void permute(CostMatrix c, int[] perm, int k, double[] best) {
    if (k == perm.length) {
      double s = 0;
      for (int i = 0; i < perm.length; i++) {
        s += c.get(i, perm[i]);
      }
      best[0] = Math.min(best[0], s);
      return;
    }
    for (int i = k; i < perm.length; i++) {
      int t = perm[k];
      perm[k] = perm[i];
      perm[i] = t;
      permute(c, perm, k + 1, best);
      perm[i] = perm[k];
      perm[k] = t;
    }
  }

  static CostMatrix transpose(CostMatrix c) {
    double[][] t = new double[c.cols()][c.rows()];
    for (int i = 0; i < c.rows(); i++) {
      for (int j = 0; j < c.cols(); j++) {
        t[j][i] = c.get(i, j);
      }
    }
    return CostMatrix.of(t);
  }

  /** The L2 distance between two vectors of equal length. */
  static double distance(double[] u, double[] v) {
    double s = 0;
    for (int i = 0; i < u.length; i++) {
      s += (u[i] - v[i]) * (u[i] - v[i]);
    }
    return Math.sqrt(s);
  }

  /** The row sums of an n x m row-major plan. */
  static double[] rowSums(double[] plan, int n, int m) {
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        r[i] += plan[i * m + j];
      }
    }
    return r;
  }

  /** The column sums of an n x m row-major plan. */
  static double[] columnSums(double[] plan, int n, int m) {
    double[] c = new double[m];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        c[j] += plan[i * m + j];
      }
    }
    return c;
  }
}
