package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.junit.jupiter.api.Test;

class TopEigenvectorsTest {
  /** Q diag(values) Q^T for a random orthogonal Q (from the QR decomposition of a Gaussian matrix). */
  private static DMatrixRMaj withSpectrum(Random rng, double[] values) {
    int n = values.length;
    DMatrixRMaj g = new DMatrixRMaj(n, n);
    for (int i = 0; i < g.data.length; i++) {
      g.data[i] = rng.nextGaussian();
    }
    var qr = DecompositionFactory_DDRM.qr(n, n);
    qr.decompose(g);
    DMatrixRMaj q = qr.getQ(null, false);
    DMatrixRMaj qd = new DMatrixRMaj(n, n);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        qd.set(i, j, q.get(i, j) * values[j]);
      }
    }
    DMatrixRMaj a = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multTransB(qd, q, a);
    // exactly symmetric
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double s = 0.5 * (a.get(i, j) + a.get(j, i));
        a.set(i, j, s);
        a.set(j, i, s);
      }
    }
    return a;
  }

  /** Checks A v = lambda_a v for the a-th largest eigenvalue, unit columns, and orthogonality. */
  private static void assertTopEigenvectors(DMatrixRMaj a, double[] descending, DMatrixRMaj v, double tol) {
    int n = a.numRows;
    int k = v.numCols;
    for (int c = 0; c < k; c++) {
      for (int c2 = 0; c2 <= c; c2++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += v.get(i, c) * v.get(i, c2);
        }
        assertThat(dot).as("<v%d, v%d>", c, c2).isCloseTo(c == c2 ? 1 : 0, org.assertj.core.data.Offset.offset(1e-10));
      }
      double r = 0;
      for (int i = 0; i < n; i++) {
        double s = -descending[c] * v.get(i, c);
        for (int j = 0; j < n; j++) {
          s += a.get(i, j) * v.get(j, c);
        }
        r += s * s;
      }
      assertThat(Math.sqrt(r)).as("residual of vector %d", c).isLessThanOrEqualTo(tol);
    }
  }

  @Test
  void givesTheTopEigenpairsOfAKnownSpectrum() {
    Random rng = new Random(3);
    int n = 60;
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = Math.pow(0.8, i) * 100;
    }
    DMatrixRMaj a = withSpectrum(rng, values);
    DMatrixRMaj v = TopEigenvectors.of(a, 10);
    assertThat(v.numRows).isEqualTo(n);
    assertThat(v.numCols).isEqualTo(10);
    assertTopEigenvectors(a, values, v, 1e-10 * values[0]);
  }

  @Test
  void aRepeatedEigenvalueGetsAnOrthonormalBasisOfItsSpace() {
    Random rng = new Random(4);
    double[] values = {5, 5, 5, 2, 1, 1, 0.5, 0, 0, 0};
    DMatrixRMaj a = withSpectrum(rng, values);
    DMatrixRMaj v = TopEigenvectors.of(a, 6);
    assertTopEigenvectors(a, values, v, 1e-11 * 5);
  }

  @Test
  void matchesTheFullDecompositionOnAScatterMatrix() {
    Random rng = new Random(5);
    int n = 200;
    int d = 40;
    DMatrixRMaj x = new DMatrixRMaj(n, d);
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < d; c++) {
        x.set(i, c, rng.nextGaussian() * (1 + 3.0 / (1 + c)));
      }
    }
    DMatrixRMaj a = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransA(x, x, a);
    var eig = DecompositionFactory_DDRM.eig(d, true, true);
    assertThat(eig.decompose(a.copy())).isTrue();
    double[] found = new double[d];
    for (int i = 0; i < d; i++) {
      found[i] = eig.getEigenvalue(i).getReal();
    }
    int[] order = Gram.descendingOrder(found);
    DMatrixRMaj v = TopEigenvectors.of(a, 5);
    for (int c = 0; c < 5; c++) {
      DMatrixRMaj u = eig.getEigenVector(order[c]);
      double dot = 0;
      for (int i = 0; i < d; i++) {
        dot += u.get(i, 0) * v.get(i, c);
      }
      // the same vector up to its sign
      assertThat(Math.abs(dot)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-10));
    }
  }

  @Test
  void handlesTheZeroMatrixAndOneByOne() {
    DMatrixRMaj zero = new DMatrixRMaj(4, 4);
    DMatrixRMaj v = TopEigenvectors.of(zero, 2);
    assertTopEigenvectors(zero, new double[] {0, 0}, v, 0);
    DMatrixRMaj one = new DMatrixRMaj(new double[][] {{-3}});
    assertThat(Math.abs(TopEigenvectors.of(one, 1).get(0, 0))).isEqualTo(1.0);
    assertThatThrownBy(() -> TopEigenvectors.of(zero, 5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k=5");
    assertThatThrownBy(() -> TopEigenvectors.of(new DMatrixRMaj(2, 3), 1)).hasMessageContaining("2x3");
  }

  @Test
  void decomposeGivesEveryEigenvalueDescendingWithOrWithoutTheTopVectors() {
    Random rng = new Random(6);
    double[] values = {9, 7.5, 7.5, 3, 1, 0.25, 0, -2};
    DMatrixRMaj a = withSpectrum(rng, values);
    for (int k : new int[] {0, 3, values.length}) {
      TopEigenvectors.Decomposition e = TopEigenvectors.decompose(a, k);
      assertThat(e.values()).hasSize(values.length);
      for (int i = 0; i < values.length; i++) {
        assertThat(e.values()[i]).isCloseTo(values[i], org.assertj.core.data.Offset.offset(1e-12 * 9));
      }
      if (k == 0) {
        assertThat(e.vectors()).isNull();
      } else {
        assertTopEigenvectors(a, values, e.vectors(), 1e-11 * 9);
      }
    }
    assertThatThrownBy(() -> TopEigenvectors.decompose(a, -1)).hasMessageContaining("k=-1");
  }
}
