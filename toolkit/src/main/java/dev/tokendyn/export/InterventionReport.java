package dev.tokendyn.export;

import dev.tokendyn.analysis.Intervention;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code tokendyn.intervention/1} document and its plots:
 * <pre>{@code
 * {"schema": "tokendyn.intervention/1", "model": "all-minilm-l6-v2", "layer": 2, "replace": "sa",
 *  "parameters": {"beta": 1.0, "time": 0.5, "steps": 10, "sinkhorn_iterations": 5, "from_fit": null},
 *  "texts": 8,
 *  "layers": [{"layer": 0, "site": "blocks.0.hook_resid_pre", "token_cosine": 1.0, "w2_change": 0.0}, ...],
 *  "final": {"sentence_cosine": 0.93, "neighbour_overlap": 0.8, "neighbours": 7},
 *  "doubly_stochastic_defect": [{"block": 0, "with_special": [per head], "without_special": [...], ...}],
 *  "plots": ["effect.png"]}
 * }</pre>
 * {@code layer} is the replaced block (0-based); the entries of {@code layers} are hidden states 0..L, so
 * the first one that can differ is {@code layer + 1}.
 */
public final class InterventionReport {
  private InterventionReport() {}

  public static Map<String, Object> document(Intervention.Result r, String fromFit) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", Json.schema("intervention"));
    doc.put("model", r.model());
    doc.put("layer", r.params().block());
    doc.put("replace", r.params().replace().name().toLowerCase(Locale.ROOT));
    Map<String, Object> p = new LinkedHashMap<>();
    boolean flow = r.params().replace().isFlow();
    p.put("beta", flow ? r.params().beta() : null);
    p.put("time", flow ? r.params().time() : null);
    p.put("steps", flow ? r.params().steps() : null);
    p.put("sinkhorn_iterations", r.params().replace() == dev.tokendyn.analysis.Replacement.SINKFORMER
        ? r.params().sinkhornIterations() : null);
    p.put("from_fit", fromFit);
    doc.put("parameters", p);
    doc.put("texts", r.plain().size());
    List<Map<String, Object>> layers = new ArrayList<>();
    for (Intervention.LayerEffect e : r.layers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layer", e.layer());
      m.put("site", e.site());
      m.put("token_cosine", e.tokenCosine());
      m.put("w2_change", e.w2Change());
      layers.add(m);
    }
    doc.put("layers", layers);
    Map<String, Object> fin = new LinkedHashMap<>();
    fin.put("sentence_cosine", r.sentenceCosine());
    fin.put("neighbour_overlap", Double.isNaN(r.neighbourOverlap()) ? null : r.neighbourOverlap());
    fin.put("neighbours", r.neighbours());
    doc.put("final", fin);
    doc.put("doubly_stochastic_defect", r.defect().toJson());
    doc.put("plots", List.of("effect.png", "defect.png"));
    return doc;
  }

  /** report.json, effect.png and defect.png into {@code dir}. */
  public static void write(Path dir, Intervention.Result r, String fromFit) throws IOException {
    Json.write(dir.resolve("report.json"), document(r, fromFit));
    double[] x = new double[r.layers().size()];
    double[] cos = new double[x.length];
    double[] w2 = new double[x.length];
    for (int l = 0; l < x.length; l++) {
      x[l] = l;
      cos[l] = r.layers().get(l).tokenCosine();
      w2[l] = r.layers().get(l).w2Change();
    }
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put("mean token cosine to the unmodified state", cos);
    s.put("W2 to the unmodified cloud", w2);
    String what = r.params().replace().isFlow()
        ? String.format(Locale.ROOT, "%s (beta %.3g, t %.3g)", r.params().replace().name().toLowerCase(Locale.ROOT),
            r.params().beta(), r.params().time())
        : r.params().replace().name().toLowerCase(Locale.ROOT);
    Plots.save(Plots.lines(r.model() + ": block " + r.params().block() + " attention replaced by " + what
        + String.format(Locale.ROOT, "; sentence cosine %.3f", r.sentenceCosine()), "hidden state", "effect", x, s),
        dir.resolve("effect.png"));
    double[] bx = new double[r.defect().blocks().length];
    double[] with = new double[bx.length];
    double[] without = new double[bx.length];
    for (int i = 0; i < bx.length; i++) {
      bx[i] = r.defect().blocks()[i];
      with[i] = r.defect().meanOverHeads(i, true);
      without[i] = r.defect().meanOverHeads(i, false);
    }
    Map<String, double[]> d = new LinkedHashMap<>();
    d.put("all tokens", with);
    d.put("without special tokens", without);
    Plots.save(Plots.lines(r.model() + ": doubly stochastic defect, mean |column sum - 1| over heads", "block",
        "defect", bx, d), dir.resolve("defect.png"));
  }
}
