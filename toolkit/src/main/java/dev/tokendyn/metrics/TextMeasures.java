package dev.tokendyn.metrics;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.util.Arrays;

/**
 * Every {@link TextMetric} of one text: the geometry of its own tokens at each layer, its steps between
 * layers, and its path over the whole depth. Undefined values (a text too short for a measurement) are
 * NaN; {@link #values(TextMetric)} has one entry per layer, per step, or one in all, by the metric's scope.
 *
 * <p>The tokens measured are the text's tokens less its special ones when {@link TextParams#dropSpecial()}.
 *
 * @param index the text's position in the corpus
 * @param tokens its number of tokens, special ones included
 * @param kept the number measured
 * @param values [metric ordinal][layer, step or 0]
 */
public record TextMeasures(int index, int tokens, int kept, double[][] values) implements java.io.Serializable {
  public TextMeasures {
    values = deepCopy(values);
  }

  /** The values of one metric (a copy). */
  public double[] values(TextMetric m) {
    return values[m.ordinal()].clone();
  }

  @Override
  public double[][] values() {
    return deepCopy(values);
  }

  private static double[][] deepCopy(double[][] v) {
    double[][] c = new double[v.length][];
    for (int i = 0; i < v.length; i++) {
      c[i] = v[i].clone();
    }
    return c;
  }

  /** The number of entries a metric of this scope has for a sequence of {@code layers} clouds. */
  public static int length(TextMetric.Scope scope, int layers) {
    return switch (scope) {
      case LAYER -> layers;
      case TRANSITION -> Math.max(0, layers - 1);
      case SEQUENCE -> 1;
    };
  }

  /**
   * Measures one text.
   *
   * @param index its position in the corpus
   * @throws IllegalArgumentException when a kept token is the zero vector
   */
  public static TextMeasures of(int index, TextSequence text, TextParams params) {
    return of(index, text, params, null);
  }

  /** Told the cosine of every pair of a text's kept tokens and their squared norms, layer by layer. */
  @FunctionalInterface
  public interface PairCosines {
    /**
     * @param layer the layer's index in the sequence
     * @param cosines the n (n - 1) / 2 cosines of the pairs i &lt; j of the kept tokens, each clamped to
     *     [-1, 1]; valid during the call only
     * @param count how many entries of {@code cosines} are filled
     * @param squaredNorms |x_j|^2 of the n kept tokens, in order (a new array, the receiver's to keep)
     */
    void accept(int layer, double[] cosines, int count, double[] squaredNorms);
  }

  /**
   * As {@link #of(int, TextSequence, TextParams)}, also handing each layer's pairwise cosines to
   * {@code pairs} (null for none). The pairwise quantities of a layer (cosines, distances, the centred
   * spectrum and its principal axes) all come from one Gram matrix of its kept tokens ({@link Gram}).
   */
  public static TextMeasures of(int index, TextSequence text, TextParams params, PairCosines pairs) {
    // one small method per layer, step and block: the JIT compiles each once, instead of one large method
    // with everything inlined, compiled again on every deoptimisation
    CloudSequence seq = text.layers();
    int layers = seq.size();
    int[] keep = text.kept(params.dropSpecial());
    int n = keep.length;
    int d = seq.cloud(0).dimension();
    double[][] v = new double[TextMetric.values().length][];
    for (TextMetric m : TextMetric.values()) {
      v[m.ordinal()] = new double[length(m.scope(), layers)];
      Arrays.fill(v[m.ordinal()], Double.NaN);
    }
    double[][] x = new double[layers][];
    for (int l = 0; l < layers; l++) {
      x[l] = rows(seq.cloud(l), keep);
    }
    Gram[] grams = new Gram[layers];
    // the rotational share's principal axes need the Gram matrices' eigenvectors; the ranks need only values
    int components = Math.min(params.rotationComponents(), d);
    boolean axes = n >= RotationalShare.minimumTokens(components) && n < d && d > components;
    double[] cos = pairs == null ? null : new double[n * (n - 1) / 2];
    for (int l = 0; l < layers && n >= 1; l++) {
      // the last layer starts no step, so its axes are never asked for
      grams[l] = Gram.of(x[l], n, d, axes && l + 1 < layers ? components : 0);
      layer(v, l, grams[l], grams[0], x, params, cos, pairs);
    }
    double[] w2 = new double[Math.max(0, layers - 1)];
    for (int l = 0; l + 1 < layers && n >= 1; l++) {
      w2[l] = step(v, l, grams, x, params);
    }
    float[][] attention = text.attention();
    if (attention != null) {
      boolean[] plain = new boolean[text.size()];
      boolean[] special = text.special();
      for (int i = 0; i < plain.length; i++) {
        plain[i] = !special[i];
      }
      for (int b = 0; b < Math.min(attention.length, layers - 1); b++) {
        block(v, b, attention[b], text.heads(), text.size(), plain);
      }
    }
    if (params.transport() && layers >= 2 && n >= 1) {
      Gram first = grams[0];
      Gram last = grams[layers - 1];
      double direct = first.w2(last, first.cross(last));
      set(v, TextMetric.GEODESIC_RATIO, 0, GeodesicRatio.of(w2, direct));
    }
    if (layers >= 2 && n >= 1) {
      sequence(v, seq);
    }
    return new TextMeasures(index, text.size(), n, v);
  }

