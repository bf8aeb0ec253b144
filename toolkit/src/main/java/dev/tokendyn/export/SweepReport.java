package dev.tokendyn.export;

import dev.tokendyn.analysis.PhaseSweep;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code tokendyn.sweep/1} document:
 * <pre>{@code
 * {"schema": "tokendyn.sweep/1",
 *  "parameters": {"dynamics": "sa", "n": 32, "betas": [...], "ds": [...], "seeds": 4, "seed": 0, "dt": 0.1,
 *                 "steps": 200, "record_every": 10, "pair_cosine_threshold": 0.999},
 *  "times": [0.0, 1.0, ...],
 *  "cells": [{"beta": 1.0, "d": 8, "mean_clustered_fraction": [...], "single_cluster_probability": [...],
 *             "clustered_fraction": [[... per time], ... per seed]}]}
 * }</pre>
 */
public final class SweepReport {
  private SweepReport() {}

  public static Map<String, Object> document(PhaseSweep.Grid g, List<PhaseSweep.Cell> cells) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", Json.schema("sweep"));
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("dynamics", g.dynamics().name().toLowerCase(Locale.ROOT));
    p.put("n", g.n());
    p.put("betas", g.betas());
    p.put("ds", g.ds());
    p.put("seeds", g.seeds());
    p.put("seed", g.seed());
    p.put("dt", g.dt());
    p.put("steps", g.steps());
    p.put("record_every", g.recordEvery());
    p.put("pair_cosine_threshold", dev.tokendyn.metrics.Clusters.CLUSTERED_COSINE);
    doc.put("parameters", p);
    doc.put("times", g.times());
    List<Map<String, Object>> cs = new ArrayList<>();
    for (PhaseSweep.Cell c : cells) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("beta", c.beta());
      m.put("d", c.d());
      m.put("mean_clustered_fraction", c.meanClusteredFraction());
      m.put("single_cluster_probability", c.singleClusterProbability());
      m.put("clustered_fraction", c.clusteredFraction());
      cs.add(m);
    }
    doc.put("cells", cs);
    return doc;
  }

  /**
   * Writes the document atomically.
   *
   * @return how many numbers were not finite and were written as null
   */
  public static int write(Path path, PhaseSweep.Grid g, List<PhaseSweep.Cell> cells) throws IOException {
    return Json.write(path, document(g, cells));
  }

  /** The heat map of the mean clustered fraction over (beta, t) for one d. */
  public static void writeHeatMap(Path png, PhaseSweep.Grid g, List<PhaseSweep.Cell> cells, int d) throws IOException {
    double[][] z = PhaseSweep.heat(cells, g.betas(), d);
    Plots.save(Plots.heatMap(String.format(Locale.ROOT,
            "%s, n=%d, d=%d: fraction of pairs with <x_i,x_j> > 0.999 (mean of %d starts)",
            g.dynamics().name(), g.n(), d, g.seeds()),
        "beta (inverse temperature)", g.betas(), "time t (simulation time units)", g.times(), z, 0, 1), png);
  }
}
