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

  /**
   * The streamed bootstrap over rows against one summary per column with the draws held: the same draws,
   * so the same mean, sd and counts bit for bit and an interval equal to rounding, with undefined values, a column of one defined value and one of none, rows split over blocks, and a
   * number of resamples that is not a multiple of those drawn at a time.
   */
  @Test
  void summariesOverRowsAreThoseOfEachColumnBitForBit() {
    Random rng = new Random(345);
    int texts = 97;
    int width = 5;
    int resamples = Summary.DRAWS_AT_A_TIME * 3 + 5;
    double[][] columns = new double[width][texts];
    for (int t = 0; t < texts; t++) {
      columns[0][t] = rng.nextGaussian();
      columns[1][t] = rng.nextInt(4) == 0 ? Double.NaN : 10 + rng.nextDouble();
      columns[2][t] = t == 40 ? 3.5 : Double.NaN;
      columns[3][t] = Double.NaN;
      columns[4][t] = rng.nextInt(3) - 1e-3 * t;
    }
    int block = 10; // rows in blocks of 10 texts
    double[][] blocks = new double[(texts + block - 1) / block][block * width];
    for (int t = 0; t < texts; t++) {
      for (int c = 0; c < width; c++) {
        blocks[t / block][(t % block) * width + c] = columns[c][t];
      }
    }
    Summary.Rows rows = new Summary.Rows() {
      @Override
      public int width() {
        return width;
      }

      @Override
      public double[] block(int text) {
        return blocks[text / block];
      }

      @Override
      public int start(int text) {
        return (text % block) * width;
      }
    };
    Summary[] got = Summary.ofRows(rows, texts, resamples, 17);
    Summary.Resamples draws = Summary.Resamples.draw(texts, resamples, 17);
    for (int c = 0; c < width; c++) {
      Summary want = Summary.of(columns[c], draws);
      assertThat(Double.valueOf(got[c].mean())).as("column %d", c).isEqualTo(Double.valueOf(want.mean()));
      assertThat(Double.valueOf(got[c].sd())).as("column %d", c).isEqualTo(Double.valueOf(want.sd()));
      assertThat(got[c].texts()).isEqualTo(want.texts());
      assertThat(got[c].undefined()).isEqualTo(want.undefined());
      if (Double.isNaN(want.ciLow())) {
        assertThat(got[c].ciLow()).isNaN();
        assertThat(got[c].ciHigh()).isNaN();
      } else {
        assertThat(got[c].ciLow()).isCloseTo(want.ciLow(), within(1e-13 * Math.abs(want.ciLow()) + 1e-300));
        assertThat(got[c].ciHigh()).isCloseTo(want.ciHigh(), within(1e-13 * Math.abs(want.ciHigh()) + 1e-300));
      }
    }
    assertThat(got[2].texts()).isEqualTo(1);
    assertThat(got[3].undefined()).isEqualTo(texts);
    assertThat(got[1].ciLow()).isLessThan(got[1].mean()).isGreaterThan(10);
  }
}
