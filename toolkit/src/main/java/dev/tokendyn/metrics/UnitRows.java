package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;

/** The points of a cloud scaled to unit length, row-major; shared by the cosine-based metrics. */
final class UnitRows {
  private UnitRows() {}

  /**
   * Returns x_i / |x_i| for every point, row-major n*d.
   *
   * @throws IllegalArgumentException when a point is zero, since its cosine with anything is undefined
   */
  static double[] of(TokenCloud cloud) {
    int n = cloud.size();
    int d = cloud.dimension();
    double[] u = cloud.toFlatArray();
    for (int i = 0; i < n; i++) {
      int off = i * d;
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += u[off + k] * u[off + k];
      }
      if (s == 0) {
        throw new IllegalArgumentException(
            "point " + i + " is the zero vector; its cosine with other points is undefined");
      }
      double inv = 1 / Math.sqrt(s);
      for (int k = 0; k < d; k++) {
        u[off + k] *= inv;
      }
    }
    return u;
  }

  /** The sum over rows of a row-major n*d array: a vector of length d. */
  static double[] columnSums(double[] rows, int n, int d) {
    double[] s = new double[d];
    for (int i = 0; i < n; i++) {
      int off = i * d;
      for (int k = 0; k < d; k++) {
        s[k] += rows[off + k];
      }
    }
    return s;
  }

  static double squaredNorm(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    return s;
  }
}
