package dev.tokendyn.export;

import dev.tokendyn.cloud.Json;
import dev.tokendyn.meanfield.GaussianClosure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tokendyn.closure/1} document of the Gaussian closure:
 * <pre>{@code
 * {"schema": "tokendyn.closure/1",
 *  "parameters": {"d": 2, "beta": 1.0, "dt": 0.01, "steps": 40, "time": 0.4, "qkv": "identity",
 *                 "mean": "zero", "cov": "identity", "integrator": "rk4"},
 *  "frames": [{"time": 0.0, "mean": [0, 0], "cov": [[1, 0], [0, 1]]}, ...]}
 * }</pre>
 */
public final class ClosureReport {
  private ClosureReport() {}

  /** The parameters block's contents, in order. */
  public record Parameters(int d, double beta, double dt, int steps, String qkv, String mean, String cov) {}

  public static Map<String, Object> document(Parameters p, List<GaussianClosure.Frame> frames) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", Json.schema("closure"));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("d", p.d());
    params.put("beta", p.beta());
    params.put("dt", p.dt());
    params.put("steps", p.steps());
    params.put("time", p.steps() * p.dt());
    params.put("qkv", p.qkv());
    params.put("mean", p.mean());
    params.put("cov", p.cov());
    params.put("integrator", "rk4");
    doc.put("parameters", params);
    List<Map<String, Object>> fs = new ArrayList<>();
    for (GaussianClosure.Frame f : frames) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", f.time());
      m.put("mean", f.mean());
      int d = f.mean().length;
      double[] c = f.cov();
      double[][] rows = new double[d][d];
      for (int i = 0; i < d; i++) {
        System.arraycopy(c, i * d, rows[i], 0, d);
      }
      m.put("cov", rows);
      fs.add(m);
    }
    doc.put("frames", fs);
    return doc;
  }

  /**
   * Writes the document atomically.
   *
   * @return how many numbers were not finite and were written as null
   */
  public static int write(Path path, Parameters p, List<GaussianClosure.Frame> frames) throws IOException {
    return Json.write(path, document(p, frames));
  }
}
