package dev.tokendyn.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleProjectionsTest {
  @AfterEach
  void unforce() {
    Warmth.force(null);
  }

  private static double[] gaussian(SplittableRandom rng, int count, double offset) {
    double[] v = new double[count];
    for (int i = 0; i < count; i++) {
      v[i] = rng.nextGaussian() + offset;
    }
    return v;
  }

  private static double[][] project(double[] x, int d, int[] rows, int from, int count, double[] dirs, int m,
                                    int at, boolean cold) {
    Warmth.force(cold);
    double[][] out = new double[m][at + count + 3];
    SingleProjections.project(x, d, rows, from, count, SingleProjections.pack(dirs, m, d), m, out, at);
    return out;
  }

  @Test
  void agreesWithTheDoubleProjectionsToSinglePrecisionOfTheNorms() {
    SplittableRandom rng = new SplittableRandom(21);
    // direction counts below, at and between whole blocks of vectors; odd numbers of rows; real widths
    for (int[] shape : new int[][] {{7, 5, 3}, {42, 384, 64}, {33, 100, 50}, {1, 1, 1}, {9, 17, 70}}) {
      int n = shape[0];
      int d = shape[1];
      int m = shape[2];
      double[] x = gaussian(rng, n * d, 3);
      double[] dirs = gaussian(rng, m * d, 0);
      int[] rows = java.util.stream.IntStream.range(0, n).map(i -> n - 1 - i).toArray();
      double[][] out = project(x, d, rows, 0, n, dirs, m, 2, false);
      for (int j = 0; j < m; j++) {
        for (int t = 0; t < n; t++) {
          double truth = 0;
          double scale = 0;
          for (int k = 0; k < d; k++) {
            truth += x[rows[t] * d + k] * dirs[j * d + k];
            scale += Math.abs(x[rows[t] * d + k] * dirs[j * d + k]);
          }
          assertThat(Math.abs(out[j][2 + t] - truth)).as("direction %d row %d of %s", j, t,
              java.util.Arrays.toString(shape)).isLessThanOrEqualTo(1e-6 * scale);
        }
        // nothing outside [at, at + count) is written
        assertThat(out[j][0]).isZero();
        assertThat(out[j][1]).isZero();
        assertThat(out[j][2 + n]).isZero();
      }
    }
  }

  @Test
  void theScalarTwinGivesTheSameBitsAndASliceOfTheRowsTheSameValues() {
    SplittableRandom rng = new SplittableRandom(4);
    int n = 23;
    int d = 96;
    int m = 64;
    double[] x = gaussian(rng, n * d, -1);
    double[] dirs = gaussian(rng, m * d, 0);
    int[] rows = java.util.stream.IntStream.range(0, n).toArray();
    double[][] vector = project(x, d, rows, 0, n, dirs, m, 0, false);
    double[][] scalar = project(x, d, rows, 0, n, dirs, m, 0, true);
    double[][] slice = project(x, d, rows, 5, 11, dirs, m, 0, false);
    for (int j = 0; j < m; j++) {
      assertThat(scalar[j]).containsExactly(vector[j]);
      for (int t = 0; t < 11; t++) {
        assertThat(slice[j][t]).isEqualTo(vector[j][5 + t]);
      }
    }
  }

  @Test
  void refusesAPanelOfAnotherShape() {
    float[] panel = SingleProjections.pack(new double[6], 2, 3);
    assertThatThrownBy(() -> SingleProjections.project(new double[8], 4, new int[] {0}, 0, 1, panel, 2,
        new double[2][1], 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("length 4");
    assertThatThrownBy(() -> SingleProjections.pack(new double[5], 2, 3)).hasMessageContaining("m=2 d=3");
  }
}
