package dev.tokendyn.export;

import dev.tokendyn.analysis.SimulationRun;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.sphere.SimulationParams;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code tokendyn.simulation/1} document:
 * <pre>{@code
 * {"schema": "tokendyn.simulation/1",
 *  "parameters": {"dynamics": "sa", "n": 32, "d": 3, "beta": 1.0, "dt": 0.1, "steps": 300, "time": 30.0,
 *                 "init": "uniform", "seed": 7, "integrator": "euler", "noise": 0.0, "record_every": 10,
 *                 "sinkhorn_iterations": 1, "qkv": "identity", "cluster_eps": 0.001,
 *                 "mask": "none", "geometry": "sphere", "step": "fixed"},
 *  "frames": [{"step": 0, "time": 0.0,
 *              "metrics": {"mean_cosine": 0.01, "clusters": 32, "energy": 0.52},
 *              "points": [[...], ...]}]}
 * }</pre>
 * {@code energy} is null when beta = 0 (E_beta is not defined there); {@code points} appear only
 * when they were kept.
 */
public final class SimulationReport {
  private SimulationReport() {}

  /** The parameters block. */
  public static Map<String, Object> parameters(SimulationParams p, double clusterEps) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dynamics", p.dynamics().name().toLowerCase(Locale.ROOT));
    m.put("n", p.n());
    m.put("d", p.d());
    m.put("beta", p.beta());
    m.put("dt", p.dt());
    m.put("steps", p.steps());
    m.put("time", p.endTime());
    m.put("init", p.init().describe());
    m.put("seed", p.seed());
    m.put("integrator", p.integrator().name().toLowerCase(Locale.ROOT));
    m.put("noise", p.noise());
    m.put("record_every", p.recordEvery());
    m.put("sinkhorn_iterations", p.sinkhornIterations());
    m.put("qkv", p.interaction().source());
    m.put("cluster_eps", clusterEps);
    m.put("mask", p.mask().name().toLowerCase(Locale.ROOT));
    m.put("geometry", p.geometry().name().toLowerCase(Locale.ROOT));
    m.put("step", p.stepControl().name().toLowerCase(Locale.ROOT));
    if (p.stepControl() == dev.tokendyn.sphere.StepControl.ADAPTIVE) {
      m.put("max_step_displacement", dev.tokendyn.sphere.StepControl.MAX_DISPLACEMENT);
    }
    return m;
  }

  /** The whole document. */
  public static Map<String, Object> document(SimulationParams p, double clusterEps, List<SimulationRun.Frame> frames) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", Json.schema("simulation"));
    doc.put("parameters", parameters(p, clusterEps));
    List<Map<String, Object>> fs = new ArrayList<>(frames.size());
    for (SimulationRun.Frame f : frames) {
      Map<String, Object> fr = new LinkedHashMap<>();
      fr.put("step", f.step());
      fr.put("time", f.time());
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("mean_cosine", f.meanCosine());
      metrics.put("clusters", f.clusters());
      metrics.put("energy", Double.isFinite(f.energy()) ? f.energy() : null);
      fr.put("metrics", metrics);
      if (f.cloud() != null) {
        fr.put("points", f.cloud().toArray());
      }
      fs.add(fr);
    }
    doc.put("frames", fs);
    return doc;
  }

  /**
   * Writes the document atomically.
   *
   * @return how many numbers were not finite and were written as null
   */
  public static int write(Path path, SimulationParams p, double clusterEps, List<SimulationRun.Frame> frames)
      throws IOException {
    return Json.write(path, document(p, clusterEps, frames));
  }
}
