package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;

/** Random clouds with known properties, for the tests of this package. */
final class Samples {
  private Samples() {}

  /** n points uniform on the unit sphere S^{d-1}: normalised standard Gaussians. */
  static TokenCloud uniformSphere(int n, int d, Random rng) {
    double[] p = gaussian(n, d, rng);
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += p[i * d + k] * p[i * d + k];
      }
      double inv = 1 / Math.sqrt(s);
      for (int k = 0; k < d; k++) {
        p[i * d + k] *= inv;
      }
    }
    return TokenCloud.ofFlat(n, d, p);
  }

  /** n*d independent standard normal values, row-major. */
  static double[] gaussian(int n, int d, Random rng) {
    double[] p = new double[n * d];
    for (int i = 0; i < p.length; i++) {
      p[i] = rng.nextGaussian();
    }
    return p;
  }

  /** Standard Gaussian coordinates in the first m axes of R^d, zero in the others. */
  static TokenCloud gaussianInSubspace(int n, int m, int d, Random rng) {
    double[] p = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < m; k++) {
        p[i * d + k] = rng.nextGaussian();
      }
    }
    return TokenCloud.ofFlat(n, d, p);
  }

  /** A random orthonormal d x d matrix (Gram-Schmidt on a Gaussian matrix), row-major. */
  static double[] rotation(int d, Random rng) {
    double[] q = gaussian(d, d, rng);
    for (int r = 0; r < d; r++) {
      for (int s = 0; s < r; s++) {
        double dot = 0;
        for (int k = 0; k < d; k++) {
          dot += q[r * d + k] * q[s * d + k];
        }
        for (int k = 0; k < d; k++) {
          q[r * d + k] -= dot * q[s * d + k];
        }
      }
      double norm = 0;
      for (int k = 0; k < d; k++) {
        norm += q[r * d + k] * q[r * d + k];
      }
      norm = Math.sqrt(norm);
      for (int k = 0; k < d; k++) {
        q[r * d + k] /= norm;
      }
    }
    return q;
  }

  /** The points of a cloud multiplied on the right by a d x d matrix. */
  static TokenCloud times(TokenCloud c, double[] m) {
    int n = c.size();
    int d = c.dimension();
    double[] out = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        double s = 0;
        for (int a = 0; a < d; a++) {
          s += c.get(i, a) * m[a * d + k];
        }
        out[i * d + k] = s;
      }
    }
    return TokenCloud.ofFlat(n, d, out);
  }
}
