package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RowDotsTest {

  @Test
  void fourRowDotsAgreeWithPlainSums() {
    Random rng = new Random(345);
    for (int d : new int[] {1, 3, 8, 13, 64, 67}) {
      double[] u = Samples.gaussian(6, d, rng);
      double[] out = new double[4];
      RowDots.dot4(u, 0, d, 2 * d, 4 * d, 5 * d, d, out);
      int[] rows = {1, 2, 4, 5};
      for (int q = 0; q < 4; q++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += u[k] * u[rows[q] * d + k];
        }
        assertThat(out[q]).as("d=%d row %d", d, rows[q]).isCloseTo(s, within(1e-12));
      }
    }
  }

  @Test
  void buildRunsWithTheVectorModule() {
    // surefire adds --add-modules jdk.incubator.vector, so the tests above exercise the SIMD path
    assertThat(RowDots.SIMD).isTrue();
  }
}
