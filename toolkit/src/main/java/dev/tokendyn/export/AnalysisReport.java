package dev.tokendyn.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokendyn.analysis.LayerAnalysis;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.metrics.CloudMetrics;
import dev.tokendyn.metrics.Transition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.knowm.xchart.XYChart;

/**
 * The output of {@code tokendyn analyze}: {@code report.json} ({@code tokendyn.report/1}) and the plots,
 * each as PNG and SVG, with one series per analysed model.
 *
 * <pre>{@code
 * {"schema": "tokendyn.report/1",
 *  "models": [{"name": "all-minilm-l6-v2", "info": {...}, "texts": 8, "tokens": 120,
 *              "layers": ["blocks.0.hook_resid_pre", ...],
 *              "within_text_mean_cosine": [...], "anisotropy": [...],
 *              "metrics": {tokendyn.metrics/1 of the pooled tokens}}],
 *  "plots": ["mean-cosine.png", ...]}
 * }</pre>
 */
public final class AnalysisReport {
  private AnalysisReport() {}

  /** The document; {@code info} maps each model name to extra facts (may be empty). */
  public static ObjectNode document(List<LayerAnalysis> analyses, Map<String, Map<String, Object>> info,
                                    List<String> plots) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("schema", Json.schema("report"));
    ArrayNode models = root.putArray("models");
    for (LayerAnalysis a : analyses) {
      ObjectNode m = models.addObject();
      m.put("name", a.name());
      m.set("info", Json.mapper().valueToTree(info.getOrDefault(a.name(), Map.of())));
      m.put("texts", a.texts().size());
      m.put("tokens", a.pooled().cloud(0).size());
      ArrayNode layers = m.putArray("layers");
      for (CloudSequence.Entry e : a.pooled().entries()) {
        layers.add(e.label());
      }
      numbers(m.putArray("within_text_mean_cosine"), a.withinTextMeanCosine());
      numbers(m.putArray("anisotropy"), a.anisotropy());
      ObjectNode metrics = a.metrics().toJson();
      metrics.remove("schema");
      m.set("metrics", metrics);
    }
    ArrayNode p = root.putArray("plots");
    plots.forEach(p::add);
    return root;
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
   * Writes {@code report.json} and every plot into {@code dir}.
   *
   * @param histogramLayers layers whose pairwise inner products get a histogram (layers a model lacks are
   *     skipped for that model)
   * @return the plot files written, relative to dir
   */
  public static List<String> write(Path dir, List<LayerAnalysis> analyses, Map<String, Map<String, Object>> info,
                                   int[] histogramLayers) throws IOException {
    List<String> plots = new ArrayList<>();
    String who = analyses.size() == 1 ? analyses.get(0).name() : analyses.size() + " models";
    perLayer(dir, plots, "mean-cosine", "Mean cosine between tokens of one text, " + who, "mean cosine <x_i, x_j>, i != j",
        analyses, a -> a.withinTextMeanCosine());
    perLayer(dir, plots, "anisotropy", "Anisotropy: mean cosine between tokens of different texts, " + who,
        "mean cosine across texts", analyses, a -> a.anisotropy());
    perLayer(dir, plots, "clusters", "Clusters of all tokens (cosine > threshold linked), " + who, "number of clusters",
        analyses, a -> cloudMetric(a, CloudMetrics::clusters));
    perLayer(dir, plots, "effective-rank", "Effective rank of the centred token cloud, " + who,
        "effective rank (exp of spectral entropy)", analyses, a -> cloudMetric(a, CloudMetrics::effectiveRank));
    perLayer(dir, plots, "intrinsic-dimension", "Intrinsic dimension (TwoNN) of the token cloud, " + who,
        "intrinsic dimension", analyses, a -> cloudMetric(a, CloudMetrics::intrinsicDimension));
    perTransition(dir, plots, "w2", "W2 between consecutive layers (exact optimal transport), " + who,
        "W2 distance (embedding units)", analyses, Transition::w2);
    perTransition(dir, plots, "identity-cost", "Mean squared displacement of each token between layers, " + who,
        "mean |x_i^{l+1} - x_i^l|^2", analyses, Transition::identityCost);
    perTransition(dir, plots, "transport-efficiency", "Transport efficiency W2^2 / identity cost, " + who,
        "W2^2 / identity cost (1 = optimal)", analyses, Transition::transportEfficiency);
    for (LayerAnalysis a : analyses) {
      String suffix = analyses.size() == 1 ? "" : "-" + slug(a.name());
      save(dir, plots, "inner-products" + suffix, innerProducts(a, histogramLayers));
      save(dir, plots, "pca-trajectories" + suffix, trajectories(a, 24));
    }
    Json.write(dir.resolve("report.json"), document(analyses, info, plots));
    return plots;
  }

