package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Arrays;

/**
 * Nearest-neighbour distances among the distinct points of a cloud, by brute force in O(n^2 d);
 * shared by the TwoNN and Kozachenko-Leonenko estimators. Squared distances come from
 * |x|^2 + |y|^2 - 2 x.y in tiles of the kernel package's matrix product ({@code SquaredDistances}); where
 * that falls below 1e-6 of the norms, cancellation would
 * cost it its relative precision, and the difference is taken coordinate by coordinate instead.
 */
final class Neighbours {
  private Neighbours() {}

  /** The distinct points of a cloud, row-major, in order of first appearance; -0.0 equals 0.0. */
  static double[] distinctPoints(TokenCloud cloud) {
    return distinctRows(cloud.toFlatArray(), cloud.dimension());
  }

  /** The distinct rows of row-major x (not modified), in order of first appearance; -0.0 equals 0.0. */
  static double[] distinctRows(double[] x, int d) {
    int n = x.length / d;
    java.util.Map<Integer, java.util.List<Integer>> byHash = new java.util.HashMap<>();
    double[] out = new double[n * d];
    int m = 0;
    for (int i = 0; i < n; i++) {
      int h = 1;
      for (int k = 0; k < d; k++) {
        h = 31 * h + Double.hashCode(x[i * d + k] + 0.0);
      }
      java.util.List<Integer> same = byHash.computeIfAbsent(h, z -> new java.util.ArrayList<>(1));
      boolean seen = false;
      for (int j : same) {
        if (equalRows(out, j, x, i, d)) {
          seen = true;
          break;
        }
      }
      if (!seen) {
        for (int k = 0; k < d; k++) {
          out[m * d + k] = x[i * d + k] + 0.0;
        }
        same.add(m);
        m++;
      }
    }
    return Arrays.copyOf(out, m * d);
  }

  private static boolean equalRows(double[] a, int i, double[] b, int j, int d) {
    for (int k = 0; k < d; k++) {
      if (a[i * d + k] != b[j * d + k] + 0.0) {
        return false;
      }
    }
    return true;
  }

  /**
   * For each of the m points, the distances to its k nearest other points, ascending.
   *
   * @param x row-major m*d points, not modified
   * @return row-major m*k distances (not squared)
   */
  static double[] nearest(double[] x, int d, int k) {
    int m = x.length / d;
    double[] best = new double[m * k];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    if (m < 2) {
      return best;
    }
    // |x_i - x_j|^2 = |x_i|^2 + |x_j|^2 - 2 <x_i, x_j> in tiles of the matrix product; where that is small
    // against the norms (a near-duplicate), cancellation makes it inexact and the difference is taken directly
    dev.tokendyn.kernel.SquaredDistances sq = dev.tokendyn.kernel.SquaredDistances.between(x, m, x, m, d);
    int rows = Math.max(1, Math.min(m, (1 << 16) / m));
    double[] tile = new double[rows * m];
    for (int i0 = 0; i0 < m; i0 += rows) {
      int i1 = Math.min(m, i0 + rows);
      sq.tile(i0, i1, 0, m, tile, 0, m);
      for (int i = i0; i < i1; i++) {
        int o = (i - i0) * m;
        for (int j = 0; j < m; j++) {
          if (j == i) {
            continue;
          }
          double s = tile[o + j];
          if (s < 1e-6 * (sq.rowNorm(i) + sq.rowNorm(j))) {
            s = squaredDistance(x, i, x, j, d);
          }
          insert(best, i * k, k, s);
        }
      }
    }
    for (int i = 0; i < best.length; i++) {
      best[i] = Math.sqrt(best[i]);
    }
    return best;
  }

  /** The most points whose squared distances {@link #squaredDistances} holds at once (128 MiB). */
  static final int HELD_DISTANCES = 4096;

