package dev.tokendyn.export;

import dev.tokendyn.analysis.HeatDiffusion;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.sphere.Dynamics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code tokendyn.heat-diffusion/1} document, a sweep of {@link HeatDiffusion}:
 * <pre>{@code
 * {"schema": "tokendyn.heat-diffusion/1",
 *  "parameters": {"n": 128, "sigma0": 0.5, "rescaled_time": 0.5, "dt": 0.5, "tolerance": 1e-6, "seeds": [1, 2, 3]},
 *  "predicted_slope": {"sinkformer": 1.0, "sa": 2.0},
 *  "cells": [{"beta": 16, "sinkhorn_iterations": 401, "marginal_error": 2e-10,
 *             "sinkformer": {"mean": 0.964, "sd": 0.004, "min": 0.959, "max": 0.969, "slopes": [...]},
 *             "sa": {...}, "s": [0, 0.1, ...], "variance": {"sinkformer": [[...]], "sa": [[...]]}}]}
 * }</pre>
 * The slopes are those of the circular variance -2 log R against the rescaled time s = t / beta.
 */
public final class HeatDiffusionReport {
  private HeatDiffusionReport() {}

  /** The parameters block. */
  public record Parameters(int n, double sigma0, double rescaledTime, double dt, double tolerance, long[] seeds) {
    public Parameters {
      seeds = seeds.clone();
    }
  }

  public static Map<String, Object> document(Parameters p, List<HeatDiffusion.Cell> cells) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", Json.schema("heat-diffusion"));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("n", p.n());
    params.put("sigma0", p.sigma0());
    params.put("rescaled_time", p.rescaledTime());
    params.put("dt", p.dt());
    params.put("tolerance", p.tolerance());
    params.put("seeds", p.seeds());
    doc.put("parameters", params);
    Map<String, Object> predicted = new LinkedHashMap<>();
    predicted.put("sinkformer", HeatDiffusion.predictedSlope(Dynamics.SINKFORMER));
    predicted.put("sa", HeatDiffusion.predictedSlope(Dynamics.SA));
    doc.put("predicted_slope", predicted);
    List<Map<String, Object>> out = new ArrayList<>();
    for (HeatDiffusion.Cell c : cells) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("beta", c.beta());
      m.put("sinkhorn_iterations", c.iterations());
      m.put("marginal_error", c.marginalError());
      m.put("sinkformer", interval(c.sinkformer(), c.sinkformerRuns()));
      m.put("sa", interval(c.sa(), c.saRuns()));
      m.put("s", c.sinkformerRuns().get(0).s());
      Map<String, Object> variance = new LinkedHashMap<>();
      variance.put("sinkformer", c.sinkformerRuns().stream().map(HeatDiffusion.Run::variance).toList());
      variance.put("sa", c.saRuns().stream().map(HeatDiffusion.Run::variance).toList());
      m.put("variance", variance);
      out.add(m);
    }
    doc.put("cells", out);
    return doc;
  }

  private static Map<String, Object> interval(HeatDiffusion.Interval i, List<HeatDiffusion.Run> runs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mean", i.mean());
    m.put("sd", i.sd());
    m.put("min", i.min());
    m.put("max", i.max());
    m.put("slopes", runs.stream().mapToDouble(HeatDiffusion.Run::slope).toArray());
    return m;
  }

  /**
   * Writes the document atomically.
   *
   * @return how many numbers were not finite and were written as null
   */
  public static int write(Path path, Parameters p, List<HeatDiffusion.Cell> cells) throws IOException {
    return Json.write(path, document(p, cells));
  }
}
