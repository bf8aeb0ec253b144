package dev.tokendyn.metrics;

import dev.tokendyn.kernel.MatrixProduct;
import org.ejml.data.DMatrixRMaj;

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
  /** The centred points packed as the kernel's right operand. */
  private final double[] panel;
  private double[] eigenvalues;
  private double[] eigenvectors;
  /** The eigenvectors wanted: those of the largest {@code axes} eigenvalues. */
  private int axes;

  private Gram(double[] x, int n, int d) {
    this.n = n;
    this.d = d;
    this.x = x;
    this.mean = new double[d];
    for (int i = 0, o = 0; i < n; i++, o += d) {
      for (int k = 0; k < d; k++) {
        mean[k] += x[o + k];
      }
    }
    double inv = 1.0 / n;
    double mm = 0;
    for (int k = 0; k < d; k++) {
      mean[k] *= inv;
      mm += mean[k] * mean[k];
    }
    this.xc = new double[n * d];
    double[] p = new double[n];
    for (int i = 0, o = 0; i < n; i++, o += d) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        double t = x[o + k] - mean[k];
        xc[o + k] = t;
        s += t * mean[k];
      }
      p[i] = s;
    }
    this.panel = MatrixProduct.packRows(xc, n, d);
    this.centred = product(xc, n);
    this.inner = new double[n * n];
    for (int i = 0, o = 0; i < n; i++, o += n) {
      double pi = p[i] + mm;
      for (int j = 0; j < n; j++) {
        inner[o + j] = centred[o + j] + (pi + p[j]);
      }
    }
  }

  /**
   * The Gram matrices of n points, row-major in x (n x d; copied).
   *
   * @throws IllegalArgumentException when n or d is below 1 or x does not hold n d values
   */
  static Gram of(double[] x, int n, int d) {
    return of(x, n, d, n);
  }

  /**
   * As {@link #of(double[], int, int)}, with the eigenvectors of the {@code axes} largest eigenvalues only
   * (0 for none: the eigenvalues alone, cheaper); {@link #eigenvector} refuses the others.
   */
  static Gram of(double[] x, int n, int d, int axes) {
    if (n < 1 || d < 1 || x.length != n * d) {
      throw new IllegalArgumentException("a Gram matrix needs n, d >= 1 and n*d values, found n=" + n + " d=" + d
          + " and " + x.length + " values");
    }
    if (axes < 0 || axes > n) {
      throw new IllegalArgumentException("the axes wanted must be in [0, n] = [0, " + n + "], found " + axes);
    }
    Gram g = new Gram(x.clone(), n, d);
    g.axes = axes;
    return g;
  }

  /**
   * A Xc^T for the rows of a (row-major, rows x d): the inner products of each row of a with this
   * cloud's centred points, row-major rows x n, by the SIMD kernel over the centred points' packed panel
   * (packed once per cloud).
   */
  double[] product(double[] a, int rows) {
    return MatrixProduct.timesTransposedPacked(a, rows, panel, n, d);
  }

  /** Yc Xc^T, row-major n x n, for the centred points of y (the same n and d) and this cloud's. */
  double[] cross(Gram y) {
    return product(y.xc, y.n);
  }

  /** cos(x_i, x_j), clamped to [-1, 1]; NaN when a point is zero. */
  double cosine(int i, int j) {
    double c = inner[i * n + j] / Math.sqrt(inner[i * n + i] * inner[j * n + j]);
    return Math.max(-1, Math.min(1, c));
  }

  /** |x_i - x_j|^2 from the centred Gram matrix, clamped at 0. */
  double squaredDistance(int i, int j) {
    return Math.max(0, centred[i * n + i] + centred[j * n + j] - 2 * centred[i * n + j]);
  }

  /**
   * Whether two points are equal (coordinate by coordinate, -0.0 equal to 0.0). Equal points have centred
   * distance exactly 0 here (their products are the same chains), so only pairs within rounding of 0 are
   * compared coordinate by coordinate.
   */
  boolean hasDuplicates() {
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (squaredDistance(i, j) <= 1e-12 * (centred[i * n + i] + centred[j * n + j])) {
          boolean same = true;
          for (int k = 0; k < d && same; k++) {
            same = x[i * d + k] == x[j * d + k];
          }
          if (same) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * |X - 1 m^T|_F / |X|_F from the traces of C and G ({@link RankCollapse}); 0 when every point is zero.
   */
  double rankCollapse() {
    double c = 0;
    double g = 0;
    for (int i = 0; i < n; i++) {
      c += centred[i * n + i];
      g += inner[i * n + i];
    }
    return g == 0 ? 0.0 : Math.sqrt(Math.max(0, c) / g);
  }

  /**
   * The exact W2 between the uniform measures on this cloud's points and y's (the same n), given
   * {@code cross} = Yc Xc^T: the plan for the cost |x_a - y_b|^2 is the plan for the centred cost
   * |xc_a - yc_b|^2 = C_aa + C'_bb - 2 cross_ba, since the difference, 2 &lt;xc_a - yc_b, m - m'&gt; + |m - m'|^2,
   * sums to |m - m'|^2 under every coupling of uniform marginals; so W2^2 = OT(centred) + |m - m'|^2.
   */
  double w2(Gram y, double[] cross) {
    double[] cost = new double[n * n];
    for (int a = 0; a < n; a++) {
      double ca = centred[a * n + a];
      for (int b = 0; b < n; b++) {
        cost[a * n + b] = Math.max(0, ca + y.centred[b * n + b] - 2 * cross[b * n + a]);
      }
    }
    double shift = 0;
    for (int k = 0; k < d; k++) {
      double t = mean[k] - y.mean[k];
      shift += t * t;
    }
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1.0 / n);
    // started from the identity (each token to itself at the other layer), near the optimum between nearby
    // layers, and the same path as the pooled sample's W2, so the compiled solver serves both
    int[] identity = new int[n];
    for (int a = 0; a < n; a++) {
      identity[a] = a;
    }
    double ot = new dev.tokendyn.transport.NetworkSimplex().solve(w, w,
        dev.tokendyn.transport.CostMatrix.ofFlat(n, n, cost), identity).value();
    return Math.sqrt(Math.max(0, ot + shift));
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
    if (a >= axes) {
      throw new IllegalStateException("this Gram matrix was made for the eigenvectors of its " + axes
          + " largest eigenvalues; eigenvector " + a + " is not among them");
    }
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
    // every eigenvalue, and the eigenvectors of the top axes only: the per-text rotational share reads
    // the first few (on MiniLM's texts about half the time of EJML's decomposition with all n vectors)
    TopEigenvectors.Decomposition eig = TopEigenvectors.decompose(new DMatrixRMaj(n, n, true, centred), axes);
    double[] values = eig.values();
    double[] vecs = new double[axes * n];
    for (int a = 0; a < n; a++) {
      values[a] = Math.max(0, values[a]);
    }
    for (int a = 0; a < axes; a++) {
      for (int i = 0; i < n; i++) {
        vecs[a * n + i] = eig.vectors().get(i, a);
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
    eigenvectors = vecs;
  }

  /**
   * The indices of {@code keys} by descending value in the order of {@link Double#compare}, ties in index
   * order (the order a stable sort gives), by insertion: no boxing, and for the few hundred eigenvalues of
   * a decomposition its cost is nothing beside the decomposition's.
   */
  static int[] descendingOrder(double[] keys) {
    int[] order = new int[keys.length];
    for (int a = 0; a < keys.length; a++) {
      int i = a;
      while (i > 0 && Double.compare(keys[order[i - 1]], keys[a]) < 0) {
        order[i] = order[i - 1];
        i--;
      }
      order[i] = a;
    }
    return order;
  }
}
