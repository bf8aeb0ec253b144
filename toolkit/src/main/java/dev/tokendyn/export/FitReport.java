package dev.tokendyn.export;

import dev.tokendyn.analysis.DynamicsFit;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code tokendyn.fit/1} document:
 * <pre>{@code
 * {"schema": "tokendyn.fit/1", "source": "...", "dynamics": "sa", "beta": 2.7, "time_per_layer": 0.35,
 *  "residual": 1.2e-9, "static_residual": 0.41, "evaluations": 150, "steps_per_layer": 10,
 *  "curves": {"layer": [0, 1, ...], "mean_cosine_model": [...], "mean_cosine_fit": [...],
 *             "residual": [...]}}
 * }</pre>
 * {@code residual} is the mean over layers l &gt;= 1 and tokens of |x_i(l tau) - y_i^l/|y_i^l||^2;
 * {@code static_residual} is the same for tokens that do not move (tau = 0), the scale to judge it by.
 */
public final class FitReport {
  private FitReport() {}

  public static Map<String, Object> document(String source, DynamicsFit.Result r, DynamicsFit.Options o) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", Json.schema("fit"));
    doc.put("source", source);
    doc.put("dynamics", "sa");
    doc.put("beta", r.beta());
    doc.put("time_per_layer", r.timePerLayer());
    doc.put("residual", r.residual());
    doc.put("static_residual", r.staticResidual());
    doc.put("evaluations", r.evaluations());
    doc.put("steps_per_layer", o.stepsPerLayer());
    Map<String, Object> curves = new LinkedHashMap<>();
    int[] layers = new int[r.layerResidual().length];
    for (int l = 0; l < layers.length; l++) {
      layers[l] = l;
    }
    curves.put("layer", layers);
    curves.put("mean_cosine_model", r.modelMeanCosine());
    curves.put("mean_cosine_fit", r.fitMeanCosine());
    curves.put("residual", r.layerResidual());
    doc.put("curves", curves);
    return doc;
  }

  /**
   * Writes the document atomically.
   *
   * @return how many numbers were not finite and were written as null
   */
  public static int write(Path path, String source, DynamicsFit.Result r, DynamicsFit.Options o) throws IOException {
    return Json.write(path, document(source, r, o));
  }

  /** Mean cosine per layer, the model's and the fitted dynamics', on one chart. */
  public static void writePlot(Path png, String source, DynamicsFit.Result r) throws IOException {
    double[] x = new double[r.layerResidual().length];
    for (int l = 0; l < x.length; l++) {
      x[l] = l;
    }
    Map<String, double[]> s = new LinkedHashMap<>();
    s.put(source, r.modelMeanCosine());
    s.put(String.format(java.util.Locale.ROOT, "SA fit: beta=%.3g, t/layer=%.3g", r.beta(), r.timePerLayer()),
        r.fitMeanCosine());
    Plots.save(Plots.lines("Mean cosine per layer: " + source + " and its fitted SA dynamics", "layer",
        "mean cosine <x_i, x_j>, i != j", x, s), png);
  }
}
