package dev.tokendyn.cli;

import dev.tokendyn.analysis.SimulationRun;
import dev.tokendyn.export.SimulationReport;
import dev.tokendyn.sphere.Geometry;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Mask;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.StepControl;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokendyn simulate}: attention dynamics on the sphere, measured frame by frame. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Simulate n tokens on the unit sphere S^{d-1} under self-attention dynamics (SA, USA or Sinkformer)",
      "and write each recorded frame's time, mean cosine, cluster count and energy (tokendyn.simulation/1).",
      "Example: tokendyn simulate --dynamics sa --n 32 --d 3 --beta 1 --dt 0.1 --time 30 --init uniform --seed 7 --out sim.json"})
final class SimulateCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--n", required = true, description = "Number of tokens, >= 1.")
  int n;

  @Option(names = "--d", required = true, description = "Dimension, >= 2 (the sphere S^{d-1}).")
  int d;

  @Option(names = "--beta", required = true, description = "Inverse temperature, >= 0.")
  double beta;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Duration duration;

  static final class Duration {
    @Option(names = "--time", description = "Final time; the step count is time/dt, which must be a whole number.")
    Double time;

    @Option(names = "--steps", description = "Number of steps.")
    Integer steps;
  }

  @Option(names = "--init", defaultValue = "uniform", paramLabel = "uniform|gaussian|equiangular:RHO|FILE",
      description = "Initial tokens (default: ${DEFAULT-VALUE}).")
  String init;

  @Option(names = "--seed", required = true, description = "Seed of every random choice.")
  long seed;

  @Option(names = "--record-every", defaultValue = "1", description = "Record a frame every K steps (default: ${DEFAULT-VALUE}).")
  int recordEvery;

  @Option(names = "--save-points", description = "Include each frame's points in the output.")
  boolean savePoints;

  @Option(names = "--mask", defaultValue = "none", paramLabel = "none|causal",
      description = "none, or causal: token i attends only to tokens j <= i (default: ${DEFAULT-VALUE}).")
  Mask mask;

  @Option(names = "--geometry", defaultValue = "sphere", paramLabel = "sphere|euclidean",
      description = "sphere (projected, renormalised) or euclidean (tokens in R^d, no projection; a norm past"
          + " 1e150 stops the run) (default: ${DEFAULT-VALUE}).")
  Geometry geometry;

  @Option(names = "--step", defaultValue = "fixed", paramLabel = "fixed|adaptive",
      description = "fixed steps of --dt, or adaptive: h = min(dt, 0.02 / max |v_i|), landing on the recorded"
          + " times (for USA at large beta) (default: ${DEFAULT-VALUE}).")
  StepControl step;

  @Option(names = "--out", required = true, description = "Output JSON file, or - for standard output.")
  Path out;

  @Mixin SimulationOptions sim;

  @Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    Path target = Outputs.file(spec, out, "--out", output.parents, Outputs.in("--init", SimulationOptions.initFile(init)),
        Outputs.in("--qkv", sim.qkvFile()));
    sim.checkClusterEps();
    int steps = steps(duration, sim.dt);
    Init start = SimulationOptions.init(init);
    SimulationParams p = new SimulationParams(sim.dynamics, n, d, beta, sim.dt, steps, start, seed, sim.integrator,
        sim.noise, recordEvery, sim.sinkhornIterations, sim.interaction(d, seed), mask, geometry, step);
    Memory.require(SimulationRun.memoryBytes(p, sim.threads(), savePoints), String.format(Locale.ROOT,
        "simulate --n %d --d %d with %d recorded frames%s", n, d, steps / (long) Math.max(1, recordEvery) + 1,
        savePoints ? " and --save-points" : ""));
    // fail on an impossible initial condition before any work
    if (geometry == Geometry.SPHERE) {
      start.points(n, d, seed);
    } else {
      start.euclideanPoints(n, d, seed);
    }
    List<SimulationRun.Frame> frames;
    try (Stages bar = new Stages("simulate", Math.max(1, steps))) {
      frames = SimulationRun.run(p, sim.threads(), sim.clusterEps, savePoints, bar::stepTo);
    }
    Outputs.nonFinite(spec, out, SimulationReport.write(target, p, sim.clusterEps, frames));
    SimulationRun.Frame last = frames.get(frames.size() - 1);
    PrintWriter o = Outputs.status(spec, out);
    o.printf(Locale.ROOT, "%s n=%d d=%d beta=%s%s%s: t=%s mean cosine %.6f, %d cluster(s)%s; wrote %d frames to %s%n",
        sim.dynamics.name().toLowerCase(Locale.ROOT), n, d, beta, mask == Mask.CAUSAL ? " causal" : "",
        geometry == Geometry.EUCLIDEAN ? " euclidean" : "", last.time(), last.meanCosine(), last.clusters(),
        step == StepControl.ADAPTIVE ? " after " + last.step() + " adaptive steps" : "", frames.size(), out);
    return Main.OK;
  }

  static int steps(Duration duration, double dt) {
    if (duration.steps != null) {
      if (duration.steps < 0) {
        throw new UsageException("--steps must be >= 0, found " + duration.steps);
      }
      return duration.steps;
    }
    double t = duration.time;
    if (!(t >= 0) || Double.isInfinite(t)) {
      throw new UsageException("--time must be finite and >= 0, found " + t);
    }
    if (!(dt > 0) || Double.isInfinite(dt)) {
      throw new UsageException("--dt must be finite and > 0, found " + dt);
    }
    double s = t / dt;
    long r = Math.round(s);
    if (Math.abs(s - r) > 1e-9 * Math.max(1, s)) {
      throw new UsageException("--time " + t + " is not a whole number of steps of --dt " + dt
          + "; use --steps or a time that dt divides");
    }
    if (r > Integer.MAX_VALUE) {
      throw new UsageException("--time " + t + " / --dt " + dt + " gives too many steps (" + r + ")");
    }
    return (int) r;
  }
}
