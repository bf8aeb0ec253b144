package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PersistenceTest {
  @Test
  void straightPathsRandomWalksAndBackAndForth() {
    Random rng = new Random(345);
    int n = 4000;
    int d = 10;
    double[] x0 = Samples.gaussian(n, d, rng);
    double[] dir = Samples.gaussian(n, d, rng);
    double[] straight1 = x0.clone();
    double[] straight2 = x0.clone();
    double[] back = x0.clone();
    for (int i = 0; i < x0.length; i++) {
      straight1[i] += dir[i];
      straight2[i] += 3 * dir[i]; // faster, same direction
      back[i] = x0[i];
    }
    assertThat(Persistence.of(x0, straight1, straight2, n, d)).isCloseTo(1, within(1e-12));
    assertThat(Persistence.of(x0, straight1, back, n, d)).isCloseTo(-1, within(1e-12));
    double[] walk1 = x0.clone();
    double[] walk2 = new double[x0.length];
    double[] step = Samples.gaussian(n, d, rng);
    for (int i = 0; i < x0.length; i++) {
      walk1[i] += dir[i];
      walk2[i] = walk1[i] + step[i];
    }
    // independent steps: the mean cosine is 0 within a few standard errors, 1/sqrt(d n)
    assertThat(Persistence.of(x0, walk1, walk2, n, d)).isCloseTo(0, within(4 / Math.sqrt(d * (double) n)));
  }

  @Test
  void tokensThatDoNotMoveAreLeftOut() {
    double[] a = {0, 0, 1, 1};
    double[] b = {0, 0, 2, 2};
    double[] c = {1, 0, 3, 3};
    assertThat(Persistence.of(a, b, c, 2, 2)).isEqualTo(1.0);
    assertThat(Persistence.of(a, a, a, 2, 2)).isNaN();
  }
}