  /** The per-layer metrics of layer l from its Gram matrix g (and layer 0's, g0). */
  private static void layer(double[][] v, int l, Gram g, Gram g0, double[][] x, TextParams params, double[] cos,
                            PairCosines pairs) {
    int n = g.n;
    int d = g.d;
    for (int i = 0; i < n; i++) {
      if (!(g.inner[i * n + i] > 0)) {
        throw new IllegalArgumentException("point " + i + " is the zero vector; its cosine with other points is"
            + " undefined");
      }
    }
    set(v, TextMetric.MEAN_NORM, l, meanNorm(g));
    set(v, TextMetric.CLUSTERS, l, Clusters.of(g, params.threshold()).count());
    double msd = meanSquaredDifference(x[l], x[0], n);
    set(v, TextMetric.MSD, l, msd);
    double ceiling = (trace(g) + trace(g0)) / n;
    set(v, TextMetric.MSD_SATURATION, l, ceiling > 0 ? msd / ceiling : Double.NaN);
    double sum = pairCosines(g, cos);
    if (pairs != null) {
      double[] norms = new double[n];
      for (int i = 0; i < n; i++) {
        norms[i] = g.inner[i * n + i];
      }
      pairs.accept(l, cos, n * (n - 1) / 2, norms);
    }
    if (n >= 2) {
      set(v, TextMetric.MEAN_COSINE, l, 2 * sum / ((double) n * (n - 1)));
      set(v, TextMetric.INTRA_TEXT_SIMILARITY, l, intraSimilarity(g));
      set(v, TextMetric.CLUSTERED_FRACTION, l, Clusters.clusteredFraction(g));
      double[] sigma = n <= d ? g.singularValues() : SingularValues.ofCentred(TokenCloud.ofFlat(n, d, x[l]));
      double stable = StableRank.fromSingularValues(sigma);
      if (Double.isFinite(stable)) {
        set(v, TextMetric.EFFECTIVE_RANK, l, EffectiveRank.fromSingularValues(sigma));
        set(v, TextMetric.STABLE_RANK, l, stable);
      }
      set(v, TextMetric.RANK_COLLAPSE, l, g.rankCollapse());
    }
    IntrinsicDimension.Estimate id = IntrinsicDimension.estimate(g, IntrinsicDimension.DEFAULT_DISCARD);
    set(v, TextMetric.INTRINSIC_DIMENSION, l, id.value());
  }

