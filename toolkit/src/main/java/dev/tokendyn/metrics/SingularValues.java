package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Singular values of the centred cloud X - 1 xbar^T; shared by the rank metrics. A cloud much wider than
 * it is tall (a text's dozens of tokens in hundreds of dimensions) takes them as the square roots of the
 * eigenvalues of the n x n Gram matrix, which costs O(n^2 d + n^3) instead of a full SVD's; the
 * eigenvalues lose relative precision only below about 1e-8 of the largest, far under what the ranks
 * weigh.
 */
final class SingularValues {
  private SingularValues() {}

  /** The min(n, d) singular values of the centred n x d matrix, in no particular order. */
  static double[] ofCentred(TokenCloud cloud) {
    int n = cloud.size();
    int d = cloud.dimension();
    double[] c = Centred.points(cloud);
    if (4 * n <= d) {
      DMatrixRMaj x = DMatrixRMaj.wrap(n, d, c);
      DMatrixRMaj g = new DMatrixRMaj(n, n);
      org.ejml.dense.row.CommonOps_DDRM.multTransB(x, x, g);
      var eig = DecompositionFactory_DDRM.eig(n, false, true);
      if (!eig.decompose(g)) {
        throw new IllegalStateException("EJML's eigendecomposition did not converge on a " + n + "x" + n + " Gram matrix");
      }
      double[] s = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = Math.sqrt(Math.max(0, eig.getEigenvalue(i).getReal()));
      }
      return s;
    }
    DMatrixRMaj x = DMatrixRMaj.wrap(n, d, c);
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, false, false, true);
    if (!svd.decompose(x)) {
      throw new IllegalStateException("EJML's SVD did not converge on a " + n + "x" + d + " cloud");
    }
    double[] s = svd.getSingularValues();
    return java.util.Arrays.copyOf(s, svd.numberOfSingularValues());
  }
}
