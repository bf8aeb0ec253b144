package dev.tokendyn.analysis;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.kernel.ArrayOps;
import dev.tokendyn.metrics.GeodesicRatio;
import dev.tokendyn.metrics.IntrinsicDimension;
import dev.tokendyn.metrics.RotationalShare;
import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextMeasures;
import dev.tokendyn.metrics.TextMetric;
import dev.tokendyn.transport.Cost;
import dev.tokendyn.transport.CostMatrix;
import dev.tokendyn.transport.ExactParams;
import dev.tokendyn.transport.ExactResult;
import dev.tokendyn.transport.NetworkSimplex;
import dev.tokendyn.transport.SinkhornDivergence;
import dev.tokendyn.transport.SinkhornParams;
import dev.tokendyn.transport.TransportPlan;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's layers measured over a corpus, text by text, in constant memory: what {@code tokendyn analyze}
 * reports.
 *
 * <p>The text is the unit. Each text's own tokens are measured ({@link TextMeasures}) and the per-text
 * values are aggregated over texts as a mean, a standard deviation and a seeded 95% bootstrap interval
 * ({@link Summary}). Quantities about the whole distribution are measured on the pooled tokens:
 * <ul>
 *   <li>the anisotropy baseline, the expected cosine between two tokens of different texts (Ethayarajh
 *       2019), exactly, from running sums: with u the unit tokens, S = sum of all u, s_t the sum over text
 *       t, N tokens and n_t per text, baseline = (|S|^2 - sum_t |s_t|^2) / (N^2 - sum_t n_t^2);</li>
 *   <li>the share of that mean cosine carried by its 3 largest dimensions (in absolute contribution;
 *       Timkey and van Schijndel 2021);</li>
 *   <li>self-similarity (Ethayarajh 2019): for each of the most widespread words, the mean cosine between
 *       its occurrences in different texts, averaged over words;</li>
 *   <li>on every measured token, streamed: the sliced W2 between consecutive layers, each token's
 *       projections binned as they pass ({@link dev.tokendyn.metrics.StreamedSliced});</li>
 *   <li>on a seeded uniform sample of tokens ({@link CorpusPlan}): exact W2, the Sinkhorn divergence and
 *       the sliced W2 between consecutive layers, the rotational share of each step, the geodesic ratio,
 *       and the TwoNN intrinsic dimension with its decimation curve.</li>
 * </ul>
 * Texts are fed in index order to an {@link Accumulator}; what it keeps is a few numbers per text and
 * layer, the running sums, and the sample. Adjusted similarities are the raw ones minus the baseline.
 */
public final class CorpusAnalysis {
  private CorpusAnalysis() {}

