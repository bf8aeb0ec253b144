package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/** Singular values of the centred cloud X - 1 xbar^T, through EJML's SVD; shared by the rank metrics. */
final class SingularValues {
  private SingularValues() {}

  /** The min(n, d) singular values of the centred n x d matrix, in no particular order. */
  static double[] ofCentred(TokenCloud cloud) {
    int n = cloud.size();
    int d = cloud.dimension();
    DMatrixRMaj x = DMatrixRMaj.wrap(n, d, Centred.points(cloud));
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, d, false, false, true);
    if (!svd.decompose(x)) {
      throw new IllegalStateException("EJML's SVD did not converge on a " + n + "x" + d + " cloud");
    }
    double[] s = svd.getSingularValues();
    return java.util.Arrays.copyOf(s, svd.numberOfSingularValues());
  }
}
