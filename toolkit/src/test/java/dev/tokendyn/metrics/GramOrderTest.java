package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GramOrderTest {
  @Test
  void descendingOrderIsTheStableSortOfTheKeys() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int trial = 0; trial < 200; trial++) {
      int n = rng.nextInt(0, 60);
      double[] keys = new double[n];
      for (int i = 0; i < n; i++) {
        // few distinct values, so ties are common; NaN and signed zeros too
        int r = rng.nextInt(8);
        keys[i] = r == 0 ? Double.NaN : r == 1 ? -0.0 : r == 2 ? 0.0 : rng.nextInt(4) - 1.5;
      }
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = i;
      }
      Arrays.sort(boxed, (p, q) -> Double.compare(keys[q], keys[p]));
      int[] expected = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
      assertThat(Gram.descendingOrder(keys)).containsExactly(expected);
    }
  }

  @Test
  void theTopAxesAreThoseOfTheWholeDecompositionAndTheOthersAreRefused() {
    SplittableRandom rng = new SplittableRandom(9);
    int n = 30;
    int d = 50;
    double[] x = new double[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian() * (1 + (i % d) / 10.0) + 4;
    }
    Gram all = Gram.of(x, n, d);
    Gram top = Gram.of(x, n, d, 4);
    Gram none = Gram.of(x, n, d, 0);
    assertThat(top.eigenvalues()).containsExactly(all.eigenvalues());
    assertThat(none.eigenvalues()).containsExactly(all.eigenvalues());
    for (int a = 0; a < 4; a++) {
      double dot = 0;
      for (int i = 0; i < n; i++) {
        dot += top.eigenvector(a, i) * all.eigenvector(a, i);
      }
      // the same unit vector up to its sign
      assertThat(Math.abs(dot)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> top.eigenvector(4, 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("4 largest");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> none.eigenvector(0, 0))
        .isInstanceOf(IllegalStateException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Gram.of(x, n, d, n + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 30]");
  }
}
