package dev.tokendyn.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokendyn.analysis.CorpusAnalysis;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.metrics.IntrinsicDimension;
import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextMeasures;
import dev.tokendyn.metrics.TextMetric;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The output of {@code tokendyn analyze}: {@code report.json} ({@code tokendyn.report/2}) and the plots,
 * each as PNG and SVG, with one series per analysed model.
 *
 * <pre>{@code
 * {"schema": "tokendyn.report/2",
 *  "models": [{"name": "all-minilm-l6-v2", "info": {...}, "texts": 8, "tokens": 120, "kept_tokens": 104,
 *              "special_tokens": "drop", "params": {...}, "undefined_texts": {"rotational_share": 2, ...},
 *              "layers": [{"layer": 0, "site": "blocks.0.hook_resid_pre",
 *                          "metrics": {"mean_cosine": {"mean": .., "sd": .., "ci_low": .., "ci_high": ..,
 *                                                      "texts": 8, "undefined": 0}, ...}}, ...],
 *              "pooled": [{"layer": 0, "anisotropy_baseline": .., ...}, ...],
 *              "transitions": [{"from": 0, "to": 1, "metrics": {"rotational_share": {..., "scope": "per_text"},
 *                               "pooled_w2": {"value": .., "scope": "pooled", "sample": 1000}, ...}}, ...],
 *              "spreading": {...}}],
 *  "plots": ["mean-cosine.png", ...]}
 * }</pre>
 * Every field is defined in the schema ({@code report.schema.json}); undefined values are {@code null}.
 */
public final class AnalysisReport {
  private AnalysisReport() {}

