package dev.tokendyn.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each kernel against a plain scalar loop with Math.exp and Math.log, at lengths with and without a tail. */
class LogSumExpTest {
  private static final int[] LENGTHS = {1, VectorMath.LANES - 1, VectorMath.LANES, 3 * VectorMath.LANES + 5, 257};

  private static double[] gaussian(SplittableRandom rng, int len, double sd) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      v[i] = sd * rng.nextGaussian();
    }
    return v;
  }

  @Test
  void aRowsLogSumExpAgreesWithThePlainSumEvenWhereExpWouldOverflow() {
    SplittableRandom rng = new SplittableRandom(345);
    for (int len : LENGTHS) {
      double[] s = gaussian(rng, len + 2, 1);
      double[] g = gaussian(rng, len, 1);
      for (double beta : new double[] {0.5, 4, 900}) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < len; j++) {
          m = Math.max(m, beta * s[2 + j] + g[j]);
        }
        double sum = 0;
        for (int j = 0; j < len; j++) {
          sum += Math.exp(beta * s[2 + j] + g[j] - m);
        }
        double truth = m + Math.log(sum);
        assertThat(LogSumExp.row(s, 2, len, beta, g)).as("len=%d beta=%s", len, beta)
            .isCloseTo(truth, within(1e-13 * Math.max(1, Math.abs(truth))));
      }
    }
  }

  @Test
  void columnPotentialsAgreeWithThePlainSums() {
    SplittableRandom rng = new SplittableRandom(7);
    int rows = 13;
    int stride = 4 * VectorMath.LANES;
    double[] s = gaussian(rng, rows * stride, 1);
    double[] f = gaussian(rng, rows, 2);
    double beta = 3;
    double[] out = new double[stride];
    LogSumExp.negativeColumns(s, rows, stride, VectorMath.LANES, 3 * VectorMath.LANES, beta, f, out);
    for (int c = 0; c < stride; c++) {
      if (c < VectorMath.LANES || c >= 3 * VectorMath.LANES) {
        assertThat(out[c]).as("column %d is outside the range and stays untouched", c).isEqualTo(0.0);
        continue;
      }
      double m = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < rows; i++) {
        m = Math.max(m, beta * s[i * stride + c] + f[i]);
      }
      double sum = 0;
      for (int i = 0; i < rows; i++) {
        sum += Math.exp(beta * s[i * stride + c] + f[i] - m);
      }
      double truth = -(m + Math.log(sum));
      assertThat(out[c]).as("column %d", c).isCloseTo(truth, within(1e-13 * Math.max(1, Math.abs(truth))));
    }
  }

  @Test
  void gibbsRowsAndScaledExponentialsAgreeWithThePlainLoop() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int len : LENGTHS) {
      double[] s = gaussian(rng, len + 1, 1);
      double[] g = gaussian(rng, len, 1);
      double[] kernel = s.clone();
      LogSumExp.gibbsInPlace(kernel, 1, len, 2.5, g, -0.75);
      double[] scaled = s.clone();
      double sum = LogSumExp.expScaled(scaled, 1, len, 2.5, 1.25);
      assertThat(kernel[0]).isEqualTo(s[0]);
      assertThat(scaled[0]).isEqualTo(s[0]);
      double plainSum = 0;
      for (int j = 0; j < len; j++) {
        double k = Math.exp(2.5 * s[1 + j] + g[j] - 0.75);
        assertThat(kernel[1 + j]).as("len=%d j=%d", len, j).isCloseTo(k, within(1e-14 * k));
        double e = Math.exp(2.5 * s[1 + j] - 1.25);
        assertThat(scaled[1 + j]).as("len=%d j=%d", len, j).isCloseTo(e, within(1e-14 * e));
        plainSum += e;
      }
      assertThat(sum).isCloseTo(plainSum, within(1e-14 * plainSum));
    }
  }
}
