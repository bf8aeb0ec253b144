package dev.tokendyn.bench;

import dev.tokendyn.analysis.CorpusAnalysis;
import dev.tokendyn.analysis.CorpusParams;
import dev.tokendyn.analysis.CorpusPlan;
import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextMeasures;
import dev.tokendyn.metrics.TextMetric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What a corpus analysis of many texts costs the one machine that gathers it (a Spark job's driver), apart
 * from the model: the plan and the bootstrap, on synthetic token ids and per-text values of the sizes a
 * real corpus gives. The texts are cut into parts, each planned by its own {@link CorpusPlan.Builder} as an
 * executor plans its range; the driver's share is merging those builders and building the plan. The
 * bootstrap ({@link Summary#ofRows}) runs over one row of values per text, as wide as a 7-layer model's, beside
 * the same summaries with the draws held and one pass per column ({@link Summary#of}), as they were made before.
 *
 * <p>Usage: {@code CorpusScale TEXTS PARTS RESAMPLES}; prints the times, the bytes a part sends and the
 * plan's, and the bootstrap's time scaled to the default 1,000 resamples.
 */
public final class CorpusScale {
  private CorpusScale() {}

  public static void main(String[] args) throws IOException {
    int texts = Integer.parseInt(args[0]);
    int parts = Integer.parseInt(args[1]);
    int resamples = Integer.parseInt(args[2]);
    CorpusParams params = CorpusParams.defaults();
    SplittableRandom rng = new SplittableRandom(345);
    // texts of 8 to 40 word pieces between [CLS] and [SEP], ids drawn from a 30,522-token vocabulary with a
    // heavy head (the square of a uniform), as English word pieces are
    long tokens = 0;
    List<CorpusPlan.Builder> builders = new ArrayList<>();
    long addNanos = 0;
    int per = (texts + parts - 1) / parts;
    for (int p = 0; p < parts; p++) {
      CorpusPlan.Builder b = CorpusAnalysis.planner(params);
      int lo = p * per;
      int hi = Math.min(texts, lo + per);
      long[][] ids = new long[hi - lo][];
      boolean[][] special = new boolean[hi - lo][];
      for (int t = lo; t < hi; t++) {
        int n = 10 + rng.nextInt(33);
        long[] id = new long[n];
        boolean[] s = new boolean[n];
        id[0] = 101;
        id[n - 1] = 102;
        s[0] = true;
        s[n - 1] = true;
        for (int i = 1; i < n - 1; i++) {
          double u = rng.nextDouble();
          id[i] = 1000 + (long) (u * u * 29_522);
        }
        ids[t - lo] = id;
        special[t - lo] = s;
        tokens += n;
      }
      long t0 = System.nanoTime();
      for (int t = lo; t < hi; t++) {
        b.add(t, ids[t - lo], special[t - lo]);
      }
      addNanos += System.nanoTime() - t0;
      builders.add(b);
    }
    long partBytes = serialized(builders.get(0));
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    long t0 = System.nanoTime();
    CorpusPlan.Builder whole = builders.get(0);
    for (int p = 1; p < parts; p++) {
      whole.merge(builders.get(p));
    }
    CorpusPlan plan = CorpusAnalysis.plan(whole, texts, params);
    long driverNanos = System.nanoTime() - t0;
    long planBytes = serialized(plan);
    System.out.printf(Locale.ROOT, "%d texts, %d tokens in %d parts%n", texts, tokens, parts);
    System.out.printf(Locale.ROOT, "  parts (executors): %.3f s in all, %.2f us a text; a part sends %d bytes%n",
        addNanos / 1e9, addNanos / 1e3 / texts, partBytes);
    System.out.printf(Locale.ROOT, "  driver: merge %d builders and build the plan %.3f s; the plan %d bytes"
        + " (%d sampled tokens, %d words); heap before %.0f MB%n", parts, driverNanos / 1e9, planBytes,
        plan.sampleSize(), plan.words().length, before / 1e6);
    builders.clear();

    // the bootstrap: one row per text of every metric over 7 layers
    int layers = 7;
    int width = 0;
    for (TextMetric m : TextMetric.values()) {
      width += TextMeasures.length(m.scope(), layers);
    }
    int block = 1 << 12;
    int w = width;
    double[][] blocks = new double[(texts + block - 1) / block][];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = new double[block * w];
      for (int j = 0; j < blocks[i].length; j++) {
        blocks[i][j] = rng.nextInt(50) == 0 ? Double.NaN : rng.nextDouble();
      }
    }
    Summary.Rows rows = new Summary.Rows() {
      @Override
      public int width() {
        return w;
      }

      @Override
      public double[] block(int text) {
        return blocks[text / block];
      }

      @Override
      public int start(int text) {
        return (text % block) * w;
      }
    };
    long b0 = System.nanoTime();
    Summary[] s = Summary.ofRows(rows, texts, resamples, 7);
    double seconds = (System.nanoTime() - b0) / 1e9;
    System.out.printf(Locale.ROOT, "  driver: bootstrap of %d summaries over %d texts, %d resamples: %.2f s on %d"
        + " cores (%.0f s for 1,000 resamples); rows %.0f MB; first mean %.4f%n", width, texts, resamples, seconds,
        Runtime.getRuntime().availableProcessors(), seconds * 1000 / resamples, (double) texts * w * 8 / 1e6,
        s[0].mean());
    // the same summaries as they were made before: the draws held as int[resamples][texts], one pass of
    // the draws per column over its values
    long h0 = System.nanoTime();
    Summary.Resamples draws = Summary.Resamples.draw(texts, resamples, 7);
    double[] column = new double[texts];
    double check = 0;
    for (int c = 0; c < w; c++) {
      for (int t = 0; t < texts; t++) {
        column[t] = blocks[t / block][(t % block) * w + c];
      }
      check += Summary.of(column, draws).ciLow();
    }
    double held = (System.nanoTime() - h0) / 1e9;
    System.out.printf(Locale.ROOT, "  the same with the draws held (%.0f MB of draws) and one pass per column: %.2f s"
        + " (%.1fx the streamed bootstrap); %.4f%n", (double) texts * resamples * 4 / 1e6, held, held / seconds,
        check / w);
  }

  private static long serialized(Object o) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(b)) {
      out.writeObject(o);
    }
    return b.size();
  }
}