  /**
   * Every squared distance between the m points of x as {@link #nearest(double[], int, int)} takes it
   * (the matrix-product form, or the coordinate-by-coordinate difference where that is small against the
   * norms), row-major m x m; the diagonal is not used. Each entry has the bits that nearest sees, since
   * the tile kernel gives an entry the same bits whatever tile it is computed in.
   *
   * @throws IllegalArgumentException when m exceeds {@link #HELD_DISTANCES}
   */
  static double[] squaredDistances(double[] x, int d) {
    int m = x.length / d;
    if (m > HELD_DISTANCES) {
      throw new IllegalArgumentException("holding the distances of " + m + " points needs " + (8L * m * m)
          + " bytes; at most " + HELD_DISTANCES + " points are held");
    }
    double[] all = new double[m * m];
    if (m < 2) {
      return all;
    }
    dev.tokendyn.kernel.SquaredDistances sq = dev.tokendyn.kernel.SquaredDistances.between(x, m, x, m, d);
    sq.tile(0, m, 0, m, all, 0, m);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        int o = i * m + j;
        if (j != i && all[o] < 1e-6 * (sq.rowNorm(i) + sq.rowNorm(j))) {
          all[o] = squaredDistance(x, i, x, j, d);
        }
      }
    }
    return all;
  }

  /**
   * The distances to the k nearest others among the points {@code points[from .. from + count)}, from the
   * squared distances of {@link #squaredDistances} (m x m): what {@link #nearest(double[], int, int)} gives
   * for those points' rows, without computing a distance again.
   *
   * @return row-major count*k distances (not squared), in the order of the points
   */
  static double[] nearest(double[] squared, int m, int[] points, int from, int count, int k) {
    double[] best = new double[count * k];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    for (int a = 0; a < count; a++) {
      int row = points[from + a] * m;
      for (int b = 0; b < count; b++) {
        if (b != a) {
          insert(best, a * k, k, squared[row + points[from + b]]);
        }
      }
    }
    for (int i = 0; i < best.length; i++) {
      best[i] = Math.sqrt(best[i]);
    }
    return best;
  }

  /**
   * As {@link #nearest(double[], int, int)} for the points of a Gram matrix (assumed distinct), with the
   * squared distances read from its centred entries; where one falls below 1e-6 of the two centred squared
   * norms, the difference is taken coordinate by coordinate.
   */
  static double[] nearest(Gram g, int k) {
    int m = g.n;
    double[] best = new double[m * k];
    Arrays.fill(best, Double.POSITIVE_INFINITY);
    for (int i = 0; i < m && m >= 2; i++) {
      double ci = g.centred[i * m + i];
      for (int j = 0; j < m; j++) {
        if (j == i) {
          continue;
        }
        double s = g.squaredDistance(i, j);
        if (s < 1e-6 * (ci + g.centred[j * m + j])) {
          s = squaredDistance(g.x, i, g.x, j, g.d);
        }
        insert(best, i * k, k, s);
      }
    }
    for (int i = 0; i < best.length; i++) {
      best[i] = Math.sqrt(best[i]);
    }
    return best;
  }

  /** |a_i - b_j|^2 for rows i of a and j of b, both row-major with d columns (four running sums). */
  static double squaredDistance(double[] a, int i, double[] b, int j, int d) {
    int oa = i * d;
    int ob = j * d;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int c = 0;
    for (; c + 3 < d; c += 4) {
      double t0 = a[oa + c] - b[ob + c];
      double t1 = a[oa + c + 1] - b[ob + c + 1];
      double t2 = a[oa + c + 2] - b[ob + c + 2];
      double t3 = a[oa + c + 3] - b[ob + c + 3];
      s0 += t0 * t0;
      s1 += t1 * t1;
      s2 += t2 * t2;
      s3 += t3 * t3;
    }
    for (; c < d; c++) {
      double t = a[oa + c] - b[ob + c];
      s0 += t * t;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Inserts v into the ascending run best[off .. off+k) if it is smaller than the last. */
  private static void insert(double[] best, int off, int k, double v) {
    int p = off + k - 1;
    if (v >= best[p]) {
      return;
    }
    while (p > off && best[p - 1] > v) {
      best[p] = best[p - 1];
      p--;
    }
    best[p] = v;
  }
}