  private static String slug(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]+", "-");
  }

  private static double[] cloudMetric(LayerAnalysis a, ToDoubleFunction<CloudMetrics> f) {
    return a.metrics().clouds().stream().mapToDouble(f).toArray();
  }

  private static double[] layers(LayerAnalysis a) {
    return a.pooled().entries().stream().mapToDouble(CloudSequence.Entry::position).toArray();
  }

  private static void perLayer(Path dir, List<String> plots, String file, String title, String yTitle,
                               List<LayerAnalysis> analyses, java.util.function.Function<LayerAnalysis, double[]> y)
      throws IOException {
    XYChart chart = null;
    for (LayerAnalysis a : analyses) {
      double[] v = y.apply(a);
      if (chart == null) {
        chart = Plots.lines(title, "layer (0 = embeddings)", yTitle, layers(a), Map.of(a.name(), finite(v)));
      } else {
        chart.addSeries(a.name(), layers(a), finite(v));
      }
    }
    Plots.widenFlatAxis(chart);
    save(dir, plots, file, chart);
  }

  private static void perTransition(Path dir, List<String> plots, String file, String title, String yTitle,
                                    List<LayerAnalysis> analyses, ToDoubleFunction<Transition> f) throws IOException {
    XYChart chart = null;
    for (LayerAnalysis a : analyses) {
      List<Transition> ts = a.metrics().transitions();
      if (ts.isEmpty()) {
        return;
      }
      double[] x = new double[ts.size()];
      double[] v = new double[ts.size()];
      double[] pos = layers(a);
      for (int i = 0; i < ts.size(); i++) {
        x[i] = 0.5 * (pos[i] + pos[i + 1]);
        v[i] = f.applyAsDouble(ts.get(i));
      }
      if (chart == null) {
        chart = Plots.lines(title, "between layers l and l + 1 (plotted at l + 1/2)", yTitle, x, Map.of(a.name(), finite(v)));
      } else {
        chart.addSeries(a.name(), x, finite(v));
      }
    }
    Plots.widenFlatAxis(chart);
    save(dir, plots, file, chart);
  }

  /** NaN (undefined) points are drawn at zero; the JSON keeps them as null. */
  private static double[] finite(double[] v) {
    double[] r = v.clone();
    for (int i = 0; i < r.length; i++) {
      if (!Double.isFinite(r[i])) {
        r[i] = 0;
      }
    }
    return r;
  }

  /** Histograms of the cosines between tokens of the same text, at the given layers. */
  static XYChart innerProducts(LayerAnalysis a, int[] chosen) {
    int bins = 40;
    double[] centres = new double[bins];
    for (int b = 0; b < bins; b++) {
      centres[b] = -1 + (b + 0.5) * 2.0 / bins;
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    int layers = a.pooled().size();
    for (int l : chosen) {
      if (l < 0) {
        throw new IllegalArgumentException("histogram layer must be >= 0, found " + l);
      }
      if (l >= layers) {
        continue; // a deeper layer than this model has; the other models of a comparison may have it
      }
      double[] h = new double[bins];
      long pairs = 0;
      for (CloudSequence t : a.texts()) {
        TokenCloud c = t.cloud(l);
        double[] u = c.normalizedToSphere().toFlatArray();
        int n = c.size();
        int d = c.dimension();
        for (int i = 0; i < n; i++) {
          for (int j = i + 1; j < n; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
              s += u[i * d + k] * u[j * d + k];
            }
            int b = (int) Math.floor((Math.max(-1, Math.min(1, s)) + 1) / 2 * bins);
            h[Math.min(bins - 1, b)]++;
            pairs++;
          }
        }
      }
      for (int b = 0; b < bins; b++) {
        h[b] = pairs == 0 ? 0 : h[b] / pairs / (2.0 / bins);
      }
      series.put("layer " + l, h);
    }
    return Plots.lines("Histogram of <x_i, x_j> / (|x_i| |x_j|) within each text, " + a.name(),
        "cosine between two tokens of one text", "density", centres, series);
  }

  /** The first tokens' paths across layers in the plane of the two leading principal components. */
  static XYChart trajectories(LayerAnalysis a, int maxTokens) {
    CloudSequence p = a.pooled();
    int layers = p.size();
    int n = p.cloud(0).size();
    int d = p.cloud(0).dimension();
    DMatrixRMaj x = new DMatrixRMaj(layers * n, d);
    double[] mean = new double[d];
    for (int l = 0; l < layers; l++) {
      double[] f = p.cloud(l).toFlatArray();
      System.arraycopy(f, 0, x.data, l * n * d, n * d);
      for (int i = 0; i < n * d; i++) {
        mean[i % d] += f[i] / (layers * (double) n);
      }
    }
    for (int r = 0; r < layers * n; r++) {
      for (int k = 0; k < d; k++) {
        x.data[r * d + k] -= mean[k];
      }
    }
    // the leading right singular vectors of the centred points, from the d x d scatter matrix
    DMatrixRMaj scatter = new DMatrixRMaj(d, d);
    org.ejml.dense.row.CommonOps_DDRM.multTransA(x, x, scatter);
    SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(d, d, false, true, true);
    if (!svd.decompose(scatter)) {
      throw new IllegalStateException("SVD of the " + d + "x" + d + " scatter matrix did not converge");
    }
    double[] sv = svd.getSingularValues();
    DMatrixRMaj vt = svd.getV(null, true);
    int[] order = java.util.stream.IntStream.range(0, sv.length).boxed()
        .sorted((i, j) -> Double.compare(sv[j], sv[i])).mapToInt(Integer::intValue).toArray();
    double total = 0;
    for (double s : sv) {
      total += s;
    }
    XYChart chart = null;
    int shown = Math.min(maxTokens, n);
    for (int i = 0; i < shown; i++) {
      double[] px = new double[layers];
      double[] py = new double[layers];
      for (int l = 0; l < layers; l++) {
        int r = l * n + i;
        for (int k = 0; k < d; k++) {
          px[l] += x.data[r * d + k] * vt.get(order[0], k);
          py[l] += x.data[r * d + k] * vt.get(order[1 % order.length], k);
        }
      }
      String label = "token " + i;
      if (chart == null) {
        chart = Plots.lines(String.format(Locale.ROOT,
                "Token paths across %d layers, first two principal components (%.0f%% of variance), %s", layers,
                100 * (sv[order[0]] + sv[order[1 % order.length]]) / total, a.name()),
            "principal component 1", "principal component 2", px, Map.of(label, py));
        chart.getStyler().setLegendVisible(false);
      } else {
        chart.addSeries(label, px, py);
      }
    }
    return chart;
  }

  private static void save(Path dir, List<String> plots, String name, XYChart chart) throws IOException {
    Plots.save(chart, dir.resolve(name + ".png"));
    Plots.save(chart, dir.resolve(name + ".svg"));
    plots.add(name + ".png");
    plots.add(name + ".svg");
  }
}
