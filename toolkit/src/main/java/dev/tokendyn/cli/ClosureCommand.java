package dev.tokendyn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.export.ClosureReport;
import dev.tokendyn.meanfield.GaussianClosure;
import dev.tokendyn.meanfield.GaussianState;
import dev.tokendyn.sphere.Interaction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn closure}: the mean and covariance of a Gaussian under Euclidean self-attention. */
@Command(
    name = "closure",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Integrate (RK4) the Gaussian closure of softmax self-attention in R^d (Castin, Ablin, Carrillo, Peyre 2025):",
      "  m' = V m + beta V Sigma K^T Q m,  Sigma' = beta (V Sigma K^T Q Sigma + Sigma Q^T K Sigma V^T),",
      "and write the mean and covariance over time (tokendyn.closure/1).",
      "Example: tokendyn closure --qkv identity --d 2 --beta 1 --mean zero --cov identity --time 0.4 --dt 0.01"
          + " --out closure.json"})
final class ClosureCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--qkv", defaultValue = "identity", paramLabel = "identity|gaussian|FILE",
      description = "Q, K, V: identity, Gaussian N(0,1/d) from --seed, or a JSON file {\"q\":[[..]],\"k\":..,\"v\":..}"
          + " (default: ${DEFAULT-VALUE}).")
  String qkv;

  @Option(names = "--beta", required = true, description = "Inverse temperature, >= 0.")
  double beta;

  @Option(names = "--mean", defaultValue = "zero", paramLabel = "zero|FILE",
      description = "Initial mean: zero, or a JSON file holding an array [m_1, ..., m_d] (default: ${DEFAULT-VALUE}).")
  String mean;

  @Option(names = "--cov", defaultValue = "identity", paramLabel = "identity|FILE",
      description = "Initial covariance: identity, or a JSON file holding [[...], ...], symmetric positive"
          + " semi-definite (default: ${DEFAULT-VALUE}).")
  String cov;

  @Option(names = "--d", description = "Dimension; needed only when no file gives it.")
  Integer d;

  @Option(names = "--time", required = true, description = "Final time; time/dt must be a whole number.")
  double time;

  @Option(names = "--dt", required = true, description = "RK4 step.")
  double dt;

  @Option(names = "--record-every", defaultValue = "1", description = "Record every K steps (default: ${DEFAULT-VALUE}).")
  int recordEvery;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of --qkv gaussian (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", required = true, description = "Output JSON file, or - for standard output.")
  Path out;

  @picocli.CommandLine.Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    Path target = Outputs.file(spec, out, "--out", output.parents, Outputs.in("--mean", fileOrNull(mean, "zero")),
        Outputs.in("--cov", fileOrNull(cov, "identity")), Outputs.in("--qkv", fileOrNull(qkv, "identity", "gaussian")));
    if (recordEvery < 1) {
      throw new UsageException("--record-every must be >= 1, found " + recordEvery);
    }
    SimulateCommand.Duration duration = new SimulateCommand.Duration();
    duration.time = time;
    int steps = SimulateCommand.steps(duration, dt);
    double[] m = mean.strip().equalsIgnoreCase("zero") ? null : vector(Path.of(mean.strip()));
    double[] c = cov.strip().equalsIgnoreCase("identity") ? null : matrix(Path.of(cov.strip()));
    Interaction file = qkv.strip().equalsIgnoreCase("gaussian") ? null : new SimulationOptionsReader(qkv).read();
    int dim = dimension(m, c, file);
    Interaction interaction = file != null ? file : Interaction.gaussian(dim, seed);
    if (m == null) {
      m = new double[dim];
    }
    if (c == null) {
      c = GaussianState.standard(dim).cov();
    }
    GaussianState start;
    try {
      start = new GaussianState(m, c);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--cov / --mean: " + e.getMessage(), e);
    }
    List<GaussianClosure.Frame> frames = GaussianClosure.integrate(interaction, beta, start, dt, steps, recordEvery);
    Outputs.nonFinite(spec, out, ClosureReport.write(target, new ClosureReport.Parameters(dim, beta, dt, steps, interaction.source(),
        mean.strip().equalsIgnoreCase("zero") ? "zero" : Path.of(mean.strip()).getFileName().toString(),
        cov.strip().equalsIgnoreCase("identity") ? "identity" : Path.of(cov.strip()).getFileName().toString()), frames));
    GaussianClosure.Frame last = frames.get(frames.size() - 1);
    double trace = 0;
    for (int i = 0; i < dim; i++) {
      trace += last.cov()[i * dim + i];
    }
    PrintWriter o = Outputs.status(spec, out);
    o.printf(Locale.ROOT, "closure d=%d beta=%s: t=%s trace(Sigma) %.6g; wrote %d frames to %s%n", dim, beta,
        last.time(), trace, frames.size(), out);
    return Main.OK;
  }

  /** The dimension all given inputs agree on. */
  private int dimension(double[] m, double[] c, Interaction file) {
    Integer dim = d;
    String from = "--d";
    int[] sizes = {m == null ? -1 : m.length, c == null ? -1 : (int) Math.round(Math.sqrt(c.length)),
        file == null ? -1 : file.dimension()};
    String[] names = {"--mean", "--cov", "--qkv"};
    for (int i = 0; i < 3; i++) {
      if (sizes[i] < 0) {
        continue;
      }
      if (dim != null && dim != sizes[i]) {
        throw new UsageException(names[i] + " has dimension " + sizes[i] + " but " + from + " gives " + dim
            + "; make them agree");
      }
      dim = sizes[i];
      from = names[i];
    }
    if (dim == null) {
      throw new UsageException("no file gives the dimension: add --d D");
    }
    if (dim < 1) {
      throw new UsageException("--d must be >= 1, found " + dim);
    }
    return dim;
  }

  private static double[] vector(Path p) {
    JsonNode node = read(p, "--mean");
    if (!node.isArray() || node.isEmpty()) {
      throw new UsageException("--mean " + p + " must hold a JSON array of numbers, such as [0.5, -1]");
    }
    double[] v = new double[node.size()];
    for (int i = 0; i < v.length; i++) {
      if (!node.get(i).isNumber()) {
        throw new UsageException("--mean " + p + ": entry " + i + " is not a number");
      }
      v[i] = node.get(i).asDouble();
    }
    return v;
  }

  private static double[] matrix(Path p) {
    JsonNode node = read(p, "--cov");
    int n = node.size();
    if (!node.isArray() || n == 0) {
      throw new UsageException("--cov " + p + " must hold a square JSON array of arrays, such as [[1, 0], [0, 2]]");
    }
    double[] c = new double[n * n];
    for (int i = 0; i < n; i++) {
      JsonNode row = node.get(i);
      if (!row.isArray() || row.size() != n) {
        throw new UsageException("--cov " + p + " must be square: row " + i + " has " + row.size() + " entries, expected "
            + n);
      }
      for (int j = 0; j < n; j++) {
        if (!row.get(j).isNumber()) {
          throw new UsageException("--cov " + p + ": entry (" + i + "," + j + ") is not a number");
        }
        c[i * n + j] = row.get(j).asDouble();
      }
    }
    return c;
  }

  private static JsonNode read(Path p, String option) {
    try {
      return Json.readTree(p);
    } catch (IOException e) {
      throw new UsageException("cannot read " + option + " file: " + e.getMessage(), e);
    }
  }

  /** The file that an option names, or null for one of its words (zero, identity, gaussian). */
  private static Path fileOrNull(String value, String... words) {
    for (String w : words) {
      if (value.strip().equalsIgnoreCase(w)) {
        return null;
      }
    }
    return Path.of(value.strip());
  }

  /** --qkv identity or a file, through the option parser that simulate uses. */
  private record SimulationOptionsReader(String spec) {
    Interaction read() {
      SimulationOptions o = new SimulationOptions();
      o.qkv = spec;
      return o.interaction(-1, 0);
    }
  }
}
