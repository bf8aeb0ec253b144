package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class DoublyStochasticTest {
  @Test
  void aDoublyStochasticMatrixHasNoDefect() {
    // a circulant: every row and every column sums to one
    float[] p = {0.5f, 0.3f, 0.2f, 0.2f, 0.5f, 0.3f, 0.3f, 0.2f, 0.5f};
    assertThat(DoublyStochastic.defect(p, 1, 3, 0, null)).isCloseTo(0, Offset.offset(1e-7));
  }

  @Test
  void everyQueryOnOneKeyIsTheWorstCase() {
    // column 0 sums to 3, the others to 0: (|3 - 1| + 1 + 1) / 3 = 2 (m - 1) / m
    float[] p = {1, 0, 0, 1, 0, 0, 1, 0, 0};
    assertThat(DoublyStochastic.defect(p, 1, 3, 0, null)).isCloseTo(4.0 / 3, Offset.offset(1e-7));
  }

  @Test
  void withoutATokenTheRestIsRenormalised() {
    // two heads; head 1 puts half of each row on token 0 (a sink) and the rest evenly: without token 0 it
    // is uniform over the other two, doubly stochastic
    float[] p = new float[2 * 9];
    float[] h1 = {0.5f, 0.25f, 0.25f, 0.5f, 0.25f, 0.25f, 0.5f, 0.25f, 0.25f};
    System.arraycopy(h1, 0, p, 9, 9);
    for (int i = 0; i < 3; i++) {
      p[i * 3 + i] = 1;
    }
    assertThat(DoublyStochastic.defect(p, 2, 3, 0, null)).isCloseTo(0, Offset.offset(1e-7));
    // all three: column sums 1.5, 0.75, 0.75 -> (0.5 + 0.25 + 0.25) / 3
    assertThat(DoublyStochastic.defect(p, 2, 3, 1, null)).isCloseTo(1.0 / 3, Offset.offset(1e-7));
    assertThat(DoublyStochastic.defect(p, 2, 3, 1, new boolean[] {false, true, true})).isCloseTo(0, Offset.offset(1e-7));
    assertThatThrownBy(() -> DoublyStochastic.defect(p, 2, 3, 2, null)).hasMessageContaining("head 2");
  }

  @Test
  void bothDefectsInOnePassEqualTwoSeparateOnes() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    int heads = 3;
    int n = 9;
    float[] p = new float[heads * n * n];
    for (int r = 0; r < heads * n; r++) {
      double s = 0;
      double[] row = new double[n];
      for (int j = 0; j < n; j++) {
        row[j] = Math.exp(2 * rng.nextGaussian());
        s += row[j];
      }
      for (int j = 0; j < n; j++) {
        p[r * n + j] = (float) (row[j] / s);
      }
    }
    boolean[] keep = new boolean[n];
    for (int j = 1; j < n - 1; j++) {
      keep[j] = true;
    }
    double[] both = new double[2];
    for (int h = 0; h < heads; h++) {
      DoublyStochastic.defects(p, heads, n, h, keep, both);
      assertThat(both[0]).isCloseTo(DoublyStochastic.defect(p, heads, n, h, null), Offset.offset(1e-12));
      assertThat(both[1]).isCloseTo(DoublyStochastic.defect(p, heads, n, h, keep), Offset.offset(1e-12));
    }
    DoublyStochastic.defects(p, heads, n, 0, new boolean[n], both);
    assertThat(both[1]).isNaN();
  }
}