  /** The document; {@code info} maps each model name to extra facts (may be empty). */
  public static ObjectNode document(List<CorpusAnalysis.Result> analyses, Map<String, Map<String, Object>> info,
                                    List<String> plots) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("schema", Json.schema("report"));
    ArrayNode models = root.putArray("models");
    for (CorpusAnalysis.Result a : analyses) {
      model(models.addObject(), a, info.getOrDefault(a.name(), Map.of()));
    }
    ArrayNode p = root.putArray("plots");
    plots.forEach(p::add);
    return root;
  }

  private static void model(ObjectNode m, CorpusAnalysis.Result a, Map<String, Object> info) {
    m.put("name", a.name());
    m.set("info", Json.mapper().valueToTree(info));
    m.put("texts", a.texts());
    m.put("tokens", a.tokens());
    m.put("kept_tokens", a.keptTokens());
    m.put("special_tokens", a.params().text().dropSpecial() ? "drop" : "keep");
    ObjectNode p = m.putObject("params");
    p.put("threshold", a.params().text().threshold());
    p.put("rotation_components", a.params().text().rotationComponents());
    p.put("transport", a.params().text().transport());
    p.put("pooled_sample", a.sampleSize());
    p.put("sliced_projections", a.params().slicedProjections());
    p.put("sinkhorn_scale", a.params().sinkhornScale());
    p.put("sinkhorn_stop_threshold", dev.tokendyn.analysis.CorpusAnalysis.SINKHORN_STOP);
    p.put("bootstrap_resamples", a.params().resamples());
    p.put("seed", a.params().seed());
    p.put("standardize", a.params().standardize());
    p.put("intrinsic_dimension_sample", Math.min(a.sampleSize(),
        dev.tokendyn.analysis.CorpusParams.INTRINSIC_DIMENSION_SAMPLE));
    ObjectNode undefined = m.putObject("undefined_texts");
    for (TextMetric t : a.summaries().keySet()) {
      undefined.put(t.jsonName(), a.textsWithUndefined(t));
    }
    ArrayNode layers = m.putArray("layers");
    Summary[] meanAdj = a.adjusted(TextMetric.MEAN_COSINE);
    Summary[] intraAdj = a.adjusted(TextMetric.INTRA_TEXT_SIMILARITY);
    for (int l = 0; l < a.sites().size(); l++) {
      ObjectNode e = layers.addObject();
      e.put("layer", (int) Math.round(a.positions()[l]));
      e.put("site", a.sites().get(l));
      ObjectNode ms = e.putObject("metrics");
      for (var s : a.summaries().entrySet()) {
        if (s.getKey().scope() == TextMetric.Scope.LAYER) {
          summary(ms.putObject(s.getKey().jsonName()), s.getValue()[l]);
          if (s.getKey() == TextMetric.MEAN_COSINE) {
            summary(ms.putObject("mean_cosine_adjusted"), meanAdj[l]);
          } else if (s.getKey() == TextMetric.INTRA_TEXT_SIMILARITY) {
            summary(ms.putObject("intra_text_similarity_adjusted"), intraAdj[l]);
          }
        }
      }
    }
    ArrayNode pooled = m.putArray("pooled");
    for (int l = 0; l < a.pooled().size(); l++) {
      CorpusAnalysis.PooledLayer q = a.pooled().get(l);
      ObjectNode e = pooled.addObject();
      e.put("layer", (int) Math.round(a.positions()[l]));
      e.put("tokens", q.tokens());
      number(e, "anisotropy_baseline", q.anisotropyBaseline());
      number(e, "top3_dimension_share", q.topDimensionShare());
      number(e, "self_similarity", q.selfSimilarity());
      number(e, "self_similarity_adjusted", q.selfSimilarity() - q.anisotropyBaseline());
      e.put("self_similarity_words", q.selfSimilarityWords());
      ObjectNode id = e.putObject("intrinsic_dimension");
      IntrinsicDimension.Estimate est = q.intrinsicDimension();
      if (est != null) {
        number(id, "value", est.value());
        id.put("points", est.points());
        id.put("dropped", est.dropped());
        if (est.reason() == null) {
          id.putNull("reason");
        } else {
          id.put("reason", est.reason());
        }
        ArrayNode sizes = id.putArray("decimation_sizes");
        for (int s : q.decimation().sizes()) {
          sizes.add(s);
        }
        numbers(id.putArray("decimation_values"), q.decimation().values());
        number(id, "plateau", q.decimation().plateau());
      }
    }
    ArrayNode ts = m.putArray("transitions");
    for (int l = 0; l < a.transitions().size(); l++) {
      ObjectNode e = ts.addObject();
      e.put("from", (int) Math.round(a.positions()[l]));
      e.put("to", (int) Math.round(a.positions()[l + 1]));
      ObjectNode ms = e.putObject("metrics");
      for (var s : a.summaries().entrySet()) {
        if (s.getKey().scope() == TextMetric.Scope.TRANSITION) {
          ObjectNode o = ms.putObject(s.getKey().jsonName());
          summary(o, s.getValue()[l]);
          o.put("scope", "per_text");
        }
      }
      CorpusAnalysis.PooledTransition q = a.transitions().get(l);
      pooledValue(ms, "pooled_rotational_share", q.rotation().share(), a.sampleSize());
      pooledValue(ms, "pooled_affine_r2", q.rotation().affineR2(), a.sampleSize());
      if (a.params().text().transport()) {
        pooledValue(ms, "pooled_w2", q.w2(), a.sampleSize());
        pooledValue(ms, "pooled_sinkhorn_divergence", q.sinkhornDivergence(), a.sampleSize());
        pooledValue(ms, "pooled_sinkhorn_reg", q.sinkhornReg(), a.sampleSize());
        pooledValue(ms, "pooled_sliced", q.sliced(), a.sampleSize());
        ObjectNode all = ms.putObject("sliced_all_tokens");
        number(all, "value", q.slicedAllTokens());
        all.put("scope", "all_tokens");
        all.put("tokens", a.keptTokens());
        all.put("bins", dev.tokendyn.metrics.DyadicHistogram.BINS);
      }
    }
    ObjectNode sp = m.putObject("spreading");
    for (var s : a.summaries().entrySet()) {
      if (s.getKey().scope() == TextMetric.Scope.SEQUENCE) {
        ObjectNode o = sp.putObject(s.getKey().jsonName());
        summary(o, s.getValue()[0]);
        o.put("scope", "per_text");
      }
    }
    if (a.params().text().transport()) {
      pooledValue(sp, "pooled_geodesic_ratio", a.pooledGeodesicRatio(), a.sampleSize());
    }
  }

  private static void summary(ObjectNode o, Summary s) {
    number(o, "mean", s.mean());
    number(o, "sd", s.sd());
    number(o, "ci_low", s.ciLow());
    number(o, "ci_high", s.ciHigh());
    o.put("texts", s.texts());
    o.put("undefined", s.undefined());
  }

  private static void pooledValue(ObjectNode ms, String key, double v, int sample) {
    ObjectNode o = ms.putObject(key);
    number(o, "value", v);
    o.put("scope", "pooled");
    o.put("sample", sample);
  }

  static void number(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  private static void numbers(ArrayNode arr, double[] v) {
    for (double x : v) {
      if (Double.isFinite(x)) {
        arr.add(x);
      } else {
        arr.addNull();
      }
    }
  }

  /**
   * One JSON line per text: its index, token counts, and every per-text metric by scope.
   * {@code {"index": 0, "tokens": 14, "kept": 12, "layers": {"mean_cosine": [...], ...},
   * "transitions": {...}, "spreading": {...}}}
   */
  public static void writePerText(Writer w, List<TextMeasures> texts, boolean transport) throws IOException {
    for (TextMeasures t : texts) {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("index", t.index());
      o.put("tokens", t.tokens());
      o.put("kept", t.kept());
      ObjectNode layers = o.putObject("layers");
      ObjectNode steps = o.putObject("transitions");
      ObjectNode seq = o.putObject("spreading");
      for (TextMetric m : TextMetric.values()) {
        if (m.needsTransport() && !transport) {
          continue;
        }
        double[] v = t.values(m);
        switch (m.scope()) {
          case LAYER -> numbers(layers.putArray(m.jsonName()), v);
          case TRANSITION -> numbers(steps.putArray(m.jsonName()), v);
          case SEQUENCE -> number(seq, m.jsonName(), v[0]);
        }
      }
      w.write(Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(o));
      w.write('\n');
    }
  }

  /**
   * Writes {@code report.json} and every plot into {@code dir}.
   *
   * @param histogramLayers layers whose within-text cosines get a histogram (layers a model lacks are
   *     skipped for that model)
   * @return the plot files written, relative to dir
   */
  public static List<String> write(Path dir, List<CorpusAnalysis.Result> analyses,
                                   Map<String, Map<String, Object>> info, int[] histogramLayers) throws IOException {
    Charts plots = new Charts();
    String who = analyses.size() == 1 ? analyses.get(0).name() : analyses.size() + " models";
    String per = " (mean over texts, 95% bootstrap interval)";
    perLayer(plots, "mean-cosine", "Mean cosine between tokens of one text" + per + ", " + who, "mean cosine",
        analyses, a -> a.summaries().get(TextMetric.MEAN_COSINE));
    perLayer(plots, "intra-text-similarity-adjusted",
        "Intra-text similarity minus the anisotropy baseline" + per + ", " + who,
        "cos(token, text mean) - baseline", analyses, a -> a.adjusted(TextMetric.INTRA_TEXT_SIMILARITY));
    pooledLayer(plots, "anisotropy", "Anisotropy baseline: mean cosine between tokens of different texts, " + who,
        "expected cosine across texts", analyses, a -> a.pooled().stream()
            .mapToDouble(CorpusAnalysis.PooledLayer::anisotropyBaseline).toArray());
    perLayer(plots, "effective-rank", "Effective rank of each text's centred tokens" + per + ", " + who,
        "effective rank", analyses, a -> a.summaries().get(TextMetric.EFFECTIVE_RANK));
    pooledLayer(plots, "intrinsic-dimension", "Intrinsic dimension (TwoNN) of the pooled sample, " + who,
        "intrinsic dimension", analyses, a -> a.pooled().stream()
            .mapToDouble(q -> q.intrinsicDimension() == null ? Double.NaN : q.intrinsicDimension().value()).toArray());
    perLayer(plots, "msd-saturation", "MSD from layer 0 against its ceiling |x^l|^2 + |x^0|^2" + per + ", "
        + who, "MSD / ceiling", analyses, a -> a.summaries().get(TextMetric.MSD_SATURATION));
    if (analyses.get(0).params().text().transport()) {
      pooledTransition(plots, "w2", "W2 between consecutive layers (exact, pooled sample), " + who,
          "W2 (embedding units)", analyses, a -> a.transitions().stream()
              .mapToDouble(CorpusAnalysis.PooledTransition::w2).toArray());
    }
    // the pooled share: a text needs 3k tokens for its own, which short texts lack (their values are in the JSON)
    pooledTransition(plots, "rotational-share", "Rotational share of each layer's displacement field, pooled"
        + " sample, " + who, "rotational share (0 gradient, 1 rotation)", analyses, a -> a.transitions().stream()
            .mapToDouble(t -> t.rotation().share()).toArray());
    perTransition(plots, "persistence", "Persistence: cosine between a token's consecutive steps" + per + ", "
        + who, "cos(delta_{l-1}, delta_l)", analyses, a -> a.summaries().get(TextMetric.PERSISTENCE));
    for (CorpusAnalysis.Result a : analyses) {
      String suffix = analyses.size() == 1 ? "" : "-" + slug(a.name());
      plots.add("inner-products" + suffix, innerProducts(a, histogramLayers));
      XYChart t = trajectories(a);
      if (t != null) {
        plots.add("pca-trajectories" + suffix, t);
      }
    }
    plots.render(dir);
    Json.write(dir.resolve("report.json"), document(analyses, info, plots.files));
    return plots.files;
  }

  /**
   * The report's charts, made in order and then rendered side by side: each chart is its own image, and
   * rendering (rasterising, PNG compression, SVG) is most of a report's time.
   */
  private static final class Charts {
    final List<String> files = new ArrayList<>();
    final List<Map.Entry<String, XYChart>> charts = new ArrayList<>();

    void add(String name, XYChart chart) {
      files.add(name + ".png");
      files.add(name + ".svg");
      charts.add(Map.entry(name, chart));
    }

    void render(Path dir) throws IOException {
      try {
        charts.parallelStream().forEach(c -> {
          try {
            Plots.save(c.getValue(), dir.resolve(c.getKey() + ".png"));
            Plots.save(c.getValue(), dir.resolve(c.getKey() + ".svg"));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  private static String slug(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]+", "-");
  }

  /** Adds one model's series to a chart (null before the first) at the given x. */
  @FunctionalInterface
  private interface Series {
    XYChart add(XYChart chart, String xTitle, CorpusAnalysis.Result a, double[] x);
  }

  /**
   * One chart with a series per model, against the layer or, for {@code steps}, against the midpoint of each
   * step l -&gt; l+1 (skipped when a model has fewer than two layers); saved as PNG and SVG.
   */
  private static void chart(Charts plots, String file, List<CorpusAnalysis.Result> analyses,
                            boolean steps, Series series) {
    XYChart chart = null;
    for (CorpusAnalysis.Result a : analyses) {
      if (steps && a.positions().length < 2) {
        return;
      }
      chart = steps
          ? series.add(chart, "between layers l and l + 1 (plotted at l + 1/2)", a, midpoints(a.positions()))
          : series.add(chart, "layer (0 = embeddings)", a, a.positions());
    }
    Plots.widenFlatAxis(chart);
    plots.add(file, chart);
  }

  private static void perLayer(Charts plots, String file, String title, String yTitle,
                               List<CorpusAnalysis.Result> analyses, Function<CorpusAnalysis.Result, Summary[]> y) {
    chart(plots, file, analyses, false, (c, xt, a, x) -> withBars(c, title, xt, yTitle, a.name(), x, y.apply(a)));
  }

  private static void perTransition(Charts plots, String file, String title, String yTitle,
                                    List<CorpusAnalysis.Result> analyses,
                                    Function<CorpusAnalysis.Result, Summary[]> y) {
    chart(plots, file, analyses, true, (c, xt, a, x) -> withBars(c, title, xt, yTitle, a.name(), x, y.apply(a)));
  }

  private static void pooledLayer(Charts plots, String file, String title, String yTitle,
                                  List<CorpusAnalysis.Result> analyses, Function<CorpusAnalysis.Result, double[]> y) {
    chart(plots, file, analyses, false,
        (c, xt, a, x) -> finiteSeries(c, title, xt, yTitle, a.name(), x, y.apply(a)));
  }

  private static void pooledTransition(Charts plots, String file, String title, String yTitle,
                                       List<CorpusAnalysis.Result> analyses,
                                       Function<CorpusAnalysis.Result, double[]> y) {
    chart(plots, file, analyses, true,
        (c, xt, a, x) -> finiteSeries(c, title, xt, yTitle, a.name(), x, y.apply(a)));
  }

  private static double[] midpoints(double[] pos) {
    double[] x = new double[pos.length - 1];
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.5 * (pos[i] + pos[i + 1]);
    }
    return x;
  }

  /** Adds a series of means with error bars to the 95% interval; undefined entries are left out. */
  private static XYChart withBars(XYChart chart, String title, String xTitle, String yTitle, String name, double[] x,
                                  Summary[] s) {
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < s.length; i++) {
      if (Double.isFinite(s[i].mean())) {
        double half = Double.isFinite(s[i].ciLow()) ? Math.max(s[i].mean() - s[i].ciLow(), s[i].ciHigh() - s[i].mean())
            : 0;
        pts.add(new double[] {x[i], s[i].mean(), half});
      }
    }
    double[] px = pts.stream().mapToDouble(p -> p[0]).toArray();
    double[] py = pts.stream().mapToDouble(p -> p[1]).toArray();
    double[] pe = pts.stream().mapToDouble(p -> p[2]).toArray();
    if (px.length == 0) {
      px = new double[] {x.length == 0 ? 0 : x[0]};
      py = new double[] {0};
      pe = new double[] {0};
    }
    if (chart == null) {
      chart = Plots.lines(title, xTitle, yTitle, new double[0], Map.of());
    }
    chart.addSeries(name, px, py, pe).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    return chart;
  }

  private static XYChart finiteSeries(XYChart chart, String title, String xTitle, String yTitle, String name,
                                      double[] x, double[] y) {
    List<double[]> pts = new ArrayList<>();
    for (int i = 0; i < y.length; i++) {
      if (Double.isFinite(y[i])) {
        pts.add(new double[] {x[i], y[i]});
      }
    }
    double[] px = pts.isEmpty() ? new double[] {x.length == 0 ? 0 : x[0]} : pts.stream().mapToDouble(p -> p[0]).toArray();
    double[] py = pts.isEmpty() ? new double[] {0} : pts.stream().mapToDouble(p -> p[1]).toArray();
    if (chart == null) {
      return Plots.lines(title, xTitle, yTitle, px, Map.of(name, py));
    }
    chart.addSeries(name, px, py).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    return chart;
  }

  /** Histograms of the cosines between measured tokens of the same text, at the given layers. */
  static XYChart innerProducts(CorpusAnalysis.Result a, int[] chosen) {
    int bins = CorpusAnalysis.HISTOGRAM_BINS;
    double[] centres = new double[bins];
    for (int b = 0; b < bins; b++) {
      centres[b] = -1 + (b + 0.5) * 2.0 / bins;
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    for (int l : chosen) {
      if (l < 0) {
        throw new IllegalArgumentException("histogram layer must be >= 0, found " + l);
      }
      if (l < a.cosineHistogram().length) {
        series.put("layer " + l, a.cosineHistogram()[l]);
      }
    }
    return Plots.lines("Histogram of the cosine between two tokens of one text, " + a.name(),
        "cosine between two tokens of one text", "density", centres, series);
  }

  /** The first tokens' paths across layers in the plane of the two leading principal components; null for < 2 tokens. */
  static XYChart trajectories(CorpusAnalysis.Result a) {
    double[][] p = a.paths();
    int layers = p.length;
    int width = a.width();
    int n = width == 0 ? 0 : p[0].length / width;
    if (n < 2 || width < 2) {
      return null;
    }
    int rows = layers * n;
    double[] x = new double[rows * width];
    double[] mean = new double[width];
    for (int l = 0; l < layers; l++) {
      System.arraycopy(p[l], 0, x, l * n * width, n * width);
      for (int i = 0; i < n * width; i++) {
        mean[i % width] += p[l][i] / (layers * (double) n);
      }
    }
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < width; k++) {
        x[r * width + k] -= mean[k];
      }
    }
    PrincipalCoordinates pc = principalCoordinates(x, rows, width);
    XYChart chart = null;
    for (int i = 0; i < n; i++) {
      double[] px = new double[layers];
      double[] py = new double[layers];
      for (int l = 0; l < layers; l++) {
        px[l] = pc.first()[l * n + i];
        py[l] = pc.second()[l * n + i];
      }
      String label = "token " + i;
      if (chart == null) {
        chart = Plots.lines(String.format(Locale.ROOT,
                "Token paths across %d layers, first two principal components (%.0f%% of variance), %s", layers,
                100 * pc.share(), a.name()),
            "principal component 1", "principal component 2", px, Map.of(label, py));
        chart.getStyler().setLegendVisible(false);
      } else {
        chart.addSeries(label, px, py);
      }
    }
    return chart;
  }


  /**
   * The coordinates of the rows of a centred matrix on its first two principal axes, and the share of the
   * variance those axes carry.
   *
   * @param first coordinates on the first axis, one per row
   * @param second on the second
   * @param share (lambda_1 + lambda_2) / sum lambda
   */
  record PrincipalCoordinates(double[] first, double[] second, double share) {}

  /**
   * Principal coordinates of the rows of the centred row-major {@code rows x width} matrix X, from the
   * eigendecomposition of the smaller of X X^T and X^T X (the same nonzero eigenvalues): with the Gram
   * matrix X X^T, the coordinates on axis a are sqrt(lambda_a) u_a; with the scatter X^T X, X v_a. An axis's
   * sign is arbitrary; each is turned so that its largest coordinate in absolute value is positive.
   */
  static PrincipalCoordinates principalCoordinates(double[] x, int rows, int width) {
    boolean gram = rows <= width;
    int size = gram ? rows : width;
    double[] m = gram ? dev.tokendyn.kernel.MatrixProduct.timesTransposed(x, rows, x, rows, width)
        : dev.tokendyn.kernel.MatrixProduct.timesTransposed(
            dev.tokendyn.kernel.MatrixProduct.transposed(x, rows, width, rows), width,
            dev.tokendyn.kernel.MatrixProduct.transposed(x, rows, width, rows), width, rows);
    var eig = DecompositionFactory_DDRM.eig(size, true, true);
    if (!eig.decompose(new DMatrixRMaj(size, size, true, m))) {
      throw new IllegalStateException("the eigendecomposition of a " + size + "x" + size + " matrix did not converge");
    }
    int top = -1;
    int next = -1;
    double total = 0;
    for (int a = 0; a < size; a++) {
      double v = eig.getEigenvalue(a).getReal();
      total += Math.max(0, v);
      if (top < 0 || v > eig.getEigenvalue(top).getReal()) {
        next = top;
        top = a;
      } else if (next < 0 || v > eig.getEigenvalue(next).getReal()) {
        next = a;
      }
    }
    double[][] coords = new double[2][rows];
    int[] axes = {top, next};
    for (int c = 0; c < 2; c++) {
      if (axes[c] < 0) {
        continue;
      }
      DMatrixRMaj u = eig.getEigenVector(axes[c]);
      double lambda = Math.max(0, eig.getEigenvalue(axes[c]).getReal());
      for (int r = 0; r < rows; r++) {
        if (gram) {
          coords[c][r] = Math.sqrt(lambda) * u.get(r, 0);
        } else {
          double s = 0;
          for (int k = 0; k < width; k++) {
            s += x[r * width + k] * u.get(k, 0);
          }
          coords[c][r] = s;
        }
      }
      int big = 0;
      for (int r = 1; r < rows; r++) {
        if (Math.abs(coords[c][r]) > Math.abs(coords[c][big])) {
          big = r;
        }
      }
      if (coords[c][big] < 0) {
        for (int r = 0; r < rows; r++) {
          coords[c][r] = -coords[c][r];
        }
      }
    }
    double carried = (top < 0 ? 0 : Math.max(0, eig.getEigenvalue(top).getReal()))
        + (next < 0 ? 0 : Math.max(0, eig.getEigenvalue(next).getReal()));
    return new PrincipalCoordinates(coords[0], coords[1], total > 0 ? carried / total : Double.NaN);
  }
}