  /** The sum of the cosines of the pairs i &lt; j, each written to cos (when not null) in order. */
  private static double pairCosines(Gram g, double[] cos) {
    int n = g.n;
    double sum = 0;
    int p = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double c = g.cosine(i, j);
        sum += c;
        if (cos != null) {
          cos[p++] = c;
        }
      }
    }
    return sum;
  }

  /** The metrics of the step from layer l to l + 1; returns its W2 (0 without transport). */
  private static double step(double[][] v, int l, Gram[] grams, double[][] x, TextParams params) {
    int n = grams[l].n;
    set(v, TextMetric.IDENTITY_COST, l, meanSquaredDifference(x[l + 1], x[l], n));
    double[] cross = grams[l].cross(grams[l + 1]);
    RotationalShare.Result r = RotationalShare.of(grams[l], grams[l + 1], cross, params.rotationComponents());
    set(v, TextMetric.ROTATIONAL_SHARE, l, r.share());
    set(v, TextMetric.AFFINE_R2, l, r.affineR2());
    if (l >= 1) {
      set(v, TextMetric.PERSISTENCE, l, Persistence.of(x[l - 1], x[l], x[l + 1], n, grams[l].d));
    }
    if (!params.transport()) {
      return 0;
    }
    double w2 = grams[l].w2(grams[l + 1], cross);
    set(v, TextMetric.W2, l, w2);
    return w2;
  }

  /** The doubly stochastic defects of attention block b, averaged over its heads. */
  private static void block(double[][] v, int b, float[] attention, int heads, int size, boolean[] plain) {
    double all = 0;
    double kept = 0;
    int keptHeads = 0;
    double[] both = new double[2];
    for (int h = 0; h < heads; h++) {
      DoublyStochastic.defects(attention, heads, size, h, plain, both);
      all += both[0];
      double k = both[1];
      if (!Double.isNaN(k)) {
        kept += k;
        keptHeads++;
      }
    }
    set(v, TextMetric.DOUBLY_STOCHASTIC_DEFECT, b, all / heads);
    set(v, TextMetric.DOUBLY_STOCHASTIC_DEFECT_PLAIN, b, keptHeads == 0 ? Double.NaN : kept / keptHeads);
  }

  /** The whole-text metrics: the MSD's exponent and the mean persistence. */
  private static void sequence(double[][] v, CloudSequence seq) {
    int layers = seq.size();
    double[] depth = new double[layers];
    for (int l = 0; l < layers; l++) {
      depth[l] = seq.position(l) - seq.position(0);
    }
    set(v, TextMetric.MSD_ALPHA, 0, PowerLawFit.of(depth, v[TextMetric.MSD.ordinal()]).alpha());
    double s = 0;
    int c = 0;
    for (double p : v[TextMetric.PERSISTENCE.ordinal()]) {
      if (!Double.isNaN(p)) {
        s += p;
        c++;
      }
    }
    set(v, TextMetric.MEAN_PERSISTENCE, 0, c == 0 ? Double.NaN : s / c);
  }

  private static void set(double[][] v, TextMetric m, int i, double value) {
    v[m.ordinal()][i] = Double.isFinite(value) ? value : Double.NaN;
  }

  /** The kept rows of a cloud, row-major. */
  static double[] rows(TokenCloud c, int[] keep) {
    int d = c.dimension();
    double[] all = c.toFlatArray();
    double[] r = new double[keep.length * d];
    for (int i = 0; i < keep.length; i++) {
      System.arraycopy(all, keep[i] * d, r, i * d, d);
    }
    return r;
  }

  private static double meanNorm(Gram g) {
    double s = 0;
    for (int i = 0; i < g.n; i++) {
      s += Math.sqrt(g.inner[i * g.n + i]);
    }
    return s / g.n;
  }

  /** sum_i |x_i|^2, the trace of G. */
  private static double trace(Gram g) {
    double s = 0;
    for (int i = 0; i < g.n; i++) {
      s += g.inner[i * g.n + i];
    }
    return s;
  }

  /** (1/n) sum_i |a_i - b_i|^2 over the n rows of a and b. */
  private static double meanSquaredDifference(double[] a, double[] b, int n) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double t = a[i] - b[i];
      s += t * t;
    }
    return s / n;
  }

  /**
   * Mean over tokens of cos(x_i, mean of the text's tokens), sum_j G_ij / (|x_i| |sum_j x_j|); NaN when the
   * mean is zero.
   */
  static double intraSimilarity(Gram g) {
    int n = g.n;
    double total = 0;
    for (double t : g.inner) {
      total += t;
    }
    if (!(total > 0)) {
      return Double.NaN;
    }
    double norm = Math.sqrt(total);
    double s = 0;
    for (int i = 0; i < n; i++) {
      double row = 0;
      for (int j = 0; j < n; j++) {
        row += g.inner[i * n + j];
      }
      s += row / (Math.sqrt(g.inner[i * n + i]) * norm);
    }
    return s / n;
  }
}
