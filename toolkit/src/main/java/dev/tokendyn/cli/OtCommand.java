package dev.tokendyn.cli;

import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.transport.Cost;
import dev.tokendyn.transport.DivergenceResult;
import dev.tokendyn.transport.ExactParams;
import dev.tokendyn.transport.ExactResult;
import dev.tokendyn.transport.NetworkSimplex;
import dev.tokendyn.transport.Sinkhorn;
import dev.tokendyn.transport.SinkhornDivergence;
import dev.tokendyn.transport.SinkhornParams;
import dev.tokendyn.transport.SinkhornResult;
import dev.tokendyn.transport.SlicedParams;
import dev.tokendyn.transport.SlicedResult;
import dev.tokendyn.transport.SlicedWasserstein;
import dev.tokendyn.transport.SphericalSlicedWasserstein;
import dev.tokendyn.transport.TransportPlan;
import dev.tokendyn.transport.TransportResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn ot}: the optimal-transport distance between two cloud files. */
@Command(
    name = "ot",
    mixinStandardHelpOptions = true,
    description = {
      "Optimal transport between two weighted clouds (JSON {\"points\": [[...]], \"weights\": [...]} or .npy),",
      "with POT's conventions. Prints one JSON object {\"schema\": \"tokendyn.ot/1\", \"method\", \"cost\", \"value\",",
      "\"converged\", \"iterations\", ...}. Weights are normalised to sum to one (with a warning when they do not)."
    })
public final class OtCommand implements Callable<Integer> {
  /** The solver to run. */
  public enum Method {
    /** Exact OT (network simplex); value = sum P M, as ot.emd2. */
    EMD,
    /** Entropic OT (Sinkhorn); value = sum P M, as ot.sinkhorn2. */
    SINKHORN,
    /** Debiased Sinkhorn divergence. */
    DIVERGENCE,
    /** Sliced W2 (sqeuclidean cost) or spherical sliced W2 (geodesic cost). */
    SLICED
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin ThreadsOption threads;

  @Option(names = "--source", required = true, paramLabel = "A", description = "source cloud file (.json or .npy)")
  Path source;

  @Option(names = "--target", required = true, paramLabel = "B", description = "target cloud file (.json or .npy)")
  Path target;

  @Option(names = "--method", defaultValue = "emd", paramLabel = "METHOD",
      description = "emd, sinkhorn, divergence or sliced (default: ${DEFAULT-VALUE})")
  Method method;

  @Option(names = "--cost", defaultValue = "sqeuclidean", paramLabel = "COST",
      description = "sqeuclidean, euclidean or geodesic (arccos(<x,y>)^2; for sliced: the spherical variant)"
          + " (default: ${DEFAULT-VALUE})")
  Cost cost;

  @Option(names = "--reg", paramLabel = "R", description = "entropic regularisation > 0 (sinkhorn, divergence)")
  Double reg;

  @Option(names = "--max-iter", paramLabel = "N",
      description = "iteration limit (default: 100000 for emd, 1000 for sinkhorn and divergence)")
  Integer maxIter;

  @Option(names = "--tol", defaultValue = "1e-9", paramLabel = "T",
      description = "Sinkhorn stopping threshold on the marginal error (default: ${DEFAULT-VALUE})")
  double stopThr;

  @Option(names = "--projections", defaultValue = "50", paramLabel = "L",
      description = "number of random projections for sliced (default: ${DEFAULT-VALUE})")
  int projections;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "seed of the projections for sliced (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--memory", paramLabel = "SIZE", converter = ByteSize.class,
      description = "memory budget of Sinkhorn's kernel and cost, in bytes or with k, m, g (KiB, MiB, GiB): the kernel"
          + " is held dense in float32 when it fits, else recomputed in tiles each sweep (default: a quarter of the"
          + " maximum heap)")
  Long memory;

  @Option(names = "--plan", paramLabel = "PLAN.json",
      description = "also write the plan: sparse entries for emd, dual potentials for sinkhorn")
  Path plan;

