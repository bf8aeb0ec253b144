package dev.tokendyn.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.analysis.AttentionFlow;
import dev.tokendyn.analysis.Coordinates;
import dev.tokendyn.analysis.DynamicsFit;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code tokendyn.fit/2} document and its plots:
 * <pre>{@code
 * {"schema": "tokendyn.fit/2", "source": "all-minilm-l6-v2", "model": "all-minilm-l6-v2", "dynamics": "sa",
 *  "objective": "gram", "coordinates": "sphere", "parameters": "per_layer", "texts": 8,
 *  "explained": 0.41, "explained_ci": [0.35, 0.47], "residual": .., "static_residual": .., "ceiling": 1.0,
 *  "identifiable": false, "beta": null, "time_per_layer": null, ...,
 *  "layers": [{"layer": 1, "beta": 2.1, "time": 0.3, "beta_ci": [1.7, 2.6], "time_ci": [..], "identifiable": true,
 *              "beta_flat_range": [2, 2.8], "time_flat_range": [..], "explained": .., "ceiling": ..,
 *              "profile": {"beta": [..], "objective": [..], "time": [..]},
 *              "attention": {"explained": 0.3, "mlp_left": 0.7, "flow_error": 3e-7}, "value": null}, ...],
 *  "profile": null, "curves": {"layer": [0, 1, ...], "mean_cosine_model": [..], "mean_cosine_fit": [..]}}
 * }</pre>
 * {@code residual} and {@code static_residual} are the objective's scores summed over texts and layers, of
 * the fitted flow and of tokens that stay put; {@code objective} in the profiles is R = residual / static
 * residual (1 - explained). A parameter that is
 * not identifiable has {@code null} in place of its value, and its flat range says where the objective is
 * flat; with global parameters every layer carries the same values.
 */
public final class FitReport {
  /** The schema tag. */
  public static final String SCHEMA = "tokendyn.fit/2";

  private FitReport() {}

  private static Double value(DynamicsFit.Parameter p) {
    return p == null || !p.identifiable() ? null : p.atMinimum();
  }

