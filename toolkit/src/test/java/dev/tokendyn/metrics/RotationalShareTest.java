package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.Interaction;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import java.util.List;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

class RotationalShareTest {
  /** y = x + h M x, row by row. */
  private static double[] step(double[] x, int n, int d, double[] m, double h) {
    double[] y = x.clone();
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < d; r++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
          s += m[r * d + c] * x[i * d + c];
        }
        y[i * d + r] += h * s;
      }
    }
    return y;
  }

  @Test
  void aGradientFieldHasNoRotationalShare() {
    Random rng = new Random(345);
    int n = 300;
    int d = 5;
    double[] x = Samples.gaussian(n, d, rng);
    double[] s = new double[d * d];
    for (int r = 0; r < d; r++) {
      for (int c = 0; c <= r; c++) {
        s[r * d + c] = s[c * d + r] = rng.nextGaussian();
      }
    }
    RotationalShare.Result res = RotationalShare.of(x, step(x, n, d, s, 0.1), n, d, 10);
    assertThat(res.share()).isCloseTo(0, within(1e-9));
    assertThat(res.affineR2()).isCloseTo(1, within(1e-9));
  }

  @Test
  void aRotationOfAnIsotropicCloudIsAllRotation() {
    Random rng = new Random(345);
    int n = 20000;
    int d = 4;
    double[] x = Samples.gaussian(n, d, rng);
    double[] omega = new double[d * d];
    for (int r = 0; r < d; r++) {
      for (int c = 0; c < r; c++) {
        omega[r * d + c] = rng.nextGaussian();
        omega[c * d + r] = -omega[r * d + c];
      }
    }
    // the empirical covariance is isotropic only to O(n^-1/2)
    assertThat(RotationalShare.of(x, step(x, n, d, omega, 0.05), n, d, 10).share()).isGreaterThan(0.97);
  }

  /**
   * The formula by a second route: least squares with an intercept column through the normal equations, and
   * the Lyapunov equation solved as the linear system (I (x) Sigma + Sigma (x) I) vec(S) = vec(C).
   */
  private static double byKroneckerSystem(double[] x, double[] y, int n, int d) {
    DMatrixRMaj design = new DMatrixRMaj(n, d + 1);
    DMatrixRMaj delta = new DMatrixRMaj(n, d);
    double[] m = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        m[k] += x[i * d + k] / n;
      }
    }
    for (int i = 0; i < n; i++) {
      design.set(i, d, 1);
      for (int k = 0; k < d; k++) {
        design.set(i, k, x[i * d + k] - m[k]);
        delta.set(i, k, y[i * d + k] - x[i * d + k]);
      }
    }
    DMatrixRMaj coef = new DMatrixRMaj(d + 1, d);
    CommonOps_DDRM.solve(design, delta, coef); // least squares (QR)
    DMatrixRMaj a = new DMatrixRMaj(d, d);
    for (int r = 0; r < d; r++) {
      for (int c = 0; c < d; c++) {
        a.set(r, c, coef.get(c, r)); // delta = A (x - m) + b, coef holds A^T
      }
    }
    DMatrixRMaj sigma = new DMatrixRMaj(d, d);
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          sigma.add(r, c, design.get(i, r) * design.get(i, c) / n);
        }
      }
    }
    DMatrixRMaj c = new DMatrixRMaj(d, d);
    DMatrixRMaj t = new DMatrixRMaj(d, d);
    CommonOps_DDRM.mult(a, sigma, c);
    CommonOps_DDRM.multTransB(sigma, a, t);
    CommonOps_DDRM.addEquals(c, t);
    DMatrixRMaj big = new DMatrixRMaj(d * d, d * d);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        for (int k = 0; k < d; k++) {
          big.add(i * d + j, k * d + j, sigma.get(i, k)); // (Sigma S)_ij = sum_k Sigma_ik S_kj
          big.add(i * d + j, i * d + k, sigma.get(k, j)); // (S Sigma)_ij = sum_k S_ik Sigma_kj
        }
      }
    }
    DMatrixRMaj vecC = new DMatrixRMaj(d * d, 1, true, c.data);
    DMatrixRMaj vecS = new DMatrixRMaj(d * d, 1);
    CommonOps_DDRM.solve(big, vecC, vecS);
    DMatrixRMaj r = new DMatrixRMaj(d, d);
    CommonOps_DDRM.subtract(a, new DMatrixRMaj(d, d, true, vecS.data), r);
    return quadratic(r, sigma) / quadratic(a, sigma);
  }

  private static double quadratic(DMatrixRMaj m, DMatrixRMaj sigma) {
    DMatrixRMaj ms = new DMatrixRMaj(m.numRows, m.numCols);
    DMatrixRMaj out = new DMatrixRMaj(m.numRows, m.numRows);
    CommonOps_DDRM.mult(m, sigma, ms);
    CommonOps_DDRM.multTransB(ms, m, out);
    return CommonOps_DDRM.trace(out);
  }

  @Test
  void matchesTheFormulaComputedAnotherWayWhenDIsAtMostK() {
    Random rng = new Random(345);
    for (int trial = 0; trial < 5; trial++) {
      int n = 60 + 20 * trial;
      int d = 3 + trial;
      double[] x = Samples.gaussian(n, d, rng);
      double[] y = x.clone();
      for (int i = 0; i < y.length; i++) {
        y[i] += 0.3 * Math.sin(x[i] + i % d) + 0.05 * rng.nextGaussian();
      }
      double expected = byKroneckerSystem(x, y, n, d);
      assertThat(RotationalShare.of(x, y, n, d, 10).share()).as("trial %d", trial).isCloseTo(expected, within(1e-9));
    }
  }

  private static double simulatedShare(boolean gaussian, long seed) {
    SimulationParams p = SimulationParams.of(Dynamics.SA, 200, 8, 1.0, 0.05, 20, seed).withRecordEvery(10);
    if (gaussian) {
      p = p.withInteraction(Interaction.gaussian(8, seed));
    }
    List<Simulator.Frame> f = Simulator.run(p);
    return RotationalShare.of(f.get(0).cloud(), f.get(1).cloud(), 10).share();
  }

  @Test
  void separatesIdentityFromGaussianAttention() {
    for (long seed = 1; seed <= 3; seed++) {
      // with Q = K = V = I the field is the gradient of the interaction energy, up to the sphere's projection
      assertThat(simulatedShare(false, seed)).as("identity, seed %d", seed).isLessThan(0.02);
      assertThat(simulatedShare(true, seed)).as("gaussian, seed %d", seed).isGreaterThan(0.3);
    }
  }

  @Test
  void undefinedCasesSayWhy() {
    Random rng = new Random(345);
    double[] x = Samples.gaussian(10, 3, rng);
    assertThat(RotationalShare.of(x, x, 10, 3, 10).reason()).isEqualTo("the affine part of the displacement field is zero");
    assertThat(RotationalShare.of(x, x, 10, 30, 10).reason()).contains("needs at least 30 tokens");
    TokenCloud flat = TokenCloud.of(new double[][] {{1, 0}, {2, 0}, {3, 0}, {4, 0}, {5, 0}, {6, 0}, {7, 0}});
    assertThat(RotationalShare.of(flat, flat, 2).reason()).contains("singular");
  }
}
