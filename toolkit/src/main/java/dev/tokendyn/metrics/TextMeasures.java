package dev.tokendyn.metrics;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.transport.Transport;
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

  /** Told the cosine of every pair of a text's kept tokens, layer by layer. */
  @FunctionalInterface
  public interface PairCosines {
    /**
     * @param layer the layer's index in the sequence
     * @param cosines the n (n - 1) / 2 cosines of the pairs i &lt; j of the kept tokens, each clamped to
     *     [-1, 1]; valid during the call only
     * @param count how many entries of {@code cosines} are filled
     */
    void accept(int layer, double[] cosines, int count);
  }

  /**
   * As {@link #of(int, TextSequence, TextParams)}, also handing each layer's pairwise cosines to
   * {@code pairs} (null for none). The pairwise quantities of a layer (cosines, distances, the centred
   * spectrum and its principal axes) all come from one Gram matrix of its kept tokens ({@link Gram}).
   */
  public static TextMeasures of(int index, TextSequence text, TextParams params, PairCosines pairs) {
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
    double[] cos = pairs == null || n < 2 ? null : new double[n * (n - 1) / 2];
    for (int l = 0; l < layers && n >= 1; l++) {
      Gram g = Gram.of(x[l], n, d);
      grams[l] = g;
      for (int i = 0; i < n; i++) {
        if (!(g.inner[i * n + i] > 0)) {
          throw new IllegalArgumentException("point " + i + " is the zero vector; its cosine with other points is"
              + " undefined");
        }
      }
      set(v, TextMetric.MEAN_NORM, l, meanNorm(g));
      set(v, TextMetric.CLUSTERS, l, Clusters.of(g, params.threshold()).count());
      set(v, TextMetric.MSD, l, meanSquaredDifference(x[l], x[0], n));
      double ceiling = (squaredNorm(x[l]) + squaredNorm(x[0])) / n;
      set(v, TextMetric.MSD_SATURATION, l, ceiling > 0 ? meanSquaredDifference(x[l], x[0], n) / ceiling : Double.NaN);
      if (n >= 2) {
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
        if (cos != null) {
          pairs.accept(l, cos, p);
        }
        set(v, TextMetric.MEAN_COSINE, l, 2 * sum / ((double) n * (n - 1)));
        set(v, TextMetric.INTRA_TEXT_SIMILARITY, l, intraSimilarity(g));
        set(v, TextMetric.CLUSTERED_FRACTION, l, Clusters.clusteredFraction(g));
        double[] sigma = n <= d ? g.singularValues() : SingularValues.ofCentred(TokenCloud.ofFlat(n, d, x[l]));
        double stable = StableRank.fromSingularValues(sigma);
        if (Double.isFinite(stable)) {
          set(v, TextMetric.EFFECTIVE_RANK, l, EffectiveRank.fromSingularValues(sigma));
          set(v, TextMetric.STABLE_RANK, l, stable);
        }
        set(v, TextMetric.RANK_COLLAPSE, l, RankCollapse.of(TokenCloud.ofFlat(n, d, x[l])));
      }
      IntrinsicDimension.Estimate id = IntrinsicDimension.estimate(g, IntrinsicDimension.DEFAULT_DISCARD);
      set(v, TextMetric.INTRINSIC_DIMENSION, l, id.value());
    }
    double[] w2 = new double[Math.max(0, layers - 1)];
    for (int l = 0; l + 1 < layers && n >= 1; l++) {
      set(v, TextMetric.IDENTITY_COST, l, meanSquaredDifference(x[l + 1], x[l], n));
      RotationalShare.Result r = RotationalShare.of(grams[l], x[l + 1], params.rotationComponents());
      set(v, TextMetric.ROTATIONAL_SHARE, l, r.share());
      set(v, TextMetric.AFFINE_R2, l, r.affineR2());
      if (l >= 1) {
        set(v, TextMetric.PERSISTENCE, l, Persistence.of(x[l - 1], x[l], x[l + 1], n, d));
      }
      if (params.transport()) {
        w2[l] = Transport.w2(TokenCloud.ofFlat(n, d, x[l]), TokenCloud.ofFlat(n, d, x[l + 1]));
        set(v, TextMetric.W2, l, w2[l]);
      }
    }
    float[][] attention = text.attention();
    if (attention != null) {
      boolean[] plain = new boolean[text.size()];
      boolean[] special = text.special();
      for (int i = 0; i < plain.length; i++) {
        plain[i] = !special[i];
      }
      int heads = text.heads();
      for (int b = 0; b < Math.min(attention.length, layers - 1); b++) {
        double all = 0;
        double kept = 0;
        int keptHeads = 0;
        for (int h = 0; h < heads; h++) {
          all += DoublyStochastic.defect(attention[b], heads, text.size(), h, null);
          double k = DoublyStochastic.defect(attention[b], heads, text.size(), h, plain);
          if (!Double.isNaN(k)) {
            kept += k;
            keptHeads++;
          }
        }
        set(v, TextMetric.DOUBLY_STOCHASTIC_DEFECT, b, all / heads);
        set(v, TextMetric.DOUBLY_STOCHASTIC_DEFECT_PLAIN, b, keptHeads == 0 ? Double.NaN : kept / keptHeads);
      }
    }
    if (params.transport() && layers >= 2 && n >= 1) {
      double direct = Transport.w2(TokenCloud.ofFlat(n, d, x[0]), TokenCloud.ofFlat(n, d, x[layers - 1]));
      set(v, TextMetric.GEODESIC_RATIO, 0, GeodesicRatio.of(w2, direct));
    }
    if (layers >= 2 && n >= 1) {
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
    return new TextMeasures(index, text.size(), n, v);
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

  private static double squaredNorm(double[] x) {
    double s = 0;
    for (double t : x) {
      s += t * t;
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
