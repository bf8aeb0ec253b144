package dev.tokendyn.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each kernel against a plain scalar loop, at lengths with and without a tail and at an offset. */
class ArrayOpsTest {
  private static final int[] LENGTHS = {1, VectorMath.LANES - 1, VectorMath.LANES, 2 * VectorMath.LANES,
      3 * VectorMath.LANES, 3 * VectorMath.LANES + 5, 257};

  private static double[] gaussian(SplittableRandom rng, int len) {
    double[] v = new double[len];
    for (int i = 0; i < len; i++) {
      v[i] = rng.nextGaussian();
    }
    return v;
  }

  private static double scale(double[] x, int xo, double[] y, int yo, int len) {
    double s = 0;
    for (int k = 0; k < len; k++) {
      s += Math.abs(x[xo + k] * y[yo + k]);
    }
    return s;
  }

  @Test
  void sumsAgreeWithThePlainLoopToRounding() {
    SplittableRandom rng = new SplittableRandom(345);
    for (int len : LENGTHS) {
      double[] x = gaussian(rng, len + 3);
      double[] y = gaussian(rng, len + 2);
      double[] v = gaussian(rng, len);
      float[] xf = new float[len + 3];
      double dot = 0;
      double dotF = 0;
      double sq = 0;
      double weighted = 0;
      for (int k = 0; k < len + 3; k++) {
        xf[k] = (float) x[k];
      }
      for (int k = 0; k < len; k++) {
        dot += x[3 + k] * y[2 + k];
        dotF += (double) xf[3 + k] * y[2 + k];
        sq += (x[3 + k] - y[2 + k]) * (x[3 + k] - y[2 + k]);
        weighted += x[3 + k] * y[2 + k] * v[k];
      }
      double tol = 1e-14 * (scale(x, 3, y, 2, len) + 1);
      assertThat(ArrayOps.dot(x, 3, y, 2, len)).as("dot, len %d", len).isCloseTo(dot, within(tol));
      assertThat(ArrayOps.dot(xf, 3, y, 2, len)).as("float dot, len %d", len).isCloseTo(dotF, within(tol));
      assertThat(ArrayOps.squaredDistance(x, 3, y, 2, len)).isCloseTo(sq, within(1e-14 * (sq + 1)));
      assertThat(ArrayOps.weightedDot(x, 3, y, 2, v, len)).isCloseTo(weighted, within(1e-13 * (len + 1)));
    }
  }

