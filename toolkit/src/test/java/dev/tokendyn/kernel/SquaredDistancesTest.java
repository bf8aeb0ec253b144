package dev.tokendyn.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SquaredDistancesTest {
  private static double[] gaussian(SplittableRandom rng, int len, double shift) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      v[i] = rng.nextGaussian() + shift;
    }
    return v;
  }

  /** The plain loop: sum of squared differences. */
  static double direct(double[] x, int i, double[] y, int j, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      double t = x[i * d + k] - y[j * d + k];
      s += t * t;
    }
    return s;
  }

  @Test
  void tilesAgreeWithTheSumOfSquaredDifferences() {
    SplittableRandom rng = new SplittableRandom(345);
    int n = 37;
    int m = 83;
    int d = 64;
    double[] x = gaussian(rng, n * d, 0);
    double[] y = gaussian(rng, m * d, 0.5);
    SquaredDistances sd = SquaredDistances.between(x, n, y, m, d);
    double[] full = sd.matrix();
    double[] tile = new double[10 * 40];
    sd.tile(20, 30, 7, 47, tile, 0, 40);
    for (int i = 0; i < n; i++) {
      double scale = sd.rowNorm(i);
      for (int j = 0; j < m; j++) {
        double truth = direct(x, i, y, j, d);
        assertThat(Math.abs(full[i * m + j] - truth)).as("(%d, %d)", i, j)
            .isLessThanOrEqualTo(1e-14 * (scale + sd.colNorm(j)));
        assertThat(sd.get(i, j)).isEqualTo(full[i * m + j]);
        if (i >= 20 && i < 30 && j >= 7 && j < 47) {
          assertThat(tile[(i - 20) * 40 + j - 7]).isEqualTo(full[i * m + j]);
        }
      }
    }
  }

  @Test
  void theScalarTwinAndTheVectorKernelGiveTheSameBits() {
    SplittableRandom rng = new SplittableRandom(345);
    for (int[] shape : new int[][] {{37, 83, 64}, {5, 7, 3}, {33, 50, 61}, {1, 1, 1}}) {
      int n = shape[0];
      int m = shape[1];
      int d = shape[2];
      double[] x = gaussian(rng, n * d, 0);
      double[] y = gaussian(rng, m * d, 0.5);
      SquaredDistances sd = SquaredDistances.between(x, n, y, m, d);
      int w = m + 3;
      double[] scalar = new double[n * w];
      double[] vector = new double[n * w];
      sd.tile(0, n, 0, m, scalar, 0, w, true);
      sd.tile(0, n, 0, m, vector, 0, w, false);
      for (int k = 0; k < n * w; k++) {
        assertThat(Double.doubleToRawLongBits(scalar[k])).as("%s entry %d", java.util.Arrays.toString(shape), k)
            .isEqualTo(Double.doubleToRawLongBits(vector[k]));
      }
    }
  }

  @Test
  void gibbsRowsAreTheTileFollowedByTheGibbsKernelBitForBit() {
    SplittableRandom rng = new SplittableRandom(7);
    int n = 41;
    int m = 29;
    int d = 16;
    double[] x = gaussian(rng, n * d, 0);
    double[] y = gaussian(rng, m * d, 0.5);
    double[] f = gaussian(rng, n, 3);
    double[] g = gaussian(rng, m, -1);
    double eps = 0.7;
    SquaredDistances sd = SquaredDistances.between(x, n, y, m, d);
    double[] dist = new double[n * m];
    sd.tile(0, n, 0, m, dist, 0, m, false);
    double[] expected = new double[n * m];
    for (int i = 0; i < n; i++) {
      ArrayOps.gibbs(f[i], g, dist, i * m, eps, expected, i * m, m);
      for (int j = 0; j < m; j++) {
        // and against the plain formula with the library's exponential
        double plain = Math.exp((f[i] + g[j] - direct(x, i, y, j, d)) / eps);
        assertThat(expected[i * m + j]).isCloseTo(plain, org.assertj.core.data.Percentage.withPercentage(1e-9));
      }
    }
    for (boolean scalar : new boolean[] {true, false}) {
      double[] fused = new double[(n - 3) * m];
      sd.gibbsRows(3, n, f, g, eps, fused, scalar);
      for (int k = 0; k < fused.length; k++) {
        assertThat(Double.doubleToRawLongBits(fused[k])).as("scalar %s entry %d", scalar, k)
            .isEqualTo(Double.doubleToRawLongBits(expected[3 * m + k]));
      }
    }
  }

  @Test
  void aPointAndItsCopyAreExactlyZeroApartAndNoDistanceIsNegative() {
    SplittableRandom rng = new SplittableRandom(11);
    int n = 50;
    int d = 7;
    double[] x = gaussian(rng, n * d, 3);
    // near-copies: distances far below the rounding of |x|^2 + |y|^2 - 2 <x, y>
    double[] y = x.clone();
    for (int k = 0; k < y.length; k += 3) {
      y[k] = Math.nextUp(y[k]);
    }
    SquaredDistances self = SquaredDistances.between(x, n, x, n, d);
    double[] dd = self.matrix();
    for (int i = 0; i < n; i++) {
      assertThat(dd[i * n + i]).isEqualTo(0.0);
    }
    double[] near = SquaredDistances.between(x, n, y, n, d).matrix();
    for (double v : near) {
      assertThat(v).isGreaterThanOrEqualTo(0.0);
    }
  }

  @Test
  void badTilesAreRefusedWithTheShape() {
    SquaredDistances sd = SquaredDistances.between(new double[6], 3, new double[4], 2, 2);
    assertThatThrownBy(() -> sd.tile(0, 4, 0, 2, new double[8], 0, 2)).hasMessageContaining("3 x 2");
    assertThatThrownBy(() -> sd.tile(0, 3, 0, 2, new double[8], 0, 1)).hasMessageContaining("stride");
    assertThatThrownBy(() -> sd.tile(0, 3, 0, 2, new double[5], 0, 2)).hasMessageContaining("too few");
    assertThatThrownBy(() -> SquaredDistances.between(new double[5], 3, new double[4], 2, 2))
        .hasMessageContaining("n*d");
  }
}