  private static Map<String, Object> profile(DynamicsFit.Profile p) {
    if (p == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("beta", p.beta());
    m.put("objective", p.objective());
    m.put("time", p.time());
    return m;
  }

  /**
   * @param model the model's name, or null for a sequence read from a file
   * @param attention the model's attention sublayers as particle steps, or null
   */
  public static Map<String, Object> document(String source, String model, Coordinates coordinates,
      DynamicsFit.Result r, AttentionFlow attention) {
    DynamicsFit.Options o = r.options();
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", SCHEMA);
    doc.put("source", source);
    doc.put("model", model);
    doc.put("dynamics", "sa");
    doc.put("objective", o.objective().name().toLowerCase(Locale.ROOT));
    doc.put("coordinates", coordinates.name().toLowerCase(Locale.ROOT));
    doc.put("parameters", o.perLayer() ? "per_layer" : "global");
    doc.put("texts", r.texts());
    doc.put("explained", r.explained());
    doc.put("explained_ci", r.explainedCi());
    doc.put("residual", r.residual());
    doc.put("static_residual", r.staticResidual());
    doc.put("ceiling", r.ceiling());
    doc.put("identifiable", r.identifiable());
    doc.put("beta", value(r.beta()));
    doc.put("time_per_layer", value(r.time()));
    doc.put("beta_ci", r.beta() == null ? null : r.beta().ci());
    doc.put("time_ci", r.time() == null ? null : r.time().ci());
    doc.put("beta_flat_range", r.beta() == null ? null : r.beta().flatRange());
    doc.put("time_flat_range", r.time() == null ? null : r.time().flatRange());
    doc.put("steps_per_layer", o.stepsPerLayer());
    doc.put("evaluations", r.evaluations());
    Map<String, Object> boot = new LinkedHashMap<>();
    boot.put("samples", o.bootstrap());
    boot.put("seed", o.seed());
    doc.put("bootstrap", boot);
    doc.put("flat_tolerance", o.flatTolerance());
    doc.put("fit_value", o.fitValue());
    doc.put("ridge", o.fitValue() ? o.ridge() : null);
    List<Map<String, Object>> layers = new ArrayList<>();
    for (DynamicsFit.Layer l : r.layers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layer", l.layer());
      m.put("beta", value(l.beta()));
      m.put("time", value(l.time()));
      m.put("beta_ci", l.beta().ci());
      m.put("time_ci", l.time().ci());
      m.put("identifiable", l.beta().identifiable() && l.time().identifiable());
      m.put("beta_identifiable", l.beta().identifiable());
      m.put("time_identifiable", l.time().identifiable());
      m.put("beta_flat_range", l.beta().flatRange());
      m.put("time_flat_range", l.time().flatRange());
      m.put("explained", l.explained());
      m.put("residual", l.residual());
      m.put("static_residual", l.staticResidual());
      m.put("ceiling", l.ceiling());
      m.put("profile", profile(l.profile()));
      AttentionFlow.Layer a = attention == null ? null : attention.layers().get(l.layer() - 1);
      if (a != null) {
        Map<String, Object> am = new LinkedHashMap<>();
        am.put("explained", a.attentionExplained());
        am.put("mlp_left", a.mlpLeft());
        am.put("flow_error", a.flowError());
        m.put("attention", am);
      } else {
        m.put("attention", null);
      }
      if (l.value() != null) {
        DynamicsFit.ValueFit v = l.value();
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("beta", v.beta());
        vm.put("ridge", v.ridge());
        vm.put("lambda", v.lambda());
        vm.put("explained", v.explained());
        vm.put("residual", v.residual());
        vm.put("static_residual", v.staticResidual());
        vm.put("frobenius", frobenius(v.w()));
        vm.put("iterations", v.iterations());
        m.put("value", vm);
      } else {
        m.put("value", null);
      }
      layers.add(m);
    }
    doc.put("layers", layers);
    doc.put("profile", profile(r.profile()));
    Map<String, Object> curves = new LinkedHashMap<>();
    int[] idx = new int[r.modelMeanCosine().length];
    for (int l = 0; l < idx.length; l++) {
      idx[l] = l;
    }
    curves.put("layer", idx);
    curves.put("mean_cosine_model", r.modelMeanCosine());
    curves.put("mean_cosine_fit", r.fitMeanCosine());
    doc.put("curves", curves);
    return doc;
  }

  private static double frobenius(double[] w) {
    double s = 0;
    for (double x : w) {
      s += x * x;
    }
    return Math.sqrt(s);
  }

  public static void write(Path path, String source, String model, Coordinates c, DynamicsFit.Result r,
      AttentionFlow attention) throws IOException {
    Json.write(path, document(source, model, c, r, attention));
  }

  /**
   * The plots beside {@code stem}: {@code stem.png} (mean cosine per layer, the model's and the fit's),
   * {@code stem-layers.png} (explained fraction, ceiling and attention share per layer) and
   * {@code stem-profile.png} (R against log2 beta).
   *
   * @return the files written
   */
  public static List<Path> writePlots(Path dir, String stem, String source, DynamicsFit.Result r,
      AttentionFlow attention) throws IOException {
    List<Path> out = new ArrayList<>();
    double[] x = new double[r.modelMeanCosine().length];
    for (int l = 0; l < x.length; l++) {
      x[l] = l;
    }
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put(source, r.modelMeanCosine());
    s.put(r.options().perLayer() ? "SA fit, one step a layer from the real previous layer"
        : String.format(Locale.ROOT, "SA fit from layer 0%s", r.beta().identifiable()
            ? String.format(Locale.ROOT, ": beta %.3g, t/layer %.3g", r.beta().atMinimum(), r.time().atMinimum())
            : " (beta not identifiable)"), r.fitMeanCosine());
    Path cos = dir.resolve(stem + ".png");
    Plots.save(Plots.lines("Mean cosine per layer: " + source + " and its fitted SA dynamics", "layer",
        "mean cosine <x_i, x_j>, i != j", x, s), cos);
    out.add(cos);
    int n = r.layers().size();
    double[] lx = new double[n];
    double[] ex = new double[n];
    double[] ce = new double[n];
    double[] at = new double[n];
    for (int i = 0; i < n; i++) {
      DynamicsFit.Layer l = r.layers().get(i);
      lx[i] = l.layer();
      ex[i] = l.explained();
      ce[i] = l.ceiling();
      at[i] = attention == null ? Double.NaN : attention.layers().get(l.layer() - 1).attentionExplained();
    }
    Map<String, double[]> ls = new LinkedHashMap<>();
    String obj = r.options().objective().name().toLowerCase(Locale.ROOT);
    ls.put("SA flow, explained (" + obj + ")", ex);
    ls.put("ceiling of any V = I flow (" + obj + ")", ce);
    if (attention != null) {
      ls.put("the model's attention sublayer, explained (positions)", at);
    }
    Path lp = dir.resolve(stem + "-layers.png");
    Plots.save(Plots.lines(source + ": how much of each layer's step is explained", "layer", "explained fraction", lx,
        ls), lp);
    out.add(lp);
    Map<String, double[]> ps = new LinkedHashMap<>();
    double[] px = null;
    if (r.profile() != null) {
      px = log2(r.profile().beta());
      ps.put("R(beta), best time at each beta", r.profile().objective());
    } else {
      for (DynamicsFit.Layer l : r.layers()) {
        px = log2(l.profile().beta());
        ps.put("layer " + l.layer(), l.profile().objective());
      }
    }
    Path pp = dir.resolve(stem + "-profile.png");
    Plots.save(Plots.lines(source + ": profile of the objective over beta", "log2 beta",
        "R = residual / static residual", px, ps), pp);
    out.add(pp);
    return out;
  }

  private static double[] log2(double[] v) {
    double[] o = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      o[i] = Math.log(v[i]) / Math.log(2);
    }
    return o;
  }

