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
}
