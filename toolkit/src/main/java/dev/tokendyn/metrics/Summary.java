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

  /**
   * Rows of per-text values in blocks of doubles: text t's value in column c is
   * {@code block(t)[start(t) + c]}.
   */
  public interface Rows {
    /** The number of columns. */
    int width();

    /** The block holding text t's row. */
    double[] block(int text);

    /** Where text t's row starts in its block. */
    int start(int text);
  }

  /** Resamples drawn at a time by {@link #ofRows}: a few int[texts] in memory, and work for every core. */
  static final int DRAWS_AT_A_TIME = 16;

  /**
   * Summarises every column of {@code rows} over the same bootstrap draws, the draws of
   * {@code Resamples.draw(texts, resamples, seed)}, without holding them: they are drawn
   * {@link #DRAWS_AT_A_TIME} resamples at a time, in the order {@link Resamples#draw} draws them, and kept
   * as the number of times each text was drawn, c_j. A resample's mean of a column is then
   * sum_j c_j v_j / sum_j c_j over the texts where v_j is defined, added in text order: one pass over the
   * rows serves all the resamples drawn at a time (in parallel), reading the rows in order. The means equal
   * those of {@link #of} to rounding (the same terms in another order); the bits depend on neither the
   * threads nor the blocks. Memory: a few int[texts] and columns x resamples means, against
   * int[resamples][texts] for the draws.
   *
   * @param texts the rows, 0 .. texts - 1, &gt;= 1
   * @param resamples &gt;= 1
   * @return one summary per column
   * @throws IllegalArgumentException when texts &lt; 1 or resamples &lt; 1
   */
  public static Summary[] ofRows(Rows rows, int texts, int resamples, long seed) {
    if (resamples < 1) {
      throw new IllegalArgumentException("the bootstrap needs at least 1 resample, found " + resamples);
    }
    if (texts < 1) {
      throw new IllegalArgumentException("the summaries need at least 1 text, found " + texts);
    }
    int w = rows.width();
    int[] n = new int[w];
    double[] sum = new double[w];
    for (int t = 0; t < texts; t++) {
      double[] b = rows.block(t);
      int s = rows.start(t);
      for (int c = 0; c < w; c++) {
        double v = b[s + c];
        if (!Double.isNaN(v)) {
          n[c]++;
          sum[c] += v;
        }
      }
    }
    double[] mean = new double[w];
    double[] ss = new double[w];
    for (int c = 0; c < w; c++) {
      mean[c] = n[c] == 0 ? Double.NaN : sum[c] / n[c];
    }
    boolean[] complete = new boolean[w];
    for (int c = 0; c < w; c++) {
      complete[c] = n[c] == texts;
    }
    for (int t = 0; t < texts; t++) {
      double[] b = rows.block(t);
      int s = rows.start(t);
      for (int c = 0; c < w; c++) {
        double v = b[s + c];
        if (!Double.isNaN(v)) {
          ss[c] += (v - mean[c]) * (v - mean[c]);
        }
      }
    }
    // means[c][r] of resample r, defined[c][r] when it drew a defined value of column c
    double[][] means = new double[w][resamples];
    boolean[][] defined = new boolean[w][resamples];
    SplittableRandom rng = new SplittableRandom(seed);
    int[][] counts = new int[Math.min(DRAWS_AT_A_TIME, resamples)][texts];
    for (int r0 = 0; r0 < resamples; r0 += counts.length) {
      int k = Math.min(counts.length, resamples - r0);
      for (int i = 0; i < k; i++) {
        java.util.Arrays.fill(counts[i], 0);
        for (int j = 0; j < texts; j++) {
          counts[i][rng.nextInt(texts)]++;
        }
      }
      int first = r0;
      java.util.stream.IntStream.range(0, k).parallel().forEach(i -> {
        double[] s = new double[w];
        double[] c = new double[w];
        int[] count = counts[i];
        long drawn = 0;
        for (int j = 0; j < texts; j++) {
          int m = count[j];
          if (m == 0) {
            continue;
          }
          drawn += m;
          dev.tokendyn.kernel.ArrayOps.addDefined(m, rows.block(j), rows.start(j), s, c, w);
        }
        for (int col = 0; col < w; col++) {
          double cc = complete[col] ? drawn : c[col];
          if (cc > 0) {
            means[col][first + i] = s[col] / cc;
            defined[col][first + i] = true;
          }
        }
      });
    }
    Summary[] out = new Summary[w];
    for (int c = 0; c < w; c++) {
      int undefined = texts - n[c];
      if (n[c] == 0) {
        out[c] = new Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, undefined);
      } else if (n[c] == 1) {
        out[c] = new Summary(mean[c], Double.NaN, Double.NaN, Double.NaN, 1, undefined);
      } else {
        double[] m = new double[resamples];
        int kept = 0;
        for (int r = 0; r < resamples; r++) {
          if (defined[c][r]) {
            m[kept++] = means[c][r];
          }
        }
        m = Arrays.copyOf(m, kept);
        Arrays.sort(m);
        out[c] = new Summary(mean[c], Math.sqrt(ss[c] / (n[c] - 1)), percentile(m, 0.025), percentile(m, 0.975),
            n[c], undefined);
      }
    }
    return out;
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