  @Test
  void elementwiseKernelsEqualThePlainLoopBitForBit() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int len : LENGTHS) {
      double[] x = gaussian(rng, len + 1);
      double[] y = gaussian(rng, len + 4);
      float[] xf = new float[len + 1];
      for (int k = 0; k < xf.length; k++) {
        xf[k] = (float) x[k];
      }
      double[] ya = y.clone();
      double[] yf = y.clone();
      ArrayOps.axpy(0.75, x, 1, ya, 4, len);
      ArrayOps.axpy(-1.5, xf, 1, yf, 4, len);
      double mn = Double.POSITIVE_INFINITY;
      double mx = Double.NEGATIVE_INFINITY;
      double mnDiff = Double.POSITIVE_INFINITY;
      for (int k = 0; k < len; k++) {
        assertThat(ya[4 + k]).isEqualTo(Math.fma(x[1 + k], 0.75, y[4 + k]));
        assertThat(yf[4 + k]).isEqualTo(Math.fma(xf[1 + k], -1.5, y[4 + k]));
        mn = Math.min(mn, x[1 + k]);
        mx = Math.max(mx, x[1 + k]);
        mnDiff = Math.min(mnDiff, x[1 + k] - y[4 + k]);
      }
      assertThat(ya[0]).isEqualTo(y[0]);
      assertThat(ArrayOps.min(x, 1, len)).isEqualTo(mn);
      assertThat(ArrayOps.max(x, 1, len)).isEqualTo(mx);
      assertThat(ArrayOps.minDifference(x, 1, y, 4, len)).isEqualTo(mnDiff);
    }
  }

  @Test
  void gibbsRowsAreTheExponentialOfTheShiftedCost() {
    SplittableRandom rng = new SplittableRandom(11);
    double eps = 0.3;
    double f = -0.4;
    for (int len : LENGTHS) {
      double[] g = gaussian(rng, len);
      double[] c = gaussian(rng, len + 2);
      double[] out = new double[len + 1];
      float[] outF = new float[len + 1];
      ArrayOps.gibbs(f, g, c, 2, eps, out, 1, len);
      ArrayOps.gibbs(f, g, c, 2, eps, outF, 1, len);
      for (int j = 0; j < len; j++) {
        double z = (f + g[j] - c[2 + j]) * (1 / eps);
        assertThat(out[1 + j]).isEqualTo(VectorMath.exp(z));
        assertThat(out[1 + j]).isCloseTo(StrictMath.exp(z), within(3 * Math.ulp(StrictMath.exp(z))));
        assertThat(outF[1 + j]).isEqualTo((float) VectorMath.expForSingle(z));
      }
      assertThat(out[0]).isZero();
    }
  }

  @Test
  void sumsScalingsAndDeviationsAgreeWithThePlainLoop() {
    SplittableRandom rng = new SplittableRandom(13);
    for (int len : LENGTHS) {
      double[] x = gaussian(rng, len + 2);
      double[] p = gaussian(rng, len + 1);
      double[] c = gaussian(rng, len + 3);
      double sum = 0;
      double abs = 0;
      for (int k = 0; k < len; k++) {
        sum += x[2 + k];
        abs += Math.abs(x[2 + k]);
      }
      assertThat(ArrayOps.sum(x, 2, len)).isCloseTo(sum, within(1e-14 * (abs + 1)));
      double[] scaled = x.clone();
      double scaledSum = ArrayOps.scale(scaled, 2, len, -0.5);
      assertThat(scaledSum).isCloseTo(-0.5 * sum, within(1e-14 * (abs + 1)));
      double[] mx = gaussian(rng, len);
      double[] mx0 = mx.clone();
      ArrayOps.maxDifference(0.3, c, 3, mx, len);
      double[] t = gaussian(rng, len);
      double[] t0 = t.clone();
      double[] xs = gaussian(rng, len);
      ArrayOps.deviation(p, 1, xs, 0.25, t, len);
      for (int k = 0; k < len; k++) {
        assertThat(scaled[2 + k]).isEqualTo(x[2 + k] * -0.5);
        assertThat(mx[k]).isEqualTo(Math.max(mx0[k], 0.3 - c[3 + k]));
        assertThat(t[k]).isEqualTo(Math.fma(xs[k] - 0.25, p[1 + k], t0[k]));
      }
    }
  }

  @Test
  void fourRowDotsAgreeWithPlainSums() {
    SplittableRandom rng = new SplittableRandom(345);
    for (int len : LENGTHS) {
      double[] u = gaussian(rng, 6 * len);
      double[] out = new double[4];
      ArrayOps.dot4(u, 0, len, 2 * len, 4 * len, 5 * len, len, out);
      int[] rows = {1, 2, 4, 5};
      for (int q = 0; q < 4; q++) {
        double s = 0;
        for (int k = 0; k < len; k++) {
          s += u[k] * u[rows[q] * len + k];
        }
        assertThat(out[q]).as("len=%d row %d", len, rows[q]).isCloseTo(s, within(1e-13 * scale(u, 0, u, rows[q] * len,
            len)));
      }
    }
  }

  @Test
  void theScalarTwinsOfAColdProcessGiveTheVectorKernelsBits() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int len : LENGTHS) {
      double[] x = gaussian(rng, len + 3);
      double[] y = gaussian(rng, len + 2);
      double[] v = gaussian(rng, len);
      float[] xf = new float[len + 3];
      for (int k = 0; k < xf.length; k++) {
        xf[k] = (float) x[k];
      }
      double[][] results = new double[2][];
      for (int pass = 0; pass < 2; pass++) {
        Warmth.force(pass == 0);
        try {
          double[] axpy = y.clone();
          ArrayOps.axpy(0.3, x, 3, axpy, 2, len);
          double[] axpyF = y.clone();
          ArrayOps.axpy(-1.7, xf, 3, axpyF, 2, len);
          double[] gibbs = new double[len];
          ArrayOps.gibbs(0.2, v, x, 3, 0.9, gibbs, 0, len);
          float[] gibbsF = new float[len];
          ArrayOps.gibbs(0.2, v, x, 3, 0.9, gibbsF, 0, len);
          double[] out = new double[5 + 2 * len + 2 * len + len + len];
          out[0] = ArrayOps.dot(x, 3, y, 2, len);
          out[1] = ArrayOps.dot(xf, 3, y, 2, len);
          out[2] = ArrayOps.weightedDot(x, 3, y, 2, v, len);
          out[3] = ArrayOps.min(x, 3, len);
          out[4] = ArrayOps.minDifference(x, 3, y, 2, len);
          System.arraycopy(axpy, 0, out, 5, len + 2);
          System.arraycopy(axpyF, 0, out, 5 + 2 * len, len + 2);
          System.arraycopy(gibbs, 0, out, 5 + 4 * len, len);
          for (int k = 0; k < len; k++) {
            out[5 + 5 * len + k] = gibbsF[k];
          }
          results[pass] = out;
        } finally {
          Warmth.force(null);
        }
      }
      for (int k = 0; k < results[0].length; k++) {
        assertThat(Double.doubleToRawLongBits(results[0][k])).as("len=%d entry %d", len, k)
            .isEqualTo(Double.doubleToRawLongBits(results[1][k]));
      }
    }
  }
}
