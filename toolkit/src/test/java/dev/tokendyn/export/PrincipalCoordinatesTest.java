package dev.tokendyn.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;

class PrincipalCoordinatesTest {
  /** Centred rows with three strong directions of distinct variances, plus noise. */
  private static double[] centred(int rows, int width, Random rng) {
    double[] x = new double[rows * width];
    for (int r = 0; r < rows; r++) {
      double a = 5 * rng.nextGaussian();
      double b = 2 * rng.nextGaussian();
      double c = rng.nextGaussian();
      for (int k = 0; k < width; k++) {
        x[r * width + k] = a * Math.sin(k + 1) + b * Math.cos(3 * k) + c * (k % 3 - 1) + 0.01 * rng.nextGaussian();
      }
    }
    for (int k = 0; k < width; k++) {
      double m = 0;
      for (int r = 0; r < rows; r++) {
        m += x[r * width + k] / rows;
      }
      for (int r = 0; r < rows; r++) {
        x[r * width + k] -= m;
      }
    }
    return x;
  }

  @Test
  void matchTheSingularValueDecompositionOfTheRowsUpToSign() {
    Random rng = new Random(12);
    // fewer rows than columns (the Gram route) and more (the scatter route)
    for (int[] shape : new int[][] {{30, 80}, {90, 20}}) {
      int rows = shape[0];
      int width = shape[1];
      double[] x = centred(rows, width, rng);
      AnalysisReport.PrincipalCoordinates pc = AnalysisReport.principalCoordinates(x, rows, width);
      SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows, width, true, false, false);
      assertThat(svd.decompose(new DMatrixRMaj(rows, width, true, x))).isTrue();
      double[] s = svd.getSingularValues();
      DMatrixRMaj u = svd.getU(null, false);
      Integer[] order = new Integer[s.length];
      for (int i = 0; i < s.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (p, q) -> Double.compare(s[q], s[p]));
      double total = 0;
      for (double v : s) {
        total += v * v;
      }
      assertThat(pc.share()).isCloseTo((s[order[0]] * s[order[0]] + s[order[1]] * s[order[1]]) / total,
          within(1e-10));
      double[][] got = {pc.first(), pc.second()};
      for (int c = 0; c < 2; c++) {
        // the coordinates on axis c are sigma_c u_c, up to the axis's sign
        double sign = Math.signum(got[c][0] * u.get(0, order[c]));
        for (int r = 0; r < rows; r++) {
          assertThat(got[c][r]).isCloseTo(sign * s[order[c]] * u.get(r, order[c]), within(1e-8 * s[order[0]]));
        }
        // and the sign convention: the largest coordinate in absolute value is positive
        double big = 0;
        for (double v : got[c]) {
          big = Math.abs(v) > Math.abs(big) ? v : big;
        }
        assertThat(big).isPositive();
      }
    }
  }
}