  /**
   * Beta and the time of one layer of a fit file, for an intervention.
   *
   * @param layer the hidden state the layer makes (block + 1)
   * @throws IllegalArgumentException when the file is not a {@value #SCHEMA} document of {@code model}, has no
   *     such layer, or that layer's parameters are not identifiable
   */
  public static double[] layerParameters(Path fit, String model, int layer) throws IOException {
    JsonNode doc;
    try {
      doc = Json.readTree(fit);
    } catch (IOException e) {
      throw new IllegalArgumentException("--from-fit " + e.getMessage(), e);
    }
    String schema = doc.path("schema").asText("");
    if (!schema.equals(SCHEMA)) {
      throw new IllegalArgumentException("--from-fit " + fit + " is " + (schema.isEmpty() ? "not a tokendyn document"
          : "a " + schema + " document") + "; give the output of tokendyn fit (" + SCHEMA + ")");
    }
    String of = doc.path("model").isTextual() ? doc.path("model").asText() : null;
    if (!model.equals(of)) {
      throw new IllegalArgumentException("--from-fit " + fit + " is a fit of " + (of == null
          ? "a sequence file (" + doc.path("source").asText() + ")" : of) + ", not of " + model
          + "; fit this model first (tokendyn fit --model " + model + " ...)");
    }
    for (JsonNode l : doc.path("layers")) {
      if (l.path("layer").asInt(-1) == layer) {
        if (!l.path("beta").isNumber() || !l.path("time").isNumber()) {
          throw new IllegalArgumentException("--from-fit " + fit + ": beta and the time of layer " + layer
              + " are not identifiable (beta flat over " + l.path("beta_flat_range") + ", time flat over "
              + l.path("time_flat_range") + "); give --beta and --time instead");
        }
        return new double[] {l.path("beta").asDouble(), l.path("time").asDouble()};
      }
    }
    throw new IllegalArgumentException("--from-fit " + fit + " has no layer " + layer);
  }
}
