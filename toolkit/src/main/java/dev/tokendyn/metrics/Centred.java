package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;

/** The mean token and the centred points X - 1 xbar^T of a cloud, unweighted; shared by several metrics. */
final class Centred {
  private Centred() {}

  /** The unweighted mean of the points, length d. */
  static double[] mean(TokenCloud cloud) {
    int n = cloud.size();
    double[] m = UnitRows.columnSums(cloud.toFlatArray(), n, cloud.dimension());
    for (int k = 0; k < m.length; k++) {
      m[k] /= n;
    }
    return m;
  }

  /** The points minus their mean, row-major n*d. */
  static double[] points(TokenCloud cloud) {
    int n = cloud.size();
    int d = cloud.dimension();
    double[] x = cloud.toFlatArray();
    double[] m = mean(cloud);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        x[i * d + k] -= m[k];
      }
    }
    return x;
  }
}