  /**
   * Analyses texts already in memory.
   *
   * @throws IllegalArgumentException when there are no texts, or they differ in layers or width
   */
  public static Result of(String name, List<TextSequence> texts, CorpusParams params) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("the analysis needs at least one text, found none");
    }
    List<long[]> ids = new ArrayList<>();
    List<boolean[]> special = new ArrayList<>();
    for (TextSequence t : texts) {
      ids.add(t.tokenIds());
      special.add(t.special());
    }
    dev.tokendyn.metrics.Standardization z = null;
    if (params.standardize()) {
      dev.tokendyn.metrics.Standardization.Moments mo =
          new dev.tokendyn.metrics.Standardization.Moments(params.text().dropSpecial());
      texts.forEach(mo::add);
      z = mo.result();
    }
    Accumulator a = new Accumulator(name, plan(ids, special, params), params, z);
    for (int i = 0; i < texts.size(); i++) {
      a.accept(i, texts.get(i));
    }
    return a.finish();
  }

  /** The fewest measured tokens a text needs for any of its measurements. */
  public static final int MIN_TOKENS = 2;

  /**
   * The plan of an analysis with these parameters.
   *
   * @throws IllegalArgumentException when every text has fewer than {@link #MIN_TOKENS} tokens to measure,
   *     or {@link CorpusParams#requireRotation()} and the pooled sample is too small for the rotational
   *     share's components
   */
  public static CorpusPlan plan(List<long[]> ids, List<boolean[]> special, CorpusParams params) {
    if (ids.size() != special.size()) {
      throw new IllegalArgumentException(ids.size() + " texts of token ids but " + special.size() + " masks");
    }
    CorpusPlan.Builder b = planner(params);
    for (int t = 0; t < special.size(); t++) {
      b.add(t, ids.get(t), special.get(t));
    }
    return plan(b, special.size(), params);
  }

  /** A builder of the plan with these parameters, to take the texts one at a time or in parts. */
  public static CorpusPlan.Builder planner(CorpusParams params) {
    return new CorpusPlan.Builder(params.text().dropSpecial(), params.pooledSample(), params.seed());
  }

  /**
   * The plan of a corpus of {@code texts} texts, all of which {@code b} took.
   *
   * @throws IllegalArgumentException as {@link #plan(List, List, CorpusParams)}
   */
  public static CorpusPlan plan(CorpusPlan.Builder b, int texts, CorpusParams params) {
    boolean drop = params.text().dropSpecial();
    if (texts > 0 && b.longestText() < MIN_TOKENS) {
      throw new IllegalArgumentException("every text has fewer than " + MIN_TOKENS + " tokens" + (drop
          ? " besides its special tokens" : "") + "; the measurements need at least " + MIN_TOKENS
          + " per text (" + dev.tokendyn.metrics.IntrinsicDimension.MIN_POINTS + " for the intrinsic dimension, "
          + RotationalShare.minimumTokens(params.text().rotationComponents()) + " for the rotational share)");
    }
    CorpusPlan plan = b.build(texts, params.selfSimilarityWords());
    int k = params.text().rotationComponents();
    if (params.requireRotation() && plan.sampleSize() < RotationalShare.minimumTokens(k)) {
      throw new IllegalArgumentException("--rotation-components " + k + " needs at least "
          + RotationalShare.minimumTokens(k) + " tokens in the pooled sample, but the corpus gives "
          + plan.sampleSize() + "; lower --rotation-components to at most "
          + Math.max(1, plan.sampleSize() - 2) + " or give more text");
    }
    return plan;
  }

  /** Distribution-level values at one layer. */
  public record PooledLayer(double anisotropyBaseline, double topDimensionShare, double selfSimilarity,
                            int selfSimilarityWords, IntrinsicDimension.Estimate intrinsicDimension,
                            IntrinsicDimension.Decimation decimation, int tokens) {}

  /** Distribution-level values of one step, on the pooled sample. */
  public record PooledTransition(double w2, double sinkhornDivergence, double sinkhornReg, double sliced,
                                 RotationalShare.Result rotation, double slicedAllTokens) {}

  /**
   * The analysis.
   *
   * @param name the model's name
   * @param params what it used
   * @param sites the label of each layer
   * @param positions the position of each layer
   * @param tokens every token of the corpus
   * @param keptTokens those measured
   * @param perText each text's values, in index order
   * @param summaries for each metric, one summary per entry of its scope
   * @param pooled one entry per layer
   * @param transitions one entry per step
   * @param pooledGeodesicRatio the geodesic ratio of the pooled sample
   * @param sampleSize the size of the pooled sample
   * @param cosineHistogram [layer][bin]: the density of the cosine between two measured tokens of one text,
   *     {@link #HISTOGRAM_BINS} bins over [-1, 1]
   * @param paths the first {@link #PATH_TOKENS} measured tokens of the corpus at every layer,
   *     [layer][token * d + k], for drawing their paths
   * @param width d, the width of the hidden states
   */
  public record Result(String name, CorpusParams params, List<String> sites, double[] positions, long tokens,
                       long keptTokens, List<TextMeasures> perText, Map<TextMetric, Summary[]> summaries,
                       List<PooledLayer> pooled, List<PooledTransition> transitions, double pooledGeodesicRatio,
                       int sampleSize, double[][] cosineHistogram, double[][] paths, int width) {
    /** The number of texts. */
    public int texts() {
      return perText.size();
    }

    /** The summary of a per-text metric minus the anisotropy baseline of each layer. */
    public Summary[] adjusted(TextMetric m) {
      if (m.scope() != TextMetric.Scope.LAYER) {
        throw new IllegalArgumentException(m.jsonName() + " is not measured per layer");
      }
      Summary[] s = summaries.get(m).clone();
      for (int l = 0; l < s.length; l++) {
        s[l] = s[l].minus(pooled.get(l).anisotropyBaseline());
      }
      return s;
    }

    /** The means of a per-layer metric, one per layer. */
    public double[] means(TextMetric m) {
      return Arrays.stream(summaries.get(m)).mapToDouble(Summary::mean).toArray();
    }

    /** The number of texts where the metric is undefined at any entry (the first step's persistence aside). */
    public int textsWithUndefined(TextMetric m) {
      int c = 0;
      // the persistence of the first step is null by definition (it has no previous step)
      int from = m == TextMetric.PERSISTENCE ? 1 : 0;
      for (TextMeasures t : perText) {
        double[] values = t.values(m);
        for (int j = from; j < values.length; j++) {
          double v = values[j];
          if (Double.isNaN(v)) {
            c++;
            break;
          }
        }
      }
      return c;
    }
  }

  /**
   * The marginal error at which the pooled Sinkhorn divergences stop (POT's stopThr). On MiniLM's layers
   * at 4,000 sampled tokens it moves the divergence by under 1e-4 of its value against 1e-7, a hundredth
   * of the sampling error of the sample, at a quarter of the time: below about 1e-6 the float kernel's
   * rounding stalls the iterations and the solver finishes with Newton steps, which cost n^3.
   */
  public static final double SINKHORN_STOP = 1e-5;

  /**
   * The network simplex of the pooled sample of n tokens: with a pivot budget of 2,000 per token (at least
   * POT's 100,000) instead of POT's fixed 100,000, which the pooled steps outgrow: on MiniLM at 4,000 tokens
   * the last step needed 179,306 pivots and the first layer to the last 139,769, and stopped at 100,000
   * their W2^2 was 2.0% and 0.6% above the optimum.
   */
  static ExactParams pooledExact(int n) {
    return new ExactParams(Cost.SQEUCLIDEAN, (int) Math.min(Integer.MAX_VALUE,
        Math.max(ExactParams.DEFAULT_MAX_ITER, 2000L * n)));
  }

  /** From this pooled sample size on, the Sinkhorn kernels are compiled on tiny inputs before the solves. */
  static final int PREHEAT_SAMPLE = 512;

  /** A pooled layer's TwoNN estimate and its decimation curve. */
  private record Dimension(IntrinsicDimension.Estimate full, IntrinsicDimension.Decimation curve) {}

  /** The bins of the within-text cosine histogram. */
  public static final int HISTOGRAM_BINS = 40;
  /** The tokens whose paths are kept. */
  public static final int PATH_TOKENS = 24;

  /** The version of the accumulator's saved state. */
  static final int STATE_VERSION = 4;

  /**
   * Takes the texts one at a time, in index order, and keeps only what the result needs. A corpus split
   * into ranges of consecutive texts may be taken by one accumulator per range ({@link #Accumulator(String,
   * CorpusPlan, CorpusParams, int)}), and the parts merged in order ({@link #merge}): the per-text values,
   * counts, histogram, pooled sample and paths are then the same bits as one pass gives, and the running
   * sums equal up to rounding (relative 1e-12), so that the texts can be measured on many machines.
   */
  public static final class Accumulator implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int first;
    private final String name;
    private final CorpusPlan plan;
    private final CorpusParams params;
    /** The per-text values, from the first text on (null before it). */
    private TextTable table;
    private final Map<Long, Integer> wordIndex = new HashMap<>();
    /** wordIndex as sorted ids and their word indices, looked up without boxing; made on first use. */
    private transient long[] wordIds;
    private transient int[] wordSlots;
    /** Per word, a text's sum of unit tokens in one layer; rows zeroed after use. */
    private transient double[][] wordScratch;
    private List<String> sites;
    private double[] positions;
    private int layers = -1;
    private int d = -1;
    private long tokens;
    private long kept;
    // anisotropy: per layer the sum of unit tokens, the sum over texts of |s_t|^2 per dimension
    private double[][] sum;
    private double[][] sumSquaresPerText;
    private double pairsWithin;
    // self-similarity per word and layer
    private double[][][] wordSum;
    private double[][] wordWithin;
    private double[] wordCount;
    private double[] wordPairsWithin;
    private float[][] sample;
    private double[][] histogram;
    private double[][] paths;
    private int pathTokens;
    /** The sliced W2's projections of every measured token, per layer and direction; null without transport. */
    private dev.tokendyn.metrics.StreamedSliced sliced;

    private final dev.tokendyn.metrics.Standardization standardization;

    /** The pooled work done while texts still come (null before it starts, or for a part of a corpus). */
    private transient Early early;

    /** An accumulator for the planned corpus. */
    public Accumulator(String name, CorpusPlan plan, CorpusParams params) {
      this(name, plan, params, null, 0);
    }

    /**
     * An accumulator for the texts from {@code first} on, one part of the planned corpus.
     *
     * @param first in [0, plan.texts()]
     */
    public Accumulator(String name, CorpusPlan plan, CorpusParams params, int first) {
      this(name, plan, params, null, first);
    }

    /**
     * An accumulator that measures texts in standardised coordinates.
     *
     * @param standardization applied to every text before it is measured, or null
     * @throws IllegalArgumentException when the parameters ask for standardising and none is given
     */
    public Accumulator(String name, CorpusPlan plan, CorpusParams params,
                       dev.tokendyn.metrics.Standardization standardization) {
      this(name, plan, params, standardization, 0);
    }

    /**
     * An accumulator for the texts from {@code first} on, measured in standardised coordinates when
     * {@code standardization} is given.
     */
    public Accumulator(String name, CorpusPlan plan, CorpusParams params,
                       dev.tokendyn.metrics.Standardization standardization, int first) {
      if (params.standardize() && standardization == null) {
        throw new IllegalArgumentException("the parameters ask for standardised coordinates but none were given");
      }
      if (first < 0 || first > plan.texts()) {
        throw new IllegalArgumentException("first must be in [0, " + plan.texts() + "], found " + first);
      }
      this.first = first;
      this.standardization = standardization;
      this.name = name;
      this.plan = plan;
      this.params = params;
      for (int w = 0; w < plan.words().length; w++) {
        wordIndex.put(plan.words()[w], w);
      }
    }

    /** The number of texts taken so far. */
    public int count() {
      return taken();
    }

    private int taken() {
      return table == null ? 0 : table.size();
    }

    /**
     * Measures text {@code index} and adds it in.
     *
     * @throws IllegalArgumentException when texts arrive out of order, or the text differs in layers or width
     *     from the first
     */
    public void accept(int index, TextSequence text) {
      if (index != first + taken()) {
        throw new IllegalArgumentException("texts must arrive in order: expected text " + (first + taken())
            + ", found " + index);
      }
      if (index >= plan.texts()) {
        throw new IllegalArgumentException("the plan has " + plan.texts() + " texts; text " + index + " is extra");
      }
      if (standardization != null) {
        text = standardization.apply(text);
      }
      CloudSequence seq = text.layers();
      if (layers < 0) {
        start(seq);
      } else if (seq.size() != layers || seq.cloud(0).dimension() != d) {
        throw new IllegalArgumentException("text " + index + " has " + seq.size() + " layers of width "
            + seq.cloud(0).dimension() + " but text 0 has " + layers + " of width " + d);
      }
      double[][] norms = new double[layers][];
      TextMeasures m = TextMeasures.of(index, text, params.text(), (l, cosines, count, squaredNorms) -> {
        norms[l] = squaredNorms;
        double[] h = histogram[l];
        for (int p = 0; p < count; p++) {
          int bin = (int) Math.floor((cosines[p] + 1) / 2 * HISTOGRAM_BINS);
          h[Math.min(HISTOGRAM_BINS - 1, bin)]++;
        }
      });
      table.add(m);
      tokens += text.size();
      kept += m.kept();
      int[] keep = text.kept(params.text().dropSpecial());
      long[] ids = text.tokenIds();
      int n = keep.length;
      pairsWithin += (double) n * n;
      int[] rows = plan.sampleRows(index);
      int newPaths = Math.min(PATH_TOKENS - pathTokens, n);
      int offset = plan.sampleOffset(index);
      // the tracked word of each kept token (or -1), and the text's tracked words in ascending order
      int[] wordOf = null;
      int[] textWords = new int[0];
      if (ids != null) {
        wordOf = new int[n];
        int[] counts = new int[wordCount.length];
        for (int j = 0; j < n; j++) {
          wordOf[j] = word(ids[keep[j]]);
          if (wordOf[j] >= 0) {
            counts[wordOf[j]]++;
          }
        }
        textWords = java.util.stream.IntStream.range(0, counts.length).filter(w -> counts[w] > 0).toArray();
        for (int w : textWords) {
          wordCount[w] += counts[w];
          wordPairsWithin[w] += (double) counts[w] * counts[w];
        }
      }
      for (int l = 0; l < layers; l++) {
        fold(l, seq.cloud(l).toFlatArray(), norms[l], keep, wordOf, textWords, newPaths, rows, offset);
      }
      pathTokens += newPaths;
      startEarlyWork();
    }

    /**
     * The pooled sample fills in text order, and its rows are final as they come. The intrinsic dimensions
     * read only the first {@value CorpusParams#INTRINSIC_DIMENSION_SAMPLE} rows: they start on a thread of
     * their own as soon as those rows are in, while the model still runs, and finish takes them as they
     * are, the same bits as computed at the end. Only for the accumulator of a whole corpus (first text 0),
     * and a sample of at least that many rows.
     */
    private void startEarlyWork() {
      int h = CorpusParams.INTRINSIC_DIMENSION_SAMPLE;
      if (first != 0 || early != null || plan.sampleSize() < h) {
        return;
      }
      if (sampleRowsFilled() >= h) {
        early = new Early();
        TokenCloud[] head = sampleHead(h);
        early.dimensions = early.thread.submit(() -> dimensions(head));
      }
    }

    /** The first n rows of the pooled sample of every layer (filled already), as clouds. */
    private TokenCloud[] sampleHead(int n) {
      TokenCloud[] c = new TokenCloud[layers];
      for (int l = 0; l < layers; l++) {
        double[] p = new double[n * d];
        for (int i = 0; i < p.length; i++) {
          p[i] = sample[l][i];
        }
        c[l] = TokenCloud.ofFlat(n, d, p);
      }
      return c;
    }

    /** The pooled intrinsic dimension of each layer, on the first {@value CorpusParams#INTRINSIC_DIMENSION_SAMPLE} tokens. */
    private Dimension[] dimensions(TokenCloud[] clouds) {
      Dimension[] out = new Dimension[clouds.length];
      for (int l = 0; l < clouds.length; l++) {
        out[l] = dimension(clouds[l]);
      }
      return out;
    }

    private Dimension dimension(TokenCloud cloud) {
      TokenCloud sub = head(cloud, CorpusParams.INTRINSIC_DIMENSION_SAMPLE);
      IntrinsicDimension.Estimate[] full = new IntrinsicDimension.Estimate[1];
      IntrinsicDimension.Decimation dec = IntrinsicDimension.decimation(sub, IntrinsicDimension.DEFAULT_DISCARD,
          params.seed(), full);
      return new Dimension(full[0], dec);
    }

    /** The thread of the early work and what it gave. */
    private static final class Early {
      /** One daemon thread, which ends when idle for a second, so that an accumulator left unfinished leaks none. */
      final java.util.concurrent.ThreadPoolExecutor thread = new java.util.concurrent.ThreadPoolExecutor(0, 1, 1,
          java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tokendyn-pooled-early");
            t.setDaemon(true);
            return t;
          });
      java.util.concurrent.Future<Dimension[]> dimensions;

      /** The early dimensions when they were started, else null; stops the thread. */
      Dimension[] finish() {
        try {
          return await(dimensions);
        } finally {
          thread.shutdownNow();
        }
      }
    }

    /** The index of the tracked word with this token id, or -1. */
    private int word(long id) {
      if (wordIds == null) {
        long[] ids = new long[wordIndex.size()];
        int k = 0;
        for (long w : wordIndex.keySet()) {
          ids[k++] = w;
        }
        Arrays.sort(ids);
        int[] slots = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
          slots[i] = wordIndex.get(ids[i]);
        }
        wordSlots = slots;
        wordIds = ids;
      }
      int i = Arrays.binarySearch(wordIds, id);
      return i >= 0 ? wordSlots[i] : -1;
    }

    /**
     * Folds layer l of a text into the running sums, the word sums, the kept paths and the pooled sample
     * (a method of its own, so that the JIT compiles it apart from the per-text measures).
     */
    private void fold(int l, double[] flat, double[] squaredNorms, int[] keep, int[] wordOf, int[] textWords,
                      int newPaths, int[] rows, int offset) {
      int n = keep.length;
      double[] local = new double[d];
      if (wordOf != null && wordScratch == null) {
        wordScratch = new double[wordCount.length][d];
      }
      for (int j = 0; j < n; j++) {
        int o = keep[j] * d;
        if (j < newPaths) {
          System.arraycopy(flat, o, paths[l], (pathTokens + j) * d, d);
        }
        // the unit vector x / |x|, |x|^2 from the text's Gram matrix (TextMeasures refuses a zero token)
        double inv = 1 / Math.sqrt(squaredNorms[j]);
        for (int k = 0; k < d; k++) {
          local[k] += flat[o + k] * inv;
        }
        int w = wordOf == null ? -1 : wordOf[j];
        if (w >= 0) {
          double[] s = wordScratch[w];
          for (int k = 0; k < d; k++) {
            s[k] += flat[o + k] * inv;
          }
        }
      }
      for (int k = 0; k < d; k++) {
        sum[l][k] += local[k];
        sumSquaresPerText[l][k] += local[k] * local[k];
      }
      for (int w : textWords) {
        double[] s = wordScratch[w];
        double q = 0;
        for (int k = 0; k < d; k++) {
          wordSum[w][l][k] += s[k];
          q += s[k] * s[k];
        }
        wordWithin[w][l] += q;
        Arrays.fill(s, 0.0);
      }
      for (int r = 0; r < rows.length; r++) {
        int o = (offset + r) * d;
        for (int k = 0; k < d; k++) {
          sample[l][o + k] = (float) flat[rows[r] * d + k];
        }
      }
      if (sliced != null) {
        sliced.add(l, flat, keep);
      }
    }

    /**
     * Adds in the texts that {@code next} took, which come right after this one's.
     *
     * @param next an accumulator of the same plan whose first text is this one's first plus {@link #count()};
     *     its arrays are taken over, so it is not to be used afterwards
     * @throws IllegalArgumentException when next does not follow this one, or differs in layers or width
     */
    public void merge(Accumulator next) {
      if (next.plan.texts() != plan.texts() || next.plan.sampleSize() != plan.sampleSize()) {
        throw new IllegalArgumentException("the accumulators have different plans");
      }
      if (next.first != first + taken()) {
        throw new IllegalArgumentException("merge in order: the next part must start at text "
            + (first + taken()) + ", found " + next.first);
      }
      if (next.taken() == 0) {
        return;
      }
      if (early != null) {
        // what was started early reads rows that the merge may replace: done again at the end instead
        early.thread.shutdownNow();
        early = null;
      }
      if (layers < 0) {
        layers = next.layers;
        d = next.d;
        sites = next.sites;
        positions = next.positions;
        sum = next.sum;
        sumSquaresPerText = next.sumSquaresPerText;
        wordSum = next.wordSum;
        wordWithin = next.wordWithin;
        wordCount = next.wordCount;
        wordPairsWithin = next.wordPairsWithin;
        sample = next.sample;
        histogram = next.histogram;
        paths = next.paths;
        pathTokens = next.pathTokens;
        sliced = next.sliced;
        table = next.table;
        tokens = next.tokens;
        kept = next.kept;
        pairsWithin = next.pairsWithin;
        return;
      }
      if (next.layers != layers || next.d != d) {
        throw new IllegalArgumentException("text " + next.first + " has " + next.layers + " layers of width "
            + next.d + " but text " + first + " has " + layers + " of width " + d);
      }
      int end = next.first + next.taken();
      int from = plan.sampleOffset(next.first) * d;
      int to = (end < plan.texts() ? plan.sampleOffset(end) : plan.sampleSize()) * d;
      int take = Math.min(PATH_TOKENS - pathTokens, next.pathTokens);
      for (int l = 0; l < layers; l++) {
        add(sum[l], next.sum[l]);
        add(sumSquaresPerText[l], next.sumSquaresPerText[l]);
        add(histogram[l], next.histogram[l]);
        System.arraycopy(next.sample[l], from, sample[l], from, to - from);
        System.arraycopy(next.paths[l], 0, paths[l], pathTokens * d, take * d);
      }
      for (int w = 0; w < wordCount.length; w++) {
        for (int l = 0; l < layers; l++) {
          add(wordSum[w][l], next.wordSum[w][l]);
        }
        add(wordWithin[w], next.wordWithin[w]);
      }
      add(wordCount, next.wordCount);
      add(wordPairsWithin, next.wordPairsWithin);
      if (sliced != null) {
        sliced.merge(next.sliced);
      }
      pathTokens += take;
      table.addAll(next.table);
      tokens += next.tokens;
      kept += next.kept;
      pairsWithin += next.pairsWithin;
    }

    private static void add(double[] into, double[] x) {
      for (int i = 0; i < into.length; i++) {
        into[i] += x[i];
      }
    }

    private void start(CloudSequence seq) {
      layers = seq.size();
      table = new TextTable(layers);
      d = seq.cloud(0).dimension();
      sites = new ArrayList<>();
      positions = new double[layers];
      for (int l = 0; l < layers; l++) {
        sites.add(seq.label(l));
        positions[l] = seq.position(l);
      }
      sum = new double[layers][d];
      sumSquaresPerText = new double[layers][d];
      int words = plan.words().length;
      wordSum = new double[words][layers][d];
      wordWithin = new double[words][layers];
      wordCount = new double[words];
      wordPairsWithin = new double[words];
      sample = new float[layers][plan.sampleSize() * d];
      histogram = new double[layers][HISTOGRAM_BINS];
      paths = new double[layers][PATH_TOKENS * d];
      sliced = newSliced();
    }

    private dev.tokendyn.metrics.StreamedSliced newSliced() {
      return params.text().transport()
          ? new dev.tokendyn.metrics.StreamedSliced(layers, d, params.slicedProjections(), params.seed()) : null;
    }

    /**
     * Writes everything taken so far, exactly (every double bit for bit), so that {@link #readState} and
     * further texts give the same result as an uninterrupted run.
     */
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
      out.writeInt(STATE_VERSION);
      out.writeInt(taken());
      if (taken() == 0) {
        return;
      }
      out.writeInt(layers);
      out.writeInt(d);
      for (int l = 0; l < layers; l++) {
        out.writeUTF(sites.get(l));
        out.writeDouble(positions[l]);
      }
      out.writeLong(tokens);
      out.writeLong(kept);
      out.writeDouble(pairsWithin);
      out.writeInt(pathTokens);
      for (int l = 0; l < layers; l++) {
        doubles(out, sum[l]);
        doubles(out, sumSquaresPerText[l]);
        doubles(out, histogram[l]);
        doubles(out, paths[l]);
      }
      out.writeInt(wordSum.length);
      for (int w = 0; w < wordSum.length; w++) {
        for (int l = 0; l < layers; l++) {
          doubles(out, wordSum[w][l]);
        }
        doubles(out, wordWithin[w]);
        out.writeDouble(wordCount[w]);
        out.writeDouble(wordPairsWithin[w]);
      }
      if (sliced != null) {
        sliced.write(out);
      }
    }

    /** The rows of the pooled sample filled so far (texts come in order, and so do their rows). */
    public int sampleRowsFilled() {
      return taken() >= plan.texts() ? plan.sampleSize() : plan.sampleOffset(taken());
    }

    /** Writes sample rows [from, filled), each as every layer's d floats. */
    public void appendSample(java.io.DataOutputStream out, int from) throws java.io.IOException {
      // big-endian floats (DataOutput's format), a row at a time through one buffer rather than a call a value
      if (from >= sampleRowsFilled()) {
        return;
      }
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(layers * d * Float.BYTES);
      for (int r = from; r < sampleRowsFilled(); r++) {
        b.clear();
        java.nio.FloatBuffer f = b.asFloatBuffer();
        for (int l = 0; l < layers; l++) {
          f.put(sample[l], r * d, d);
        }
        out.write(b.array(), 0, layers * d * Float.BYTES);
      }
    }

    /** The bytes {@link #appendSample} writes per row. */
    public int sampleRowBytes() {
      return layers * d * Float.BYTES;
    }

    /** Writes the per-text values of texts [from, count). */
    public void appendPerText(java.io.DataOutputStream out, int from) throws java.io.IOException {
      for (int t = from; t < taken(); t++) {
        TextMeasures m = table.get(t);
        out.writeInt(m.index());
        out.writeInt(m.tokens());
        out.writeInt(m.kept());
        double[][] v = m.values();
        out.writeInt(v.length);
        for (double[] row : v) {
          out.writeInt(row.length);
          doubles(out, row);
        }
      }
    }

    /** The bytes {@link #appendPerText} writes per text. */
    public int perTextBytes() {
      int b = 4 * Integer.BYTES;
      for (TextMetric m : TextMetric.values()) {
        b += Integer.BYTES + Double.BYTES * TextMeasures.length(m.scope(), layers);
      }
      return b;
    }

    /**
     * Restores what {@link #writeState} wrote, into a fresh accumulator of the same plan and parameters.
     *
     * @throws java.io.IOException when the state is truncated or of another version
     * @throws IllegalStateException when this accumulator has taken texts already
     */
    public void readState(java.io.DataInputStream in) throws java.io.IOException {
      if (taken() != 0) {
        throw new IllegalStateException("the accumulator has taken texts already");
      }
      int version = in.readInt();
      if (version != STATE_VERSION) {
        throw new java.io.IOException("the checkpoint is of version " + version + ", this tokendyn writes "
            + STATE_VERSION);
      }
      int count = in.readInt();
      if (count == 0) {
        restoring = 0;
        return;
      }
      int layersIn = in.readInt();
      int dIn = in.readInt();
      List<String> s = new ArrayList<>();
      double[] p = new double[layersIn];
      for (int l = 0; l < layersIn; l++) {
        s.add(in.readUTF());
        p[l] = in.readDouble();
      }
      layers = layersIn;
      d = dIn;
      table = new TextTable(layers);
      sites = s;
      positions = p;
      sum = new double[layers][d];
      sumSquaresPerText = new double[layers][d];
      int words = plan.words().length;
      wordSum = new double[words][layers][d];
      wordWithin = new double[words][layers];
      wordCount = new double[words];
      wordPairsWithin = new double[words];
      sample = new float[layers][plan.sampleSize() * d];
      histogram = new double[layers][HISTOGRAM_BINS];
      paths = new double[layers][PATH_TOKENS * d];
      tokens = in.readLong();
      kept = in.readLong();
      pairsWithin = in.readDouble();
      pathTokens = in.readInt();
      for (int l = 0; l < layers; l++) {
        read(in, sum[l]);
        read(in, sumSquaresPerText[l]);
        read(in, histogram[l]);
        read(in, paths[l]);
      }
      if (in.readInt() != words) {
        throw new java.io.IOException("the checkpoint tracks another set of words");
      }
      for (int w = 0; w < words; w++) {
        for (int l = 0; l < layers; l++) {
          read(in, wordSum[w][l]);
        }
        read(in, wordWithin[w]);
        wordCount[w] = in.readDouble();
        wordPairsWithin[w] = in.readDouble();
      }
      sliced = newSliced();
      if (sliced != null) {
        sliced.read(in);
      }
      restoring = count;
    }

    /** Texts that {@link #readState} announced and {@link #readRest} must bring. */
    private int restoring;

    /**
     * Reads the sample rows and per-text values of the restored state (what {@link #appendSample} and
     * {@link #appendPerText} wrote, from the start), after {@link #readState}.
     *
     * @return the number of texts restored
     */
    public int readRest(java.io.DataInputStream samples, java.io.DataInputStream texts) throws java.io.IOException {
      int count = restoring;
      restoring = 0;
      int rows = count >= plan.texts() ? plan.sampleSize() : plan.sampleOffset(count);
      byte[] row = new byte[rows == 0 ? 0 : layers * d * Float.BYTES];
      for (int r = 0; r < rows; r++) {
        samples.readFully(row, 0, layers * d * Float.BYTES);
        java.nio.FloatBuffer f = java.nio.ByteBuffer.wrap(row).asFloatBuffer();
        for (int l = 0; l < layers; l++) {
          f.get(sample[l], r * d, d);
        }
      }
      for (int t = 0; t < count; t++) {
        int index = texts.readInt();
        int tok = texts.readInt();
        int kp = texts.readInt();
        double[][] v = new double[texts.readInt()][];
        for (int m = 0; m < v.length; m++) {
          v[m] = new double[texts.readInt()];
          read(texts, v[m]);
        }
        table.add(new TextMeasures(index, tok, kp, v));
      }
      return count;
    }

    /** The number of texts a state read by {@link #readState} holds. */
    public int restoring() {
      return restoring;
    }

    /** v as big-endian doubles (DataOutput's format), through one byte buffer rather than a call per value. */
    private static void doubles(java.io.DataOutputStream out, double[] v) throws java.io.IOException {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(Math.min(v.length, 8192) * Double.BYTES);
      for (int i = 0; i < v.length; ) {
        b.clear();
        int n = Math.min(v.length - i, b.capacity() / Double.BYTES);
        b.asDoubleBuffer().put(v, i, n);
        out.write(b.array(), 0, n * Double.BYTES);
        i += n;
      }
    }

    private static void read(java.io.DataInputStream in, double[] v) throws java.io.IOException {
      byte[] bytes = new byte[Math.min(v.length, 8192) * Double.BYTES];
      for (int i = 0; i < v.length; ) {
        int n = Math.min(v.length - i, bytes.length / Double.BYTES);
        in.readFully(bytes, 0, n * Double.BYTES);
        java.nio.ByteBuffer.wrap(bytes, 0, n * Double.BYTES).asDoubleBuffer().get(v, i, n);
        i += n;
      }
    }

    /**
     * Aggregates everything taken.
     *
     * @throws IllegalStateException when no text was taken
     */
    public Result finish() {
      if (taken() == 0) {
        throw new IllegalStateException("no text was analysed");
      }
      int texts = taken();
      double total = kept;
      double pairs = total * total - pairsWithin;
      int size = plan.sampleSize();
      TokenCloud[] clouds = size == 0 ? new TokenCloud[layers] : sampleHead(size);
      // the pooled measures of each layer and step are independent, each with the same bits however they
      // are scheduled: the bootstrap, intrinsic dimensions and rotational shares run on a thread of their own
      // beside the transport, whose parallel products and sweeps leave some of both cores idle (at 4,000 pooled MiniLM
      // tokens the transport alone used 1.6 cores); without transport they run side by side
      boolean transport = params.text().transport() && size >= 2;
      // the bootstrap summaries of the per-text values, made beside the pooled transport when there is one
      Summary[][] columns = new Summary[1][];
      Dimension[] early = this.early == null ? null : this.early.finish();
      this.early = null;
      Dimension[] dimensions = early != null ? early : new Dimension[layers];
      PooledTransition[] transitions = new PooledTransition[Math.max(0, layers - 1)];
      double[] w2 = new double[Math.max(0, layers - 1)];
      RotationalShare.Result[] rotations = new RotationalShare.Result[transitions.length];
      java.util.function.IntConsumer dimension = l -> {
        if (clouds[l] != null && early == null) {
          dimensions[l] = dimension(clouds[l]);
        }
      };
      java.util.function.IntConsumer rotation = l -> rotations[l] = size >= 2
          ? RotationalShare.of(clouds[l], clouds[l + 1], params.text().rotationComponents())
          : new RotationalShare.Result(Double.NaN, Double.NaN, 0, "the pooled sample is empty");
      double geodesic = Double.NaN;
      if (transport) {
        java.util.concurrent.ExecutorService side = daemonThread("tokendyn-pooled-side");
        try {
          java.util.concurrent.Future<?> beside = side.submit(() -> {
            columns[0] = Summary.ofRows(table, texts, params.resamples(), params.seed());
            for (int l = 0; l < layers; l++) {
              dimension.accept(l);
            }
            for (int l = 0; l < transitions.length; l++) {
              rotation.accept(l);
            }
          });
          geodesic = pooledTransport(clouds, transitions, w2);
          await(beside);
        } finally {
          side.shutdownNow();
        }
        for (int l = 0; l < transitions.length; l++) {
          PooledTransition t = transitions[l];
          transitions[l] = new PooledTransition(t.w2(), t.sinkhornDivergence(), t.sinkhornReg(), t.sliced(), rotations[l],
              t.slicedAllTokens());
        }
      } else {
        columns[0] = Summary.ofRows(table, texts, params.resamples(), params.seed());
        java.util.stream.IntStream.range(0, layers).parallel().forEach(dimension);
        java.util.stream.IntStream.range(0, transitions.length).parallel().forEach(rotation);
        for (int l = 0; l < transitions.length; l++) {
          transitions[l] = new PooledTransition(Double.NaN, Double.NaN, Double.NaN, Double.NaN, rotations[l], Double.NaN);
        }
      }
      Map<TextMetric, Summary[]> summaries = new EnumMap<>(TextMetric.class);
      for (TextMetric m : TextMetric.values()) {
        if (m.needsTransport() && !params.text().transport()) {
          continue;
        }
        int from = table.column(m, 0);
        summaries.put(m, Arrays.copyOfRange(columns[0], from, from + TextMeasures.length(m.scope(), layers)));
      }
      List<PooledLayer> pooled = new ArrayList<>();
      for (int l = 0; l < layers; l++) {
        double all = 0;
        double within = 0;
        double[] contribution = new double[d];
        for (int k = 0; k < d; k++) {
          all += sum[l][k] * sum[l][k];
          within += sumSquaresPerText[l][k];
          contribution[k] = Math.abs(sum[l][k] * sum[l][k] - sumSquaresPerText[l][k]);
        }
        double baseline = pairs > 0 ? (all - within) / pairs : Double.NaN;
        double[] sorted = contribution.clone();
        Arrays.sort(sorted);
        double top = 0;
        double every = Arrays.stream(sorted).sum();
        for (int k = 0; k < Math.min(3, d); k++) {
          top += sorted[d - 1 - k];
        }
        double self = 0;
        int words = 0;
        for (int w = 0; w < plan.words().length; w++) {
          double across = wordCount[w] * wordCount[w] - wordPairsWithin[w];
          if (across > 0) {
            double q = 0;
            for (int k = 0; k < d; k++) {
              q += wordSum[w][l][k] * wordSum[w][l][k];
            }
            self += (q - wordWithin[w][l]) / across;
            words++;
          }
        }
        IntrinsicDimension.Estimate id = dimensions[l] == null ? null : dimensions[l].full();
        IntrinsicDimension.Decimation dec = dimensions[l] == null ? null : dimensions[l].curve();
        pooled.add(new PooledLayer(baseline, every > 0 ? top / every : Double.NaN,
            words == 0 ? Double.NaN : self / words, words, id, dec, (int) total));
      }
      List<PooledTransition> steps = List.of(transitions);
      double[][] density = new double[layers][HISTOGRAM_BINS];
      double[][] kept = new double[layers][];
      for (int l = 0; l < layers; l++) {
        double count = Arrays.stream(histogram[l]).sum();
        for (int b = 0; b < HISTOGRAM_BINS; b++) {
          density[l][b] = count == 0 ? 0 : histogram[l][b] / count / (2.0 / HISTOGRAM_BINS);
        }
        kept[l] = Arrays.copyOf(paths[l], pathTokens * d);
      }
      return new Result(name, params, List.copyOf(sites), positions.clone(), tokens, this.kept, table.asList(),
          summaries, List.copyOf(pooled), List.copyOf(steps), geodesic, size, density, kept, d);
    }

    /**
     * The exact W2, Sinkhorn divergence and sliced W2 of every step on the pooled sample, and the geodesic
     * ratio. Each cost matrix is computed once, as a parallel matrix product in single precision
     * ({@link CostMatrix#squaredEuclideanInSingle}; the W2 are then costed exactly, see exactW2): a step's cross cost serves
     * both its network simplex and its divergence, and a layer's self cost serves the divergences of the
     * steps on either side of it. Steps run in order, each solve parallel inside, while the single-threaded
     * network simplex of step l runs beside the divergence of step l + 1; at most three matrices of the
     * sample's size are held at a time, plus the one the pending simplex reads. The streamed
     * sliced W2 of all tokens goes into each transition too.
     */
    private double pooledTransport(TokenCloud[] clouds, PooledTransition[] transitions, double[] w2) {
      if (clouds[0].size() >= PREHEAT_SAMPLE) {
        // the first solve would otherwise run its kernels uncompiled for its first sweeps: on MiniLM at 1,000
        // tokens the first step's divergence took 0.70-0.76 s cold and 0.33-0.37 s after 0.2 s of preheat
        dev.tokendyn.kernel.Preheat.transport();
      }
      // every layer's sample holds the same tokens, each of the same weight
      double[] w = clouds[0].normalizedWeights();
      NetworkSimplex exact = new NetworkSimplex(pooledExact(clouds[0].size()));
      java.util.concurrent.ExecutorService simplex = daemonThread("tokendyn-pooled-simplex");
      try {
        // the first layer to the last, for the geodesic ratio: its simplex first, beside the first step
        double[] ends = {Double.NaN};
        java.util.concurrent.Future<?> last = null;
        if (transitions.length >= 2) {
          CostMatrix whole = CostMatrix.squaredEuclideanInSingle(clouds[0], clouds[clouds.length - 1]);
          last = simplex.submit(() -> ends[0] = exactW2(exact, w, whole, clouds[0], clouds[clouds.length - 1]));
        }
        java.util.concurrent.Future<?> pending = null;
        CostMatrix self = CostMatrix.squaredEuclideanInSingle(clouds[0], clouds[0]);
        // each layer's projections are sorted once, for the steps on either side of it
        dev.tokendyn.transport.SlicedWasserstein slicer = new dev.tokendyn.transport.SlicedWasserstein(
            new dev.tokendyn.transport.SlicedParams(params.slicedProjections(), params.seed()));
        double[][] sortedHere = slicer.sortedProjections(clouds[0]);
        for (int l = 0; l < transitions.length; l++) {
          CostMatrix next = CostMatrix.squaredEuclideanInSingle(clouds[l + 1], clouds[l + 1]);
          CostMatrix cross = CostMatrix.squaredEuclideanInSingle(clouds[l], clouds[l + 1]);
          await(pending);
          int step = l;
          pending = simplex.submit(() -> w2[step] = exactW2(exact, w, cross, clouds[step], clouds[step + 1]));
          double median = medianSquaredDistance(clouds[l], clouds[l + 1]);
          double reg = params.sinkhornScale() * (median > 0 ? median : 1.0);
          double div = new SinkhornDivergence(SinkhornParams.of(reg).withStopThr(SINKHORN_STOP))
              .solve(w, w, cross, self, next).value();
          double[][] sortedNext = slicer.sortedProjections(clouds[l + 1]);
          double sliced = slicer.betweenSorted(sortedHere, sortedNext).value();
          sortedHere = sortedNext;
          transitions[l] = new PooledTransition(Double.NaN, div, reg, sliced, null, this.sliced.distance(l, l + 1));
          self = next;
        }
        self = null;
        await(pending);
        await(last);
        for (int l = 0; l < transitions.length; l++) {
          PooledTransition t = transitions[l];
          transitions[l] = new PooledTransition(w2[l], t.sinkhornDivergence(), t.sinkhornReg(), t.sliced(), t.rotation(),
              t.slicedAllTokens());
        }
        if (transitions.length == 0) {
          return Double.NaN;
        }
        return GeodesicRatio.of(w2, transitions.length == 1 ? w2[0] : ends[0]);
      } finally {
        simplex.shutdownNow();
      }
    }

    /**
     * W2 from the optimal plan of the network simplex, started from the plan that keeps every sampled token
     * in place (the same tokens at another layer): between nearby layers most tokens stay matched to
     * themselves, so the start is near the optimum. On 4,000 pooled MiniLM tokens it cut the pivots of the
     * six steps from 5,329-171,244 to 0-3,761 and of the first-to-last problem from 140,028 to 41,757, with
     * the same optimal values. The simplex prices with the single-precision costs; the plan it returns is
     * then costed with the exact distances, sum_k P_k |x_i - y_j|^2 in double, so W2 is exact for that plan,
     * which is optimal to within the costs' rounding (about 1e-7 of W2^2). Refused when the pivot budget ran
     * out before an optimal plan.
     */
    private static double exactW2(NetworkSimplex exact, double[] w, CostMatrix cost, TokenCloud x, TokenCloud y) {
      ExactResult r = exact.solve(w, w, cost, java.util.stream.IntStream.range(0, w.length).toArray());
      if (!r.converged()) {
        throw new IllegalStateException("the exact W2 of the pooled sample (" + w.length + " tokens) did not reach an"
            + " optimal plan within " + exact.params().maxIter() + " pivots; give a smaller --pooled-sample");
      }
      TransportPlan plan = r.plan();
      double[] xf = x.toFlatArray();
      double[] yf = y.toFlatArray();
      int dim = x.dimension();
      double value = 0;
      for (int k = 0; k < plan.nonZeros(); k++) {
        value += plan.mass(k) * ArrayOps.squaredDistance(xf, plan.row(k) * dim, yf, plan.col(k) * dim, dim);
      }
      return Math.sqrt(value);
    }

    /** A single daemon thread of the given name, for work beside the calling thread's. */
    private static java.util.concurrent.ExecutorService daemonThread(String name) {
      return java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
    }

    /** The future's value (null for no future), its failure thrown as a runtime exception. */
    private static <T> T await(java.util.concurrent.Future<T> f) {
      if (f == null) {
        return null;
      }
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while measuring the pooled sample", e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new IllegalStateException(e.getCause());
      }
    }

    private static TokenCloud head(TokenCloud c, int n) {
      if (c.size() <= n) {
        return c;
      }
      return TokenCloud.ofFlat(n, c.dimension(), Arrays.copyOf(c.toFlatArray(), n * c.dimension()));
    }

    /** The median squared distance over a seeded sample of at most 2^16 pairs, each computed exactly. */
    private double medianSquaredDistance(TokenCloud x, TokenCloud y) {
      java.util.SplittableRandom rng = new java.util.SplittableRandom(params.seed());
      int pairs = (int) Math.min(1 << 16, (long) x.size() * y.size());
      double[] c = new double[pairs];
      double[] xf = x.toFlatArray();
      double[] yf = y.toFlatArray();
      for (int s = 0; s < pairs; s++) {
        int i = rng.nextInt(x.size()) * d;
        int j = rng.nextInt(y.size()) * d;
        c[s] = ArrayOps.squaredDistance(xf, i, yf, j, d);
      }
      Arrays.sort(c);
      return c[pairs / 2];
    }
  }
}
