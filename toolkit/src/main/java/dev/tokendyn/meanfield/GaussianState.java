package dev.tokendyn.meanfield;

import dev.tokendyn.cloud.TokenCloud;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * A Gaussian measure N(m, Sigma) on R^d: the mean m (d) and the covariance Sigma (d x d, row-major),
 * symmetric positive semi-definite. Arrays are copied on the way in and out.
 *
 * @param mean m, length d
 * @param cov Sigma, length d*d, row-major
 */
public record GaussianState(double[] mean, double[] cov) {
  /** Relative tolerance on the asymmetry |Sigma - Sigma^T| and on a negative eigenvalue. */
  private static final double TOLERANCE = 1e-10;

  public GaussianState {
    mean = mean.clone();
    cov = cov.clone();
    int d = mean.length;
    if (d < 1) {
      throw new IllegalArgumentException("the mean must have at least one entry");
    }
    if (cov.length != d * d) {
      throw new IllegalArgumentException("the covariance must be " + d + "x" + d + " for a mean of " + d
          + " entries, found " + cov.length + " entries");
    }
    double scale = 0;
    for (double x : cov) {
      if (!Double.isFinite(x)) {
        throw new IllegalArgumentException("the covariance must be finite, found " + x);
      }
      scale = Math.max(scale, Math.abs(x));
    }
    for (double x : mean) {
      if (!Double.isFinite(x)) {
        throw new IllegalArgumentException("the mean must be finite, found " + x);
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i + 1; j < d; j++) {
        if (Math.abs(cov[i * d + j] - cov[j * d + i]) > TOLERANCE * Math.max(1, scale)) {
          throw new IllegalArgumentException("the covariance is not symmetric: entry (" + i + "," + j + ") = "
              + cov[i * d + j] + " but (" + j + "," + i + ") = " + cov[j * d + i]);
        }
      }
    }
    double min = smallestEigenvalue(cov, d);
    if (min < -TOLERANCE * Math.max(1, scale)) {
      throw new IllegalArgumentException("the covariance is not positive semi-definite: its smallest eigenvalue is "
          + min + "; give a covariance with no negative eigenvalue");
    }
  }

  /** N(0, I_d). */
  public static GaussianState standard(int d) {
    double[] c = new double[d * d];
    for (int i = 0; i < d; i++) {
      c[i * d + i] = 1;
    }
    return new GaussianState(new double[d], c);
  }

  @Override
  public double[] mean() {
    return mean.clone();
  }

  @Override
  public double[] cov() {
    return cov.clone();
  }

  /** d. */
  public int dimension() {
    return mean.length;
  }

  /** The smallest eigenvalue of a symmetric d x d matrix (row-major). */
  public static double smallestEigenvalue(double[] sym, int d) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
    if (!eig.decompose(new DMatrixRMaj(d, d, true, sym))) {
      throw new IllegalArgumentException("the eigenvalues of the covariance could not be computed");
    }
    double min = Double.POSITIVE_INFINITY;
    for (int i = 0; i < d; i++) {
      min = Math.min(min, eig.getEigenvalue(i).getReal());
    }
    return min;
  }

  /**
   * n independent samples m + L z, z standard Gaussian from the seed, L L^T = Sigma (the symmetric square
   * root, so a singular Sigma is allowed).
   */
  public TokenCloud sample(int n, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, found " + n);
    }
    int d = dimension();
    double[] l = squareRoot(cov, d);
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n * d];
    double[] z = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        z[k] = rng.nextGaussian();
      }
      for (int a = 0; a < d; a++) {
        double s = mean[a];
        for (int b = 0; b < d; b++) {
          s += l[a * d + b] * z[b];
        }
        x[i * d + a] = s;
      }
    }
    return TokenCloud.ofFlat(n, d, x);
  }

  /** The empirical mean and covariance (divided by n) of a cloud; weights are ignored. */
  public static GaussianState of(TokenCloud cloud) {
    int n = cloud.size();
    int d = cloud.dimension();
    double[] x = cloud.toFlatArray();
    double[] m = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        m[k] += x[i * d + k];
      }
    }
    for (int k = 0; k < d; k++) {
      m[k] /= n;
    }
    double[] c = new double[d * d];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        double da = x[i * d + a] - m[a];
        for (int b = 0; b <= a; b++) {
          c[a * d + b] += da * (x[i * d + b] - m[b]);
        }
      }
    }
    for (int a = 0; a < d; a++) {
      for (int b = 0; b <= a; b++) {
        c[a * d + b] /= n;
        c[b * d + a] = c[a * d + b];
      }
    }
    return new GaussianState(m, c);
  }

  /** Sigma^{1/2} of a symmetric positive semi-definite matrix, negative rounding eigenvalues clipped. */
  static double[] squareRoot(double[] sym, int d) {
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
    if (!eig.decompose(new DMatrixRMaj(d, d, true, sym))) {
      throw new IllegalArgumentException("the eigenvalues of the covariance could not be computed");
    }
    double[] r = new double[d * d];
    for (int e = 0; e < d; e++) {
      double lambda = Math.sqrt(Math.max(0, eig.getEigenvalue(e).getReal()));
      DMatrixRMaj v = eig.getEigenVector(e);
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          r[a * d + b] += lambda * v.get(a) * v.get(b);
        }
      }
    }
    return r;
  }

  /**
   * The Bures-Wasserstein distance W2(N(m1, S1), N(m2, S2))^2 = |m1 - m2|^2 + tr S1 + tr S2
   * - 2 tr (S1^{1/2} S2 S1^{1/2})^{1/2}; returns the distance, not its square.
   */
  public double buresWasserstein(GaussianState other) {
    int d = dimension();
    if (other.dimension() != d) {
      throw new IllegalArgumentException("dimensions differ: " + d + " vs " + other.dimension());
    }
    double[] r = squareRoot(cov, d);
    double[] mid = multiply(multiply(r, other.cov, d), r, d);
    double[] root = squareRoot(symmetrised(mid, d), d);
    double s = 0;
    for (int k = 0; k < d; k++) {
      double dm = mean[k] - other.mean[k];
      s += dm * dm + cov[k * d + k] + other.cov[k * d + k] - 2 * root[k * d + k];
    }
    return Math.sqrt(Math.max(0, s));
  }

  static double[] multiply(double[] a, double[] b, int d) {
    double[] c = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < d; k++) {
        double aik = a[i * d + k];
        for (int j = 0; j < d; j++) {
          c[i * d + j] += aik * b[k * d + j];
        }
      }
    }
    return c;
  }

  private static double[] symmetrised(double[] a, int d) {
    double[] s = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        s[i * d + j] = 0.5 * (a[i * d + j] + a[j * d + i]);
      }
    }
    return s;
  }
}
