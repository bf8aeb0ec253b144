package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Nearest-neighbour distances among the distinct points of a cloud, by brute force in O(n^2 d);
 * shared by the TwoNN and Kozachenko-Leonenko estimators. Differences are taken coordinate by
 * coordinate (not through |x|^2 + |y|^2 - 2 x.y), so small distances keep their relative precision.
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
    Set<List<Double>> seen = new HashSet<>();
    double[] out = new double[n * d];
    int m = 0;
    for (int i = 0; i < n; i++) {
      Double[] row = new Double[d];
      for (int k = 0; k < d; k++) {
        row[k] = x[i * d + k] + 0.0;
      }
      if (seen.add(List.of(row))) {
        for (int k = 0; k < d; k++) {
          out[m * d + k] = row[k];
        }
        m++;
      }
    }
    return Arrays.copyOf(out, m * d);
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
    for (int i = 0; i < m; i++) {
      int oi = i * d;
      for (int j = i + 1; j < m; j++) {
        int oj = j * d;
        double s = 0;
        for (int c = 0; c < d; c++) {
          double t = x[oi + c] - x[oj + c];
          s += t * t;
        }
        insert(best, i * k, k, s);
        insert(best, j * k, k, s);
      }
    }
    for (int i = 0; i < best.length; i++) {
      best[i] = Math.sqrt(best[i]);
    }
    return best;
  }

  /** |a_i - b_j|^2 for rows i of a and j of b, both row-major with d columns. */
  static double squaredDistance(double[] a, int i, double[] b, int j, int d) {
    double s = 0;
    for (int c = 0; c < d; c++) {
      double t = a[i * d + c] - b[j * d + c];
      s += t * t;
    }
    return s;
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
