package dev.tokendyn.cli;

import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.Npy;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.transport.Cost;
import dev.tokendyn.transport.CostMatrix;
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
      "or for a cost matrix and two weight vectors (--cost-matrix M.npy --a A.npy --b B.npy), with POT's conventions.",
      "Prints one JSON object {\"schema\": \"tokendyn.ot/1\", \"method\", \"cost\", \"value\", \"value_unit\",",
      "\"converged\", \"iterations\", ...}; with --pairs one such object a line for each pair, in one JVM.",
      "Weights are normalised to sum to one (with a warning when they do not)."
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

  @Option(names = "--source", paramLabel = "X", description = "source cloud file (.json or .npy)")
  Path source;

  @Option(names = "--target", paramLabel = "Y", description = "target cloud file (.json or .npy)")
  Path target;

  @Option(names = "--cost-matrix", paramLabel = "M.npy",
      description = "instead of clouds: the n x m cost matrix (.npy or a JSON array of rows), as POT's M")
  Path costMatrix;

  @Option(names = "--a", paramLabel = "A.npy",
      description = "source weights (.npy or a JSON array; POT's a), for --cost-matrix or to weight the --source"
          + " points (default: uniform, or the cloud's own weights)")
  Path aFile;

  @Option(names = "--b", paramLabel = "B.npy", description = "target weights, as --a (POT's b)")
  Path bFile;

  @Option(names = "--pairs", paramLabel = "PAIRS.txt",
      description = "many pairs in one call: a file with a line 'SOURCE TARGET' for each pair (paths relative to"
          + " the file's folder; '#' starts a comment); prints one JSON object a line")
  Path pairs;

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

  @Option(names = "--plan", paramLabel = "PLAN.json|PLAN.npy",
      description = "also write the plan: .json holds sparse entries for emd and the dense plan for sinkhorn;"
          + " .npy the dense n x m plan (float64), for either")
  Path plan;

  @Option(names = "--potentials", paramLabel = "FG.json",
      description = "sinkhorn: also write the dual potentials f and g (P_ij = exp((f_i + g_j - M_ij) / reg))")
  Path potentials;

  @CommandLine.Mixin OutputOptions output;

  /** Where {@code --plan} and {@code --potentials} are written, once checked. */
  private Path planTarget;
  private Path potentialsTarget;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int inputs = (source != null || target != null ? 1 : 0) + (costMatrix != null ? 1 : 0) + (pairs != null ? 1 : 0);
    if (inputs != 1) {
      throw new UsageException("give --source and --target, or --cost-matrix (with --a and --b), or --pairs");
    }
    if ((source == null) != (target == null)) {
      throw new UsageException(source == null ? "--target needs --source" : "--source needs --target");
    }
    if (plan != null) {
      if (method != Method.EMD && method != Method.SINKHORN) {
        throw new UsageException("--plan is available for --method emd and sinkhorn, not "
            + method.name().toLowerCase(Locale.ROOT));
      }
      notStdout(plan, "--plan", "PLAN.json or PLAN.npy");
      planTarget = Outputs.file(spec, plan, "--plan", output.parents, inputs());
    }
    if (potentials != null) {
      if (method != Method.SINKHORN) {
        throw new UsageException("--potentials is available for --method sinkhorn, not "
            + method.name().toLowerCase(Locale.ROOT));
      }
      notStdout(potentials, "--potentials", "FG.json");
      potentialsTarget = Outputs.file(spec, potentials, "--potentials", output.parents, inputs());
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
    if (costMatrix != null) {
      return matrixCall(out, err);
    }
    if (pairs != null) {
      return pairsCall(out, err);
    }
    TokenCloud x = weighted(Inputs.cloud(source, "--source " + source), aFile, "--a");
    TokenCloud y = weighted(Inputs.cloud(target, "--target " + target), bFile, "--b");
    Map<String, Object> json = solveClouds(x, y, source, target);
    for (Object w : (List<?>) json.get("warnings")) {
      err.println("tokendyn ot: warning: " + w);
    }
    err.flush();
    print(out, json);
    return Main.OK;
  }

  /** {@code --cost-matrix}: POT's {@code emd2(a, b, M)} or {@code sinkhorn2(a, b, M, reg)}. */
  private int matrixCall(PrintWriter out, PrintWriter err) throws IOException {
    if (method != Method.EMD && method != Method.SINKHORN) {
      throw new UsageException("--cost-matrix works with --method emd and sinkhorn (divergence and sliced need the"
          + " points), not " + method.name().toLowerCase(Locale.ROOT));
    }
    Npy.Array m = Inputs.array(costMatrix, "--cost-matrix");
    if (m.shape().length != 2) {
      throw new UsageException("--cost-matrix " + costMatrix + " must be a 2-D array (n, m), found shape "
          + java.util.Arrays.toString(m.shape()));
    }
    int n = m.shape()[0];
    int k = m.shape()[1];
    CostMatrix cm = Inputs.costMatrix(m, costMatrix);
    double[] a = aFile == null ? uniform(n) : Inputs.weights(aFile, "--a", n, "rows of --cost-matrix");
    double[] b = bFile == null ? uniform(k) : Inputs.weights(bFile, "--b", k, "columns of --cost-matrix");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("schema", Json.schema("ot"));
    json.put("method", method.name().toLowerCase(Locale.ROOT));
    json.put("cost", "matrix");
    TransportResult result;
    if (method == Method.EMD) {
      requireExactMemory(n, k);
      ExactResult r;
      try (Stages bar = Stages.elapsed("ot")) {
        r = new NetworkSimplex(new ExactParams(cost, maxIter == null ? ExactParams.DEFAULT_MAX_ITER : maxIter))
            .solve(a, b, cm);
      }
      result = r;
      putCommon(json, r);
      json.put("value_unit", "the unit of M (value = sum_ij P_ij M_ij, as POT's emd2)");
      json.put("plan_non_zeros", r.plan().nonZeros());
    } else {
      SinkhornResult r;
      try (Stages bar = Stages.elapsed("ot")) {
        r = new Sinkhorn(sinkhornParams(), budget()).solve(a, b, cm);
      }
      result = r;
      putCommon(json, r);
      json.put("kernel", r.kernel().label());
      json.put("value_unit", "the unit of M (value = sum_ij P_ij M_ij, as POT's sinkhorn2)");
      putSinkhorn(json, r);
    }
    json.put("n", n);
    json.put("m", k);
    List<String> warnings = new ArrayList<>();
    // the solvers' warnings name their parameters (maxIter, stopThr); the user knows the options
    result.warnings().forEach(w -> warnings.add(OptionNames.inUserWords(w, spec.commandLine())));
    json.put("warnings", warnings);
    writePlanFiles(result, cm, n, k);
    for (String w : warnings) {
      err.println("tokendyn ot: warning: " + w);
    }
    err.flush();
    print(out, json);
    return Main.OK;
  }

  /** {@code --pairs}: every pair's clouds are read (and checked) before the first is solved. */
  private int pairsCall(PrintWriter out, PrintWriter err) throws IOException {
    if (plan != null || potentials != null || aFile != null || bFile != null) {
      throw new UsageException("--pairs takes no --plan, --potentials, --a or --b; give the weights in the cloud"
          + " files, or run one pair at a time");
    }
    Inputs.requireFile(pairs, "--pairs " + pairs, false);
    List<String> lines;
    try {
      lines = java.nio.file.Files.readAllLines(pairs);
    } catch (IOException e) {
      throw new UsageException("cannot read --pairs " + pairs + ": " + e.getMessage(), e);
    }
    Path dir = pairs.toAbsolutePath().getParent();
    List<Path[]> list = new ArrayList<>();
    Map<Path, TokenCloud> clouds = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).replaceFirst("#.*$", "").strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split("\\s+");
      if (f.length != 2) {
        throw new UsageException("--pairs " + pairs + " line " + (i + 1) + ": expected 'SOURCE TARGET', found '"
            + line + "'");
      }
      Path[] pair = {dir.resolve(f[0]), dir.resolve(f[1])};
      for (Path p : pair) {
        if (!clouds.containsKey(p)) {
          clouds.put(p, Inputs.cloud(p, "--pairs " + pairs + " line " + (i + 1) + ": " + p));
        }
      }
      list.add(pair);
    }
    if (list.isEmpty()) {
      throw new UsageException("--pairs " + pairs + " lists no pairs");
    }
    for (Path[] pair : list) {
      Map<String, Object> json = solveClouds(clouds.get(pair[0]), clouds.get(pair[1]), pair[0], pair[1]);
      Map<String, Object> withPaths = new LinkedHashMap<>();
      withPaths.put("schema", json.remove("schema"));
      withPaths.put("source", dir.relativize(pair[0].toAbsolutePath()).toString());
      withPaths.put("target", dir.relativize(pair[1].toAbsolutePath()).toString());
      withPaths.putAll(json);
      for (Object w : (List<?>) json.get("warnings")) {
        err.println("tokendyn ot: warning: " + pair[0] + " -> " + pair[1] + ": " + w);
      }
      Json.Text text = Json.line(withPaths);
      Outputs.nonFinite(spec, Path.of(Outputs.STDOUT), text.nonFinite());
      out.println(text.json());
      out.flush();
    }
    err.flush();
    return Main.OK;
  }

  /** One pair of clouds: the JSON object, with the plan files written when asked for. */
  private Map<String, Object> solveClouds(TokenCloud x, TokenCloud y, Path xPath, Path yPath) throws IOException {
    if (x.dimension() != y.dimension()) {
      throw new UsageException("source and target must have the same dimension, found d=" + x.dimension()
          + " (" + xPath + ") vs d=" + y.dimension() + " (" + yPath + ")");
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
    checkWeights(x, "source " + xPath, warnings);
    checkWeights(y, "target " + yPath, warnings);

    Map<String, Object> json = new LinkedHashMap<>();
    json.put("schema", Json.schema("ot"));
    json.put("method", method.name().toLowerCase(Locale.ROOT));
    json.put("cost", cost.name().toLowerCase(Locale.ROOT));
    if (method == Method.EMD) {
      requireExactMemory(x.size(), y.size());
    }
    TransportResult result;
    try (Stages bar = Stages.elapsed("ot")) {
      result = solve(json, x, y);
    }
    json.put("n", x.size());
    json.put("m", y.size());
    json.put("d", x.dimension());
    // the solvers' warnings name their parameters (maxIter, stopThr); the user knows the options
    result.warnings().forEach(w -> warnings.add(OptionNames.inUserWords(w, spec.commandLine())));
    json.put("warnings", warnings);
    if (plan != null || potentials != null) {
      writePlanFiles(result, CostMatrix.between(cost, x, y), x.size(), y.size());
    }
    return json;
  }

  /** The network simplex holds the cost, the flow and the arcs' indices of every pair. */
  private static void requireExactMemory(int n, int m) {
    Memory.require(32L * n * m, "ot --method emd on " + n + " x " + m + " points");
  }

  private TransportResult solve(Map<String, Object> json, TokenCloud x, TokenCloud y) {
    TransportResult result;
    switch (method) {
      case EMD -> {
        ExactResult r = new NetworkSimplex(new ExactParams(cost, maxIter == null ? ExactParams.DEFAULT_MAX_ITER : maxIter))
            .between(x, y);
        result = r;
        putCommon(json, r);
        putUnits(json, r.value());
        json.put("plan_non_zeros", r.plan().nonZeros());
      }
      case SINKHORN -> {
        SinkhornResult r = new Sinkhorn(sinkhornParams(), budget()).between(x, y);
        result = r;
        putCommon(json, r);
        json.put("kernel", r.kernel().label());
        putUnits(json, Double.NaN);
        putSinkhorn(json, r);
      }
      case DIVERGENCE -> {
        DivergenceResult r = new SinkhornDivergence(sinkhornParams(), budget()).between(x, y);
        result = r;
        putCommon(json, r);
        json.put("kernel", r.xy().kernel().label());
        putUnits(json, Double.NaN);
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
        json.put("value_unit", cost == Cost.GEODESIC ? "turns (circles of length 1), not squared"
            : "distance (sliced W2, not squared)");
        json.put("variant", cost == Cost.GEODESIC ? "spherical (circles of length 1)" : "euclidean");
        json.put("projections", projections);
        json.put("seed", seed);
        json.put("standard_error", r.standardError());
      }
      default -> throw new IllegalStateException("unknown method " + method);
    }
    return result;
  }

  /** The inputs that no output may replace. */
  private Outputs.In[] inputs() {
    return new Outputs.In[] {Outputs.in("--source", source), Outputs.in("--target", target),
        Outputs.in("--cost-matrix", costMatrix), Outputs.in("--a", aFile), Outputs.in("--b", bFile),
        Outputs.in("--pairs", pairs)};
  }

  private void print(PrintWriter out, Map<String, Object> json) {
    Json.Text text = Json.text(json);
    Outputs.nonFinite(spec, Path.of(Outputs.STDOUT), text.nonFinite());
    out.println(text.json());
  }

  /**
   * The unit of {@code value} for the cost, and for the exact solver the distance itself: W2 = sqrt(value)
   * under the squared Euclidean cost, W1 = value under the Euclidean one.
   */
  private void putUnits(Map<String, Object> json, double exactValue) {
    switch (cost) {
      case SQEUCLIDEAN -> json.put("value_unit", "squared distance (value = W2^2 for emd, as POT's emd2)");
      case EUCLIDEAN -> json.put("value_unit", "distance (value = W1 for emd)");
      case GEODESIC -> json.put("value_unit", "squared radians (cost arccos(<x,y>)^2)");
      default -> throw new IllegalStateException("unknown cost " + cost);
    }
    if (Double.isFinite(exactValue) && cost == Cost.SQEUCLIDEAN) {
      json.put("w2", Math.sqrt(Math.max(0, exactValue)));
    }
  }

  private void putSinkhorn(Map<String, Object> json, SinkhornResult r) {
    json.put("reg", reg);
    json.put("regularized_value", r.regularizedValue());
    json.put("marginal_error", r.marginalError());
    json.put("tol", stopThr);
  }

  /** Standard output carries the result JSON; a second document there would make it unreadable. */
  private static void notStdout(Path file, String option, String example) {
    String f = file.toString();
    if (Outputs.isStdout(file) || f.equals("/dev/stdout") || f.equals("/dev/fd/1") || f.equals("/proc/self/fd/1")) {
      throw new UsageException(option + " cannot be standard output, which carries ot's result JSON; give a file"
          + " such as " + example);
    }
  }

  private void writePlanFiles(TransportResult result, CostMatrix cm, int n, int m) throws IOException {
    if (plan != null) {
      if (plan.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
        double[] dense = result instanceof ExactResult r ? flat(r.plan().toDense())
            : ((SinkhornResult) result).plan(cm);
        Npy.write(planTarget, new int[] {n, m}, dense);
      } else {
        Outputs.nonFinite(spec, plan, Json.write(planTarget, planJson(result, cm, n, m)));
      }
    }
    if (potentials != null && result instanceof SinkhornResult r) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("schema", Json.schema("ot-plan"));
      p.put("method", "sinkhorn");
      p.put("n", n);
      p.put("m", m);
      p.put("description", "dual potentials: P_ij = exp((f_i + g_j - M_ij) / reg); null for a point of zero weight");
      p.put("reg", r.reg());
      p.put("f", finiteOrNull(r.f()));
      p.put("g", finiteOrNull(r.g()));
      Outputs.nonFinite(spec, potentials, Json.write(potentialsTarget, p));
    }
  }

  private static double[] flat(double[][] rows) {
    int m = rows.length == 0 ? 0 : rows[0].length;
    double[] out = new double[rows.length * m];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, out, i * m, m);
    }
    return out;
  }

  private static double[] uniform(int n) {
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1.0 / n);
    return w;
  }

  /** The cloud with the weights of a file, when one is given. */
  private static TokenCloud weighted(TokenCloud c, Path weights, String option) {
    if (weights == null) {
      return c;
    }
    return c.withWeights(Inputs.weights(weights, option, c.size(), "points of the cloud"));
  }

  /** The memory budget of Sinkhorn's kernel: {@code --memory}, or a quarter of the heap. */
  private long budget() {
    return memory != null ? memory : Sinkhorn.defaultMemory();
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

  private Map<String, Object> planJson(TransportResult result, CostMatrix cm, int n, int m) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("schema", Json.schema("ot-plan"));
    p.put("method", method.name().toLowerCase(Locale.ROOT));
    p.put("cost", costMatrix != null ? "matrix" : cost.name().toLowerCase(Locale.ROOT));
    p.put("n", n);
    p.put("m", m);
    if (result instanceof ExactResult r) {
      TransportPlan tp = r.plan();
      List<double[]> entries = new ArrayList<>(tp.nonZeros());
      for (int k = 0; k < tp.nonZeros(); k++) {
        entries.add(new double[] {tp.row(k), tp.col(k), tp.mass(k)});
      }
      p.put("description", "sparse plan: [row, column, mass] for each non-zero entry");
      p.put("entries", entries);
    } else if (result instanceof SinkhornResult r) {
      double[] dense = r.plan(cm);
      List<double[]> rows = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        rows.add(java.util.Arrays.copyOfRange(dense, i * m, (i + 1) * m));
      }
      p.put("description", "dense plan: P[i][j], n rows of m (POT's ot.sinkhorn)");
      p.put("reg", r.reg());
      p.put("plan", rows);
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
