package dev.tokendyn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.analysis.MeanFieldRun;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.export.MeanFieldReport;
import dev.tokendyn.meanfield.CircleDensity;
import dev.tokendyn.meanfield.InitialDensity;
import dev.tokendyn.meanfield.MeanFieldParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn meanfield}: the continuity equation of SA on the circle. */
@Command(
    name = "meanfield",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Solve the mean-field (continuity) equation d_t rho + d_theta(rho v[rho]) = 0 of SA on the circle (d = 2)",
      "by conservative finite volumes with FFT convolutions, and write the density and its mean cosine over time",
      "(tokendyn.meanfield/1); with --particles, also run n SA particles from samples of the same start.",
      "Example: tokendyn meanfield --beta 4 --grid 1024 --time 30 --frames 30 --init vonmises:0:1 --out mf.json"})
final class MeanFieldCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--beta", required = true, description = "Inverse temperature, >= 0.")
  double beta;

  @Option(names = "--grid", defaultValue = "1024", description = "Grid points, any number >= 16 (default: ${DEFAULT-VALUE}).")
  int grid;

  @Option(names = "--time", required = true, description = "Final time, >= 0.")
  double time;

  @Option(names = "--frames", defaultValue = "30", description = "Recorded intervals (default: ${DEFAULT-VALUE}).")
  int frames;

  @Option(names = "--init", defaultValue = "uniform", paramLabel = "uniform|vonmises:MU:KAPPA|W*TERM+...|FILE",
      description = "Initial density: uniform, von Mises exp(KAPPA cos(theta - MU)), a weighted sum such as"
          + " 0.5*vonmises:0:8+0.5*vonmises:3:8, or a JSON file holding the density's values at the --grid points"
          + " (default: ${DEFAULT-VALUE}).")
  String init;

  @Option(names = "--particles", defaultValue = "0",
      description = "Also run this many SA particles from samples of the start (default: ${DEFAULT-VALUE}).")
  int particles;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the particles' samples (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--cfl", defaultValue = "0.45", description = "Time step / cell width, in (0, 0.5] (default: ${DEFAULT-VALUE}).")
  double cfl;

  @Option(names = "--out", required = true, description = "Output JSON file, or - for standard output.")
  Path out;

  @picocli.CommandLine.Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    Path target = Outputs.file(spec, out, "--out", output.parents,
        Outputs.in("--init", Files.isRegularFile(Path.of(init.strip())) ? Path.of(init.strip()) : null));
    if (grid < CircleDensity.MIN_GRID) {
      throw new UsageException("--grid must be at least " + CircleDensity.MIN_GRID + ", found " + grid
          + " (1024 resolves beta = 64)");
    }
    if (particles < 0) {
      throw new UsageException("--particles must be >= 0, found " + particles);
    }
    MeanFieldParams p;
    try {
      p = new MeanFieldParams(beta, time, frames, cfl);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage().replaceFirst("^(beta|time|frames|cfl)", "--$1"), e);
    }
    String described;
    CircleDensity start;
    try {
      if (Files.isRegularFile(Path.of(init.strip()))) {
        start = CircleDensity.normalised(values(Path.of(init.strip())));
        described = Path.of(init.strip()).getFileName().toString();
      } else {
        InitialDensity d = density(init);
        start = d.on(grid);
        described = d.describe();
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException("--init " + init + ": " + e.getMessage(), e);
    }
    List<MeanFieldRun.Frame> fs = MeanFieldRun.run(start, p, particles, seed);
    Outputs.nonFinite(spec, out, MeanFieldReport.write(target, new MeanFieldReport.Parameters(beta, grid, time, frames,
        cfl, described, particles, seed), fs));
    MeanFieldRun.Frame last = fs.get(fs.size() - 1);
    PrintWriter o = Outputs.status(spec, out);
    o.printf(Locale.ROOT, "meanfield beta=%s grid=%d: t=%s mean cosine %.6f, mass %.12f%s; wrote %d frames to %s%n",
        beta, grid, last.time(), last.meanCosine(), last.density().mass(),
        particles > 0 ? String.format(Locale.ROOT, "; %d particles: mean cosine %.6f, W2 %.4f", particles,
            last.particleMeanCosine(), last.w2()) : "", fs.size(), out);
    return Main.OK;
  }

  private double[] values(Path file) {
    JsonNode node;
    try {
      node = Json.readTree(file);
    } catch (IOException e) {
      throw new UsageException("cannot read --init file: " + e.getMessage(), e);
    }
    if (node.isObject() && node.has("density")) {
      node = node.get("density");
    }
    if (!node.isArray()) {
      throw new UsageException("--init " + file + " must hold a JSON array of the density's values at the grid points");
    }
    if (node.size() != grid) {
      throw new UsageException("--init " + file + " holds " + node.size() + " values but --grid is " + grid
          + "; give --grid " + node.size());
    }
    double[] v = new double[grid];
    for (int i = 0; i < grid; i++) {
      if (!node.get(i).isNumber()) {
        throw new UsageException("--init " + file + ": value " + i + " is not a number");
      }
      v[i] = node.get(i).asDouble();
    }
    return v;
  }

  /** uniform, vonmises:MU:KAPPA, or W*TERM+W*TERM+... */
  static InitialDensity density(String spec) {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    if (s.contains("+") || s.contains("*")) {
      List<Double> weights = new ArrayList<>();
      List<InitialDensity> parts = new ArrayList<>();
      for (String term : s.split("\\+")) {
        String t = term.strip();
        double w = 1;
        int star = t.indexOf('*');
        if (star >= 0) {
          w = number(t.substring(0, star), "the weight of " + t);
          t = t.substring(star + 1).strip();
        }
        weights.add(w);
        parts.add(density(t));
      }
      return new InitialDensity.Mixture(weights, parts);
    }
    if (s.equals("uniform")) {
      return InitialDensity.uniform();
    }
    if (s.startsWith("vonmises:")) {
      String[] f = s.split(":");
      if (f.length != 3) {
        throw new UsageException("--init " + spec + ": write vonmises:MU:KAPPA, such as vonmises:0:4");
      }
      return InitialDensity.vonMises(number(f[1], "MU"), number(f[2], "KAPPA"));
    }
    throw new UsageException("--init " + spec + " is not uniform, vonmises:MU:KAPPA, a sum W*TERM+..., or a file");
  }

  private static double number(String s, String what) {
    try {
      return Double.parseDouble(s.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("--init: " + what + " is not a number: '" + s + "'", e);
    }
  }
}
