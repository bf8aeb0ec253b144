package dev.tokendyn.export;

import dev.tokendyn.analysis.MeanFieldRun;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tokendyn.meanfield/1} document:
 * <pre>{@code
 * {"schema": "tokendyn.meanfield/1",
 *  "parameters": {"beta": 4.0, "grid_size": 1024, "time": 30.0, "frames": 30, "cfl": 0.45, "init": "vonmises:0.0:1.0",
 *                 "scheme": "finite-volume-muscl-minmod-ssprk3", "particles": 0, "seed": 0},
 *  "grid": [0.0, 0.0061, ...],
 *  "frames": [{"time": 0.0, "density": [...], "mean_cosine": 0.2, "mass": 1.0,
 *              "particles": {"mean_cosine": 0.21, "w2": 0.04}}]}
 * }</pre>
 * {@code particles} appears in a frame only when particles were run.
 */
public final class MeanFieldReport {
  private MeanFieldReport() {}

  /** The parameters block. */
  public record Parameters(double beta, int gridSize, double time, int frames, double cfl, String init, int particles,
      long seed) {}

  public static Map<String, Object> document(Parameters p, List<MeanFieldRun.Frame> frames) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", Json.schema("meanfield"));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("beta", p.beta());
    params.put("grid_size", p.gridSize());
    params.put("time", p.time());
    params.put("frames", p.frames());
    params.put("cfl", p.cfl());
    params.put("init", p.init());
    params.put("scheme", "finite-volume-muscl-minmod-ssprk3");
    params.put("particles", p.particles());
    params.put("seed", p.seed());
    doc.put("parameters", params);
    doc.put("grid", frames.get(0).density().grid());
    List<Map<String, Object>> fs = new ArrayList<>();
    for (MeanFieldRun.Frame f : frames) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", f.time());
      m.put("density", f.density().values());
      m.put("mean_cosine", f.meanCosine());
      m.put("mass", f.density().mass());
      if (f.particleAngles() != null) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("mean_cosine", f.particleMeanCosine());
        part.put("w2", f.w2());
        m.put("particles", part);
      }
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
  public static int write(Path path, Parameters p, List<MeanFieldRun.Frame> frames) throws IOException {
    return Json.write(path, document(p, frames));
  }
}
