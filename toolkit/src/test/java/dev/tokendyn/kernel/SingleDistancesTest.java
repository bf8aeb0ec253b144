package dev.tokendyn.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class SingleDistancesTest {
  /** Points around a common offset far from the origin, as the hidden states of a real model lie. */
  private static double[] cloud(SplittableRandom rng, int n, int d, double offset, double shift) {
    double[] v = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        v[i * d + k] = rng.nextGaussian() + shift + (k % 7 == 0 ? offset : 0);
      }
    }
    return v;
  }

  @Test
  void agreesWithTheDoubleDistancesToSinglePrecisionOfTheTypicalDistance() {
    SplittableRandom rng = new SplittableRandom(11);
    // shapes that leave partial strips and row blocks; a large common offset (the centring removes it)
    for (int[] shape : new int[][] {{37, 83, 64}, {130, 61, 384}, {1, 1, 1}, {5, 200, 3}}) {
      int n = shape[0];
      int m = shape[1];
      int d = shape[2];
      double[] x = cloud(rng, n, d, 100, 0);
      double[] y = cloud(rng, m, d, 100, 0.3);
      double[] v = SingleDistances.between(x, n, y, m, d);
      assertThat(v).hasSize(n * m);
      double typical = 2.0 * d;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          double truth = SquaredDistancesTest.direct(x, i, y, j, d);
          assertThat(Math.abs(v[i * m + j] - truth)).as("(%d, %d) of %s", i, j, java.util.Arrays.toString(shape))
              .isLessThanOrEqualTo(2e-6 * Math.max(typical, truth));
        }
      }
    }
  }

  @Test
  void aCloudAgainstItselfIsExactlySymmetricWithAZeroDiagonalAndTheSameAsTwoCopies() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int n : new int[] {1, 31, 97, 200}) {
      int d = 50;
      double[] x = cloud(rng, n, d, 30, 0);
      double[] v = SingleDistances.between(x, n, x, n, d);
      double[] copy = SingleDistances.between(x, n, x.clone(), n, d);
      for (int i = 0; i < n; i++) {
        assertThat(v[i * n + i]).isZero();
        for (int j = 0; j < n; j++) {
          assertThat(v[i * n + j]).isEqualTo(v[j * n + i]);
          assertThat(v[i * n + j]).isGreaterThanOrEqualTo(0);
        }
      }
      // two copies are centred on the mean of both, which is the same mean: the same matrix, computed whole
      assertThat(copy).containsExactly(v);
    }
  }

  @Test
  void theBitsDoNotDependOnTheThreads() throws Exception {
    SplittableRandom rng = new SplittableRandom(8);
    int n = 150;
    int m = 170;
    int d = 40;
    double[] x = cloud(rng, n, d, 10, 0);
    double[] y = cloud(rng, m, d, 10, 1);
    double[] parallel = SingleDistances.between(x, n, y, m, d);
    ForkJoinPool one = new ForkJoinPool(1);
    try {
      double[] alone = one.submit(() -> SingleDistances.between(x, n, y, m, d)).get();
      assertThat(alone).containsExactly(parallel);
    } finally {
      one.shutdown();
    }
  }

  @Test
  void refusesBadShapesAndCoordinatesBeyondSinglePrecision() {
    assertThatThrownBy(() -> SingleDistances.between(new double[4], 2, new double[4], 0, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m=0");
    assertThatThrownBy(() -> SingleDistances.between(new double[3], 2, new double[4], 2, 2))
        .hasMessageContaining("n*d = 4").hasMessageContaining("found 3");
    double[] huge = {1e30, -1e30, 0, 0};
    assertThatThrownBy(() -> SingleDistances.between(huge, 2, huge, 2, 2))
        .hasMessageContaining("single precision").hasMessageContaining("rescale");
  }
}
