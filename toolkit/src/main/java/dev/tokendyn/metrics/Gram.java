package dev.tokendyn.metrics;

import dev.tokendyn.kernel.MatrixProduct;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;

/**
 * The inner products of one cloud's n points, from which the per-text metrics read their pairwise
 * quantities: one SIMD matrix product of the centred points instead of a pass over the pairs per metric.
 *
 * <pre>  C = Xc Xc^T,  Xc = X - 1 m^T,  m = (1/n) sum_i x_i
 *   G_ij = &lt;x_i, x_j&gt; = C_ij + p_i + p_j + |m|^2,  p_i = &lt;x_i - m, m&gt;
 *   cos_ij = G_ij / sqrt(G_ii G_jj),   |x_i - x_j|^2 = C_ii + C_jj - 2 C_ij</pre>
 *
 * C comes from the centred points, so the spread of a cloud far from the origin (the anisotropic
 * hidden states of a real model) keeps its relative precision: the eigenvalues of C are the squared
 * singular values of Xc, and its eigenvectors give the principal axes Xc^T u / sigma without forming the
 * d x d covariance. The products are those of {@link MatrixProduct}: entry (i, j) and (j, i) are the same
 * chain of fused multiply-adds, so C and G are exactly symmetric. Cost 2 n^2 d flops for C, O(n d) for
 * the rest; the eigendecomposition, O(n^3), is taken when first asked for. Not thread-safe (the
 * eigendecomposition is cached); the points are copied.
 */
final class Gram {
  final int n;
  final int d;
  /** The points, row-major n x d. */
  final double[] x;
  /** The centred points, row-major n x d. */
  final double[] xc;
  /** The mean point. */
  final double[] mean;
  /** C = Xc Xc^T, row-major n x n. */
  final double[] centred;
  /** G = X X^T, row-major n x n. */
  final double[] inner;
  private double[] eigenvalues;
  private double[] eigenvectors;

  private Gram(double[] x, int n, int d) {
    this.n = n;
    this.d = d;
    this.x = x;
    this.mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        mean[k] += x[i * d + k];
      }
    }
    for (int k = 0; k < d; k++) {
      mean[k] /= n;
    }
    this.xc = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        xc[i * d + k] = x[i * d + k] - mean[k];
      }
    }
    this.centred = product(xc, xc, n, d);
    double mm = 0;
    for (double t : mean) {
      mm += t * t;
    }
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += xc[i * d + k] * mean[k];
      }
      p[i] = s;
    }
    this.inner = new double[n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        inner[i * n + j] = centred[i * n + j] + (p[i] + p[j]) + mm;
      }
    }
  }

  /**
   * The Gram matrices of n points, row-major in x (n x d; copied).
   *
   * @throws IllegalArgumentException when n or d is below 1 or x does not hold n d values
   */
  static Gram of(double[] x, int n, int d) {
    if (n < 1 || d < 1 || x.length != n * d) {
      throw new IllegalArgumentException("a Gram matrix needs n, d >= 1 and n*d values, found n=" + n + " d=" + d
          + " and " + x.length + " values");
    }
    return new Gram(x.clone(), n, d);
  }

  /** A B^T for row-major a (n x d) and b (m x d), as a row-major n x m array, by the SIMD kernel. */
  static double[] product(double[] a, double[] b, int n, int d) {
    int m = b.length / d;
    // whole strips of the zero-padded panel into a padded buffer: the kernel's register-blocked path for
    // every column, the padding's columns (zero) dropped when copying out
    int width = (m + MatrixProduct.STRIP - 1) / MatrixProduct.STRIP * MatrixProduct.STRIP;
    double[] wide = new double[n * width];
    double[] panel = MatrixProduct.packRows(b, m, d);
    for (int r = 0; r < n; r += ROWS) {
      int rows = Math.min(ROWS, n - r);
      MatrixProduct.multiplyPacked(a, r * d, d, rows, d, panel, 0, width, wide, r * width, width);
    }
    if (width == m) {
      return wide;
    }
    double[] out = new double[n * m];
    for (int i = 0; i < n; i++) {
      System.arraycopy(wide, i * width, out, i * m, m);
    }
    return out;
  }

  private static final int ROWS = 32;

  /** cos(x_i, x_j), clamped to [-1, 1]; NaN when a point is zero. */
  double cosine(int i, int j) {
    double c = inner[i * n + j] / Math.sqrt(inner[i * n + i] * inner[j * n + j]);
    return Math.max(-1, Math.min(1, c));
  }

  /** |x_i - x_j|^2 from the centred Gram matrix, clamped at 0. */
  double squaredDistance(int i, int j) {
    return Math.max(0, centred[i * n + i] + centred[j * n + j] - 2 * centred[i * n + j]);
  }

  /** Whether some point is the zero vector. */
  boolean hasZeroPoint() {
    for (int i = 0; i < n; i++) {
      if (!(inner[i * n + i] > 0)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The eigenvalues of C, descending: the squared singular values of the centred points, with those below
   * 4 n eps times the largest (rounding) set to 0.
   */
  double[] eigenvalues() {
    decompose();
    return eigenvalues;
  }

  /** The unit eigenvector of C for eigenvalue a (in the order of {@link #eigenvalues}), entry i. */
  double eigenvector(int a, int i) {
    decompose();
    return eigenvectors[a * n + i];
  }

  /** The n singular values of the centred points (n &lt;= d), descending. */
  double[] singularValues() {
    double[] l = eigenvalues();
    double[] s = new double[n];
    for (int a = 0; a < n; a++) {
      s[a] = Math.sqrt(l[a]);
    }
    return s;
  }

  private void decompose() {
    if (eigenvalues != null) {
      return;
    }
    var eig = DecompositionFactory_DDRM.eig(n, true, true);
    if (!eig.decompose(new DMatrixRMaj(n, n, true, centred))) {
      throw new IllegalStateException("the eigendecomposition of a " + n + "x" + n + " Gram matrix did not converge");
    }
    Integer[] order = new Integer[n];
    for (int a = 0; a < n; a++) {
      order[a] = a;
    }
    java.util.Arrays.sort(order, (p, q) -> Double.compare(eig.getEigenvalue(q).getReal(),
        eig.getEigenvalue(p).getReal()));
    double[] values = new double[n];
    double[] vectors = new double[n * n];
    for (int a = 0; a < n; a++) {
      values[a] = Math.max(0, eig.getEigenvalue(order[a]).getReal());
      DMatrixRMaj u = eig.getEigenVector(order[a]);
      for (int i = 0; i < n; i++) {
        vectors[a * n + i] = u.get(i, 0);
      }
    }
    // below about n eps lambda_max an eigenvalue of C is rounding (the centred points have rank n - 1 at
    // most, so one always is): zero, as an SVD of the points would give it, not its square root
    double noise = 4.0 * n * Math.ulp(1.0) * values[0];
    for (int a = 0; a < n; a++) {
      if (values[a] <= noise) {
        values[a] = 0;
      }
    }
    eigenvalues = values;
    eigenvectors = vectors;
  }
}
