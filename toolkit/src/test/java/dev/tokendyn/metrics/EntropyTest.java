package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EntropyTest {

  /** n points of N(0, diag(sd^2)). */
  private static TokenCloud gaussian(int n, double[] sd, Random rng) {
    int d = sd.length;
    double[] p = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        p[i * d + k] = sd[k] * rng.nextGaussian();
      }
    }
    return TokenCloud.ofFlat(n, d, p);
  }

  /** H = d/2 log(2 pi e) + sum_k log sd_k. */
  private static double gaussianEntropy(double[] sd) {
    double h = 0.5 * sd.length * Math.log(2 * Math.PI * Math.E);
    for (double s : sd) {
      h += Math.log(s);
    }
    return h;
  }

  @Test
  void gaussianInTwoDimensionsMatchesClosedForm() {
    double[] sd = {1, 2};
    TokenCloud c = gaussian(3000, sd, new Random(345));
    // closed form 2.8379 + 0.6931 = 3.5310 nats
    assertThat(Entropy.of(c)).isCloseTo(gaussianEntropy(sd), within(0.05));
  }

  @Test
  void gaussianInFiveDimensionsMatchesClosedForm() {
    double[] sd = {0.5, 1, 1, 2, 3};
    TokenCloud c = gaussian(3000, sd, new Random(345));
    assertThat(Entropy.of(c)).isCloseTo(gaussianEntropy(sd), within(0.12));
  }

  @Test
  void uniformSquareHasZeroEntropyAndScalingAddsDLogC() {
    Random rng = new Random(345);
    double[] p = new double[2 * 3000];
    for (int i = 0; i < p.length; i++) {
      p[i] = rng.nextDouble();
    }
    TokenCloud unit = TokenCloud.ofFlat(3000, 2, p);
    // the boundary biases the estimate up a little
    assertThat(Entropy.of(unit)).isCloseTo(0, within(0.05));
    double[] q = p.clone();
    for (int i = 0; i < q.length; i++) {
      q[i] *= 10;
    }
    assertThat(Entropy.of(TokenCloud.ofFlat(3000, 2, q)) - Entropy.of(unit)).isCloseTo(2 * Math.log(10), within(1e-9));
  }

  @Test
  void unitBallVolumesAndDigamma() {
    assertThat(Math.exp(Entropy.logUnitBallVolume(1))).isCloseTo(2, within(1e-14));
    assertThat(Math.exp(Entropy.logUnitBallVolume(2))).isCloseTo(Math.PI, within(1e-14));
    assertThat(Math.exp(Entropy.logUnitBallVolume(3))).isCloseTo(4 * Math.PI / 3, within(1e-14));
    assertThat(Math.exp(Entropy.logUnitBallVolume(4))).isCloseTo(Math.PI * Math.PI / 2, within(1e-13));
    assertThat(Entropy.digamma(1)).isCloseTo(-0.5772156649, within(1e-10));
    assertThat(Entropy.digamma(4)).isCloseTo(1.2561176684, within(1e-10));
  }

  @Test
  void collapsedCloudIsUndefinedAndTooFewPointsIsAnError() {
    TokenCloud same = TokenCloud.of(new double[][] {{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}});
    assertThat(Entropy.of(same)).isNaN();
    TokenCloud three = TokenCloud.of(new double[][] {{1, 1}, {2, 1}, {1, 3}});
    assertThatThrownBy(() -> Entropy.of(three)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("entropy (Kozachenko-Leonenko, k=3) needs more than k points, found n=3");
    assertThatThrownBy(() -> Entropy.of(three, 0)).hasMessage("k must be >= 1, found 0");
  }
}
