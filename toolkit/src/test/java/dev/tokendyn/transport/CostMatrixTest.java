package dev.tokendyn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CostMatrixTest {
  /** Points on the unit sphere, which every cost accepts. */
  private static TokenCloud sphere(Random rng, int n, int d) {
    double[] p = new double[n * d];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        p[i * d + k] = rng.nextGaussian();
        s += p[i * d + k] * p[i * d + k];
      }
      for (int k = 0; k < d; k++) {
        p[i * d + k] /= Math.sqrt(s);
      }
    }
    return TokenCloud.ofFlat(n, d, p);
  }

  @Test
  void aCloudAgainstItselfHasEveryBitOfTheFullComputation() {
    Random rng = new Random(17);
    // sizes below, at and past the block of rows, and not a multiple of it
    for (int n : new int[] {1, 5, CostMatrix.ROW_BLOCK, CostMatrix.ROW_BLOCK + 1, 77, 130}) {
      for (int d : new int[] {3, 37}) {
        TokenCloud x = sphere(rng, n, d);
        // the same points as another cloud take the full route
        TokenCloud copy = TokenCloud.ofFlat(n, d, x.toFlatArray());
        for (Cost cost : Cost.values()) {
          double[] half = CostMatrix.between(cost, x, x).toFlatArray();
          double[] full = CostMatrix.between(cost, x, copy).toFlatArray();
          assertThat(half).as("%s n=%d d=%d", cost, n, d).containsExactly(full);
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              assertThat(half[i * n + j]).isEqualTo(half[j * n + i]);
              // and against the cost taken point by point
              assertThat(half[i * n + j]).isCloseTo(cost.between(x.toFlatArray(), i * d, x.toFlatArray(), j * d, d),
                  within(1e-12));
            }
          }
        }
      }
    }
  }
}
