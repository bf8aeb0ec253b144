package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The rotational share of a step x -&gt; y of the same tokens: the part of the step's displacement field
 * that is not the gradient of a potential, in the affine (Gaussian) approximation.
 *
 * <p>With delta_i = y_i - x_i, m the mean of x and Sigma = (1/n) sum_i (x_i - m)(x_i - m)^T:
 * <ol>
 *   <li>fit delta_i ~ A (x_i - m) + b by ordinary least squares;</li>
 *   <li>solve the Lyapunov equation S Sigma + Sigma S = A Sigma + Sigma A^T for the symmetric S;</li>
 *   <li>share = tr((A - S) Sigma (A - S)^T) / tr(A Sigma A^T).</li>
 * </ol>
 * S is the Bures-Wasserstein tangent projection of the affine field (Takatsu 2011, "Wasserstein geometry
 * of Gaussian measures"): the field x -&gt; S x is a gradient, it moves N(m, Sigma) exactly as A does to first
 * order, and A - S is the part orthogonal to it in L^2(N(m, Sigma)), which moves tokens without changing
 * their distribution (a rotation of the cloud in its own metric). A gradient field gives 0; a rotation
 * of an isotropic cloud gives 1. Castin, Ablin, Carrillo and Peyre (2025) show that attention acts on a
 * Gaussian as such an affine field.
 *
 * <p>When d exceeds {@code components} k, everything is done in the coordinates of the top k principal
 * components of x (both x and delta projected onto them); when d &lt;= k every coordinate is used, with no
 * reduction. The principal components come from the n x n Gram matrix when n &lt; d. The share is
 * undefined (NaN) when there are fewer than {@link #minimumTokens} tokens, when Sigma is singular in the coordinates used,
 * or when the affine part of the field is zero. Neither cloud is modified. Cost O(min(n, d)^2 max(n, d) + k^3).
 */
public final class RotationalShare {
  /** The default number of principal components. */
  public static final int DEFAULT_COMPONENTS = 10;

  private RotationalShare() {}

  /**
   * A rotational share.
   *
   * @param share tr((A - S) Sigma (A - S)^T) / tr(A Sigma A^T), in [0, 1]; NaN when undefined
   * @param affineR2 the fraction of the displacement variance (in the coordinates used) that the affine fit
   *     explains, in [0, 1]
   * @param components the number of coordinates used, min(k, d)
   * @param reason why the share is undefined, or null
   */
  public record Result(double share, double affineR2, int components, String reason) {
    /** Whether the share is defined. */
    public boolean defined() {
      return reason == null;
    }
  }

  /**
   * The fewest tokens for k components: 3k (and k + 2). The least-squares fit has k + 1 parameters per
   * coordinate; with fewer than about three tokens per parameter it interpolates noise, its R^2 is near 1
   * whatever the field, and the share describes the noise.
   */
  public static int minimumTokens(int components) {
    return Math.max(components + 2, 3 * components);
  }

  /**
   * The rotational share of the step from x to y.
   *
   * @param components k &gt;= 1
   * @throws IllegalArgumentException when the clouds differ in shape or k &lt; 1
   */
  public static Result of(TokenCloud x, TokenCloud y, int components) {
    IdentityCost.requireSameTokens(x, y);
    return of(x.toFlatArray(), y.toFlatArray(), x.size(), x.dimension(), components);
  }

  /** As {@link #of(TokenCloud, TokenCloud, int)} on row-major n x d arrays (not modified). */
  public static Result of(double[] x, double[] y, int n, int d, int components) {
    Result tooFew = tooFew(n, d, components);
    if (tooFew != null) {
      return tooFew;
    }
    int k = Math.min(components, d);
    double[] mean = new double[d];
    double[] meanDelta = new double[d];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        mean[c] += x[i * d + c];
        meanDelta[c] += y[i * d + c] - x[i * d + c];
      }
    }
    for (int c = 0; c < d; c++) {
      mean[c] /= n;
      meanDelta[c] /= n;
    }
    DMatrixRMaj xc = new DMatrixRMaj(n, d);
    DMatrixRMaj dc = new DMatrixRMaj(n, d);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        xc.data[i * d + c] = x[i * d + c] - mean[c];
        dc.data[i * d + c] = y[i * d + c] - x[i * d + c] - meanDelta[c];
      }
    }
    DMatrixRMaj z;
    DMatrixRMaj w;
    if (d > k) {
      DMatrixRMaj basis = principalAxes(xc, k); // d x k, orthonormal columns
      z = new DMatrixRMaj(n, k);
      w = new DMatrixRMaj(n, k);
      CommonOps_DDRM.mult(xc, basis, z);
      CommonOps_DDRM.mult(dc, basis, w);
    } else {
      z = xc;
      w = dc;
    }
    return fromCoordinates(z, w, n, k);
  }

  /**
   * As {@link #of(double[], double[], int, int, int)} for the step from the points of {@code x} to those of
   * y (the same n x d shape), given {@code cross} = Yc Xc^T (row-major n x n, {@link Gram#cross}), with
   * the principal components taken from the eigenvectors of x's centred Gram matrix: Z = U_k diag(sigma_k) and W = (Yc Xc^T - Xc Xc^T) U_k
   * diag(1/sigma_k), which are Xc V_k and (Yc - Xc) V_k for the axes V_k = Xc^T U_k diag(1/sigma_k),
   * without the d x k basis. The same share to rounding; for n &gt;= d or d &lt;= k, the direct route.
   */
  static Result of(Gram x, Gram y, double[] cross, int components) {
    int n = x.n;
    int d = x.d;
    Result tooFew = tooFew(n, d, components);
    if (tooFew != null) {
      return tooFew;
    }
    int k = Math.min(components, d);
    if (n >= d || d <= k) {
      return of(x.x, y.x, n, d, components);
    }
    double[] lambda = x.eigenvalues();
    DMatrixRMaj z = new DMatrixRMaj(n, k);
    DMatrixRMaj w = new DMatrixRMaj(n, k);
    double[] u = new double[n];
    for (int a = 0; a < k; a++) {
      double sigma = Math.sqrt(lambda[a]);
      if (!(sigma > 0)) {
        continue; // a zero axis, as principalAxes leaves it; Sigma is then singular
      }
      for (int i = 0; i < n; i++) {
        u[i] = x.eigenvector(a, i);
      }
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += (cross[i * n + j] - x.centred[i * n + j]) * u[j];
        }
        z.set(i, a, sigma * u[i]);
        w.set(i, a, s / sigma);
      }
    }
    return fromCoordinates(z, w, n, k);
  }

  /**
   * The undefined share of n tokens too few for the components, or null when there are enough.
   *
   * @throws IllegalArgumentException when components &lt; 1
   */
  private static Result tooFew(int n, int d, int components) {
    if (components < 1) {
      throw new IllegalArgumentException("the rotational share needs at least 1 component, found " + components);
    }
    int k = Math.min(components, d);
    if (n < minimumTokens(k)) {
      return new Result(Double.NaN, Double.NaN, k, "needs at least " + minimumTokens(k) + " tokens for " + k
          + " components, found " + n);
    }
    return null;
  }

  /** The share from the centred points z and displacements w (n x k) in the k coordinates used. */
  private static Result fromCoordinates(DMatrixRMaj z, DMatrixRMaj w, int n, int k) {
    // Sigma = Z^T Z / n, cross = W^T Z / n, A = cross Sigma^{-1}
    DMatrixRMaj sigma = new DMatrixRMaj(k, k);
    CommonOps_DDRM.multTransA(z, z, sigma);
    CommonOps_DDRM.scale(1.0 / n, sigma);
    DMatrixRMaj cross = new DMatrixRMaj(k, k);
    CommonOps_DDRM.multTransA(w, z, cross);
    CommonOps_DDRM.scale(1.0 / n, cross);
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(k, true, true);
    if (!eig.decompose(sigma.copy())) {
      return new Result(Double.NaN, Double.NaN, k, "the eigendecomposition of the covariance did not converge");
    }
    double[] lambda = new double[k];
    DMatrixRMaj v = new DMatrixRMaj(k, k);
    double top = 0;
    for (int a = 0; a < k; a++) {
      lambda[a] = eig.getEigenvalue(a).getReal();
      top = Math.max(top, Math.abs(lambda[a]));
      DMatrixRMaj col = eig.getEigenVector(a);
      for (int r = 0; r < k; r++) {
        v.set(r, a, col.get(r, 0));
      }
    }
    for (double l : lambda) {
      if (!(l > 1e-12 * top) || top == 0) {
        return new Result(Double.NaN, Double.NaN, k, "the covariance of the tokens is singular in the " + k
            + " coordinates used");
      }
    }
    // A = cross V diag(1/lambda) V^T
    DMatrixRMaj crossV = new DMatrixRMaj(k, k);
    CommonOps_DDRM.mult(cross, v, crossV);
    for (int r = 0; r < k; r++) {
      for (int a = 0; a < k; a++) {
        crossV.set(r, a, crossV.get(r, a) / lambda[a]);
      }
    }
    DMatrixRMaj a = new DMatrixRMaj(k, k);
    CommonOps_DDRM.multTransB(crossV, v, a);
    // In the eigenbasis of Sigma: At = V^T A V, C~ = At L + L At^T, S~_ij = C~_ij / (l_i + l_j)
    DMatrixRMaj tmp = new DMatrixRMaj(k, k);
    DMatrixRMaj at = new DMatrixRMaj(k, k);
    CommonOps_DDRM.multTransA(v, a, tmp);
    CommonOps_DDRM.mult(tmp, v, at);
    double total = 0;
    double rotational = 0;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        double aij = at.get(i, j);
        double cij = aij * lambda[j] + lambda[i] * at.get(j, i);
        double sij = cij / (lambda[i] + lambda[j]);
        double rij = aij - sij;
        // tr(M L M^T) = sum_ij M_ij^2 l_j
        total += aij * aij * lambda[j];
        rotational += rij * rij * lambda[j];
      }
    }
    double deltaVariance = 0;
    for (double t : w.data) {
      deltaVariance += t * t;
    }
    deltaVariance /= n;
    double r2 = deltaVariance > 0 ? Math.min(1, Math.max(0, total / deltaVariance)) : Double.NaN;
    if (!(total > 0)) {
      return new Result(Double.NaN, r2, k, "the affine part of the displacement field is zero");
    }
    return new Result(Math.min(1, Math.max(0, rotational / total)), r2, k, null);
  }

  /** The top k principal axes of the centred rows of xc (n x d), as the columns of a d x k matrix. */
  static DMatrixRMaj principalAxes(DMatrixRMaj xc, int k) {
    int n = xc.numRows;
    int d = xc.numCols;
    DMatrixRMaj basis = new DMatrixRMaj(d, k);
    boolean gram = n < d;
    DMatrixRMaj m = gram ? new DMatrixRMaj(n, n) : new DMatrixRMaj(d, d);
    if (gram) {
      CommonOps_DDRM.multTransB(xc, xc, m); // eigenvectors u of X X^T give the axes X^T u / |X^T u|
    } else {
      // X^T X as the rows of X^T against themselves, by the SIMD kernel
      double[] t = dev.tokendyn.kernel.MatrixProduct.transposed(xc.data, n, d, n);
      m.data = dev.tokendyn.kernel.MatrixProduct.timesTransposed(t, d, t, d, n);
    }
    if (!gram) {
      // d x d: only the k vectors wanted, not all d
      return TopEigenvectors.of(m, Math.min(k, d));
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m.numRows, true, true);
    if (!eig.decompose(m)) {
      throw new IllegalStateException("the eigendecomposition of a " + m.numRows + "x" + m.numRows
          + " scatter matrix did not converge");
    }
    double[] found = new double[m.numRows];
    for (int a = 0; a < found.length; a++) {
      found[a] = eig.getEigenvalue(a).getReal();
    }
    int[] order = Gram.descendingOrder(found);
    for (int a = 0; a < k && a < order.length; a++) {
      DMatrixRMaj u = eig.getEigenVector(order[a]);
      if (gram) {
        double[] col = new double[d];
        double norm = 0;
        for (int c = 0; c < d; c++) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += xc.data[i * d + c] * u.get(i, 0);
          }
          col[c] = s;
          norm += s * s;
        }
        norm = Math.sqrt(norm);
        for (int c = 0; c < d; c++) {
          basis.set(c, a, norm > 0 ? col[c] / norm : 0);
        }
      } else {
        for (int c = 0; c < d; c++) {
          basis.set(c, a, u.get(c, 0));
        }
      }
    }
    return basis;
  }
}
