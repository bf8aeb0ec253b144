package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void meanSdAndAnIntervalThatMatchesTheNormalTheory() {
    Random rng = new Random(345);
    int n = 400;
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 2 + 3 * rng.nextGaussian();
    }
    Summary s = Summary.of(v, Summary.Resamples.draw(n, 2000, 11));
    double mean = java.util.Arrays.stream(v).average().orElseThrow();
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(ss / (n - 1));
    assertThat(s.mean()).isCloseTo(mean, within(1e-12));
    assertThat(s.sd()).isCloseTo(sd, within(1e-12));
    // the percentile interval of a mean is close to mean +- 1.96 sd / sqrt(n)
    double half = 1.96 * sd / Math.sqrt(n);
    assertThat(s.ciHigh() - s.ciLow()).isCloseTo(2 * half, within(0.15 * 2 * half));
    assertThat(s.mean()).isBetween(s.ciLow(), s.ciHigh());
    assertThat(s.texts()).isEqualTo(n);
  }

  @Test
  void undefinedTextsAreLeftOutAndCounted() {
    double[] v = {1, Double.NaN, 3, Double.NaN};
    Summary s = Summary.of(v, Summary.Resamples.draw(4, 100, 1));
    assertThat(s.mean()).isEqualTo(2);
    assertThat(s.texts()).isEqualTo(2);
    assertThat(s.undefined()).isEqualTo(2);
    Summary none = Summary.of(new double[] {Double.NaN}, Summary.Resamples.draw(1, 10, 1));
    assertThat(none.mean()).isNaN();
    assertThat(none.undefined()).isEqualTo(1);
  }

  @Test
  void theSameSeedGivesTheSameBits() {
    double[] v = new Random(345).doubles(50).toArray();
    Summary a = Summary.of(v, Summary.Resamples.draw(50, 500, 42));
    Summary b = Summary.of(v, Summary.Resamples.draw(50, 500, 42));
    assertThat(a).isEqualTo(b);
    assertThat(Summary.of(v, Summary.Resamples.draw(50, 500, 43))).isNotEqualTo(a);
  }
}
