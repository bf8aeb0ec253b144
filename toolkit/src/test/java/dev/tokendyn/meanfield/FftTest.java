package dev.tokendyn.meanfield;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FftTest {
  /** X_k = sum_j x_j exp(-2 pi i j k / N) by the definition, in O(N^2), angles reduced mod N exactly. */
  private static double[][] direct(double[] re, double[] im) {
    int n = re.length;
    double[][] out = new double[2][n];
    for (int k = 0; k < n; k++) {
      for (int j = 0; j < n; j++) {
        double a = -2 * Math.PI * ((long) j * k % n) / n;
        out[0][k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
        out[1][k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
      }
    }
    return out;
  }

  @Test
  void everySizeAgreesWithTheDefinitionAndInverts() {
    Random rnd = new Random(345);
    for (int n : new int[] {1, 2, 3, 5, 7, 16, 17, 24, 48, 100, 243, 1000, 1024}) {
      double[] re = new double[n];
      double[] im = new double[n];
      for (int i = 0; i < n; i++) {
        re[i] = rnd.nextGaussian();
        im[i] = rnd.nextGaussian();
      }
      double[][] want = direct(re, im);
      double[] r = re.clone();
      double[] m = im.clone();
      Fft fft = new Fft(n);
      fft.forward(r, m);
      double scale = Math.sqrt(n);
      for (int k = 0; k < n; k++) {
        assertThat(Math.abs(r[k] - want[0][k]) + Math.abs(m[k] - want[1][k])).as("N=%d k=%d", n, k)
            .isLessThan(1e-12 * scale * Math.max(1, Math.log(n)));
      }
      fft.inverse(r, m);
      for (int i = 0; i < n; i++) {
        assertThat(Math.abs(r[i] - re[i]) + Math.abs(m[i] - im[i])).as("round trip N=%d i=%d", n, i).isLessThan(1e-13);
      }
    }
  }

  @Test
  void aPureModeLandsInOneBin() {
    int n = 48;
    double[] re = new double[n];
    double[] im = new double[n];
    for (int j = 0; j < n; j++) {
      re[j] = Math.cos(2 * Math.PI * 5 * j / n);
    }
    new Fft(n).forward(re, im);
    for (int k = 0; k < n; k++) {
      double want = k == 5 || k == n - 5 ? n / 2.0 : 0;
      assertThat(re[k]).as("k=%d", k).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-11));
      assertThat(im[k]).as("k=%d", k).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-11));
    }
  }
}
