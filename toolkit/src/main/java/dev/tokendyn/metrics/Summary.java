package dev.tokendyn.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A per-text measurement aggregated over texts: the mean, the sample standard deviation and a 95%
 * percentile bootstrap interval of the mean, over the texts where the measurement is defined.
 *
 * <p>The bootstrap draws {@code resamples} sets of texts with replacement from a seeded generator
 * ({@link Resamples}); one set of draws serves every measurement of a report, so the same seed gives the
 * same bits. A text where the measurement is undefined (NaN) is left out of the mean and of its
 * resamples, and counted in {@link #undefined()}.
 *
 * @param mean the mean over the defined texts, NaN when none is
 * @param sd the sample standard deviation (n - 1), NaN for fewer than 2 defined texts
 * @param ciLow the 2.5th percentile of the bootstrap means, NaN for fewer than 2 defined texts
 * @param ciHigh the 97.5th percentile
 * @param texts the number of texts where the measurement is defined
 * @param undefined the number where it is not
 */
public record Summary(double mean, double sd, double ciLow, double ciHigh, int texts, int undefined) {

  /** The same summary with every location moved by {@code -shift} (sd and counts unchanged). */
  public Summary minus(double shift) {
    return new Summary(mean - shift, sd, ciLow - shift, ciHigh - shift, texts, undefined);
  }

  /**
   * Seeded bootstrap draws over N texts: draw b, position j is the index of the j-th text drawn.
   *
   * @param draws [resamples][N]
   */
  public record Resamples(int[][] draws) {
    /** The default number of bootstrap resamples. */
    public static final int DEFAULT = 1000;

    /**
     * Draws {@code count} resamples of {@code texts} texts with the seed.
     *
     * @throws IllegalArgumentException when count &lt; 1 or texts &lt; 0
     */
    public static Resamples draw(int texts, int count, long seed) {
      if (count < 1) {
        throw new IllegalArgumentException("the bootstrap needs at least 1 resample, found " + count);
      }
      if (texts < 0) {
        throw new IllegalArgumentException("texts must be >= 0, found " + texts);
      }
      SplittableRandom rng = new SplittableRandom(seed);
      int[][] d = new int[count][texts];
      for (int b = 0; b < count; b++) {
        for (int j = 0; j < texts; j++) {
          d[b][j] = rng.nextInt(Math.max(1, texts));
        }
      }
      return new Resamples(d);
    }

    /** The number of texts each resample draws. */
    public int texts() {
      return draws.length == 0 ? 0 : draws[0].length;
    }
  }

  /**
   * Summarises one value per text.
   *
   * @param values one value per text, NaN where undefined; not modified
   * @param resamples draws over exactly values.length texts
   * @throws IllegalArgumentException when the draws are over another number of texts
   */
  public static Summary of(double[] values, Resamples resamples) {
    if (resamples.texts() != values.length) {
      throw new IllegalArgumentException("the resamples draw from " + resamples.texts() + " texts but there are "
          + values.length + " values");
    }
    int n = 0;
    double sum = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        n++;
        sum += v;
      }
    }
    int undefined = values.length - n;
    if (n == 0) {
      return new Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, undefined);
    }
    double mean = sum / n;
    if (n == 1) {
      return new Summary(mean, Double.NaN, Double.NaN, Double.NaN, 1, undefined);
    }
    double ss = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        ss += (v - mean) * (v - mean);
      }
    }
    double[] means = new double[resamples.draws().length];
    int kept = 0;
    for (int[] draw : resamples.draws()) {
      double s = 0;
      int c = 0;
      for (int j : draw) {
        double v = values[j];
        if (!Double.isNaN(v)) {
          s += v;
          c++;
        }
      }
      if (c > 0) {
        means[kept++] = s / c;
      }
    }
    double[] m = Arrays.copyOf(means, kept);
    Arrays.sort(m);
    return new Summary(mean, Math.sqrt(ss / (n - 1)), percentile(m, 0.025), percentile(m, 0.975), n, undefined);
  }

  /** The p-quantile of sorted values by linear interpolation between order statistics. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double pos = p * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    double f = pos - lo;
    return sorted[lo] + f * (sorted[hi] - sorted[lo]);
  }
}