  @CommandLine.Mixin OutputOptions output;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path planTarget = null;
    if (plan != null) {
      if (method != Method.EMD && method != Method.SINKHORN) {
        throw new UsageException("--plan is available for --method emd and sinkhorn, not "
            + method.name().toLowerCase(Locale.ROOT));
      }
      planTarget = Outputs.file(spec, plan, "--plan", output.parents, Outputs.in("--source", source),
          Outputs.in("--target", target));
    }
    if (method == Method.SLICED && cost == Cost.EUCLIDEAN) {
      throw new UsageException("--method sliced takes --cost sqeuclidean (sliced W2) or geodesic (spherical sliced W2),"
          + " not euclidean");
    }
    if ((method == Method.SINKHORN || method == Method.DIVERGENCE) && reg == null) {
      throw new UsageException("--reg is required for --method " + method.name().toLowerCase(Locale.ROOT));
    }
    if (method != Method.SINKHORN && method != Method.DIVERGENCE && reg != null) {
      err.println("tokendyn ot: warning: --reg is not used by --method " + method.name().toLowerCase(Locale.ROOT));
    }
    if (method != Method.SINKHORN && method != Method.DIVERGENCE && memory != null) {
      err.println("tokendyn ot: warning: --memory is not used by --method " + method.name().toLowerCase(Locale.ROOT));
    }
    long budget = memory != null ? memory : Sinkhorn.defaultMemory();
    TokenCloud x = Inputs.cloud(source, "--source " + source);
    TokenCloud y = Inputs.cloud(target, "--target " + target);
    if (x.dimension() != y.dimension()) {
      throw new UsageException("source and target must have the same dimension, found d=" + x.dimension()
          + " (" + source + ") vs d=" + y.dimension() + " (" + target + ")");
    }
    if ((method == Method.SINKHORN || method == Method.DIVERGENCE) && memory != null) {
      int big = Math.max(x.size(), y.size());
      long least = Math.max(Sinkhorn.minimumMemory(x.size(), y.size(), x.dimension()),
          method == Method.DIVERGENCE ? Sinkhorn.minimumMemory(big, big, x.dimension()) : 0);
      if (memory < least) {
        throw new UsageException(String.format("--memory %s is below the %s that the smallest tiles of this problem"
            + " (n=%d, m=%d, d=%d) need; give --memory %s or more", ByteSize.format(memory), ByteSize.format(least),
            x.size(), y.size(), x.dimension(), ByteSize.roundUpToMiB(least)));
      }
    }
    List<String> warnings = new ArrayList<>();
    checkWeights(x, "source " + source, warnings);
    checkWeights(y, "target " + target, warnings);

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("schema", Json.schema("ot"));
    json.put("method", method.name().toLowerCase(Locale.ROOT));
    json.put("cost", cost.name().toLowerCase(Locale.ROOT));
    if (method == Method.EMD) {
      // the network simplex holds the cost, the flow and the arcs' indices of every pair
      Memory.require(32L * x.size() * y.size(), "ot --method emd on " + x.size() + " x " + y.size() + " points");
    }
    TransportResult result;
    try (Stages bar = Stages.elapsed("ot")) {
      result = solve(json, x, y, budget);
    }
    json.put("n", x.size());
    json.put("m", y.size());
    json.put("d", x.dimension());
    // the solvers' warnings name their parameters (maxIter, stopThr); the user knows the options
    result.warnings().forEach(w -> warnings.add(OptionNames.inUserWords(w, spec.commandLine())));
    json.put("warnings", warnings);
    if (plan != null) {
      Outputs.nonFinite(spec, plan, Json.write(planTarget, planJson(result, x, y)));
    }
    for (String w : result.warnings()) {
      err.println("tokendyn ot: warning: " + OptionNames.inUserWords(w, spec.commandLine()));
    }
    err.flush();
    Json.Text text = Json.text(json);
    Outputs.nonFinite(spec, Path.of(Outputs.STDOUT), text.nonFinite());
    out.println(text.json());
    return Main.OK;
  }

  private TransportResult solve(Map<String, Object> json, TokenCloud x, TokenCloud y, long budget) {
    TransportResult result;
    switch (method) {
      case EMD -> {
        ExactResult r = new NetworkSimplex(new ExactParams(cost, maxIter == null ? ExactParams.DEFAULT_MAX_ITER : maxIter))
            .between(x, y);
        result = r;
        putCommon(json, r);
        json.put("plan_non_zeros", r.plan().nonZeros());
      }
      case SINKHORN -> {
        SinkhornResult r = new Sinkhorn(sinkhornParams(), budget).between(x, y);
        result = r;
        putCommon(json, r);
        json.put("kernel", r.kernel().label());
        json.put("reg", reg);
        json.put("regularized_value", r.regularizedValue());
        json.put("marginal_error", r.marginalError());
        json.put("tol", stopThr);
      }
      case DIVERGENCE -> {
        DivergenceResult r = new SinkhornDivergence(sinkhornParams(), budget).between(x, y);
        result = r;
        putCommon(json, r);
        json.put("kernel", r.xy().kernel().label());
        json.put("reg", reg);
        json.put("ot_xy", r.xy().regularizedValue());
        json.put("ot_xx", r.xx().regularizedValue());
        json.put("ot_yy", r.yy().regularizedValue());
        json.put("tol", stopThr);
      }
      case SLICED -> {
        SlicedParams p = new SlicedParams(projections, seed);
        SlicedResult r = cost == Cost.GEODESIC ? new SphericalSlicedWasserstein(p).between(x, y)
            : new SlicedWasserstein(p).between(x, y);
        result = r;
        putCommon(json, r);
        json.put("variant", cost == Cost.GEODESIC ? "spherical (circles of length 1)" : "euclidean");
        json.put("projections", projections);
        json.put("seed", seed);
        json.put("standard_error", r.standardError());
      }
      default -> throw new IllegalStateException("unknown method " + method);
    }
    return result;
  }

  private SinkhornParams sinkhornParams() {
    return new SinkhornParams(cost, reg, maxIter == null ? SinkhornParams.DEFAULT_MAX_ITER : maxIter, stopThr,
        SinkhornParams.DEFAULT_SCALING);
  }

  private void checkWeights(TokenCloud c, String what, List<String> warnings) {
    double[] w = c.weights().orElse(null);
    if (w == null) {
      return;
    }
    double sum = 0;
    for (double v : w) {
      sum += v;
    }
    if (!(sum > 0)) {
      throw new UsageException(what + ": weights sum to " + sum + "; they must have a positive sum");
    }
    if (Math.abs(sum - 1) > 1e-12) {
      String msg = what + ": weights sum to " + sum + "; normalised to sum to 1";
      warnings.add(msg);
      spec.commandLine().getErr().println("tokendyn ot: warning: " + msg);
    }
  }

  private static void putCommon(Map<String, Object> json, TransportResult r) {
    json.put("value", r.value());
    json.put("converged", r.converged());
    json.put("iterations", r.iterations());
  }

  private Map<String, Object> planJson(TransportResult result, TokenCloud x, TokenCloud y) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("schema", Json.schema("ot-plan"));
    p.put("method", method.name().toLowerCase(Locale.ROOT));
    p.put("cost", cost.name().toLowerCase(Locale.ROOT));
    p.put("n", x.size());
    p.put("m", y.size());
    if (result instanceof ExactResult r) {
      TransportPlan tp = r.plan();
      List<double[]> entries = new ArrayList<>(tp.nonZeros());
      for (int k = 0; k < tp.nonZeros(); k++) {
        entries.add(new double[] {tp.row(k), tp.col(k), tp.mass(k)});
      }
      p.put("description", "sparse plan: [row, column, mass] for each non-zero entry");
      p.put("entries", entries);
    } else if (result instanceof SinkhornResult r) {
      p.put("description", "dual potentials: P_ij = exp((f_i + g_j - M_ij) / reg); null for a point of zero weight");
      p.put("reg", r.reg());
      p.put("f", finiteOrNull(r.f()));
      p.put("g", finiteOrNull(r.g()));
    }
    return p;
  }

  private static List<Double> finiteOrNull(double[] v) {
    List<Double> out = new ArrayList<>(v.length);
    for (double d : v) {
      out.add(Double.isFinite(d) ? d : null);
    }
    return out;
  }
}
