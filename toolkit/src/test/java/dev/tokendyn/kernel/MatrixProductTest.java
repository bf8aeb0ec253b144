package dev.tokendyn.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MatrixProductTest {
  private static double[] gaussian(SplittableRandom rng, int len) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      v[i] = rng.nextGaussian();
    }
    return v;
  }

  /** The plain loop: one fused multiply-add chain per entry, k in order. */
  private static double entry(double[] a, int aOff, int aStride, int r, double[] b, int bOff, int bStride, int c, int m) {
    double s = 0;
    for (int k = 0; k < m; k++) {
      s = Math.fma(a[aOff + r * aStride + k], b[k * bStride + bOff + c], s);
    }
    return s;
  }

  @Test
  void productEqualsThePlainLoopBitForBitForEveryShapeOfTail() {
    SplittableRandom rng = new SplittableRandom(345);
    int l = VectorMath.LANES;
    for (int rows : new int[] {1, 3, 4, 5, 9}) {
      for (int cols : new int[] {l, 2 * l, 2 * l + 3, 3 * l, 3 * l + l, 5 * l, 5 * l + 1, 7 * l, 8 * l, 3 * l + 3}) {
        int m = 13;
        int aStride = m + 2;
        int bStride = MatrixProduct.padded(cols) + l + 3;
        int bOff = 2;
        double[] a = gaussian(rng, 1 + rows * aStride);
        double[] b = gaussian(rng, m * bStride + l);
        int cStride = cols + 5;
        double[] c = new double[3 + rows * cStride];
        java.util.Arrays.fill(c, Double.NaN);
        MatrixProduct.multiply(a, 1, aStride, rows, m, b, bOff, bStride, cols, c, 3, cStride);
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < cols; j++) {
            assertThat(c[3 + r * cStride + j]).as("rows %d cols %d (%d, %d)", rows, cols, r, j)
                .isEqualTo(entry(a, 1, aStride, r, b, bOff, bStride, j, m));
          }
          for (int j = cols; j < cStride && 3 + r * cStride + j < c.length; j++) {
            assertThat(c[3 + r * cStride + j]).as("untouched beyond cols").isNaN();
          }
        }
      }
    }
  }

  @Test
  void packedProductOfAnyColumnRangeEqualsThePlainLoop() {
    SplittableRandom rng = new SplittableRandom(7);
    int d = 11;
    int m = 3 * MatrixProduct.STRIP + 5;
    double[] y = gaussian(rng, m * d);
    double[] panel = MatrixProduct.packRows(y, m, d);
    for (int rows : new int[] {1, 4, 6}) {
      double[] a = gaussian(rng, rows * d);
      int[][] ranges = {{0, m}, {3, m - 2}, {MatrixProduct.STRIP, 2 * MatrixProduct.STRIP}, {m - 1, m}, {5, 6}};
      for (int[] jr : ranges) {
        int width = jr[1] - jr[0];
        int stride = width + 1;
        double[] c = new double[rows * stride];
        java.util.Arrays.fill(c, Double.NaN);
        MatrixProduct.multiplyPacked(a, 0, d, rows, d, panel, jr[0], jr[1], c, 0, stride);
        for (int r = 0; r < rows; r++) {
          for (int j = jr[0]; j < jr[1]; j++) {
            double truth = 0;
            for (int k = 0; k < d; k++) {
              truth = Math.fma(a[r * d + k], y[j * d + k], truth);
            }
            assertThat(c[r * stride + j - jr[0]]).as("range %d..%d (%d, %d)", jr[0], jr[1], r, j).isEqualTo(truth);
            assertThat(MatrixProduct.dot(a, r * d, y, j * d, 1, d)).isEqualTo(truth);
          }
          assertThat(c[r * stride + width]).as("untouched beyond the range").isNaN();
        }
      }
    }
  }

  @Test
  void rowDotTilesAgreeWithThePlainLoop() {
    SplittableRandom rng = new SplittableRandom(21);
    int nl = 5 * VectorMath.LANES;
    double[] q = gaussian(rng, 12 * nl);
    double[] dots = new double[16];
    MatrixProduct.rowDots4x4(q, nl, 1, 7, nl, dots, new double[VectorMath.LANES]);
    for (int a = 0; a < 4; a++) {
      for (int b = 0; b < 4; b++) {
        double s = 0;
        double scale = 0;
        for (int i = 0; i < nl; i++) {
          s += q[(1 + a) * nl + i] * q[(7 + b) * nl + i];
          scale += Math.abs(q[(1 + a) * nl + i] * q[(7 + b) * nl + i]);
        }
        assertThat(dots[4 * a + b]).isCloseTo(s, org.assertj.core.api.Assertions.within(1e-14 * scale));
      }
    }
  }

  @Test
  void timesTransposedEqualsTheFmaChainAndIsExactlySymmetric() {
    SplittableRandom rng = new SplittableRandom(99);
    int l = VectorMath.LANES;
    int st = MatrixProduct.STRIP;
    for (int[] shape : new int[][] {{1, 1, 1}, {5, 7, 3}, {33, 30, 97}, {st, 2 * st, 8}, {32, 32, 19}, {37, 37, 23},
        {9, st + l, 5}, {6, st + l + 1, 5}, {7, st + 2 * l, 4}, {4, st + 2 * l + 1, 6}}) {
      int n = shape[0];
      int m = shape[1];
      int d = shape[2];
      double[] a = new double[n * d];
      double[] b = new double[m * d];
      for (int i = 0; i < a.length; i++) {
        a[i] = rng.nextGaussian();
      }
      for (int i = 0; i < b.length; i++) {
        b[i] = rng.nextGaussian();
      }
      double[] c;
      double[] scalar;
      try {
        Warmth.force(false);
        c = MatrixProduct.timesTransposed(a, n, b, m, d);
        Warmth.force(true);
        scalar = MatrixProduct.timesTransposed(a, n, b, m, d);
      } finally {
        Warmth.force(null);
      }
      assertThat(c).hasSize(n * m);
      assertThat(scalar).as("the cold process's plain loop").isEqualTo(c);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          double s = 0;
          for (int k = 0; k < d; k++) {
            s = Math.fma(a[i * d + k], b[j * d + k], s);
          }
          assertThat(c[i * m + j]).as("%s entry %d,%d", java.util.Arrays.toString(shape), i, j).isEqualTo(s);
        }
      }
      double[] g = MatrixProduct.timesTransposed(a, n, a, n, d);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          assertThat(g[i * n + j]).isEqualTo(g[j * n + i]);
        }
      }
    }
  }
}
