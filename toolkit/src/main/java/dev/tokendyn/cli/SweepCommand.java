package dev.tokendyn.cli;

import dev.tokendyn.analysis.PhaseSweep;
import dev.tokendyn.export.SweepReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tokendyn sweep}: the clustering phase diagram over beta x d x seeds. A subclass may run the
 * simulations elsewhere (on a cluster) by overriding {@link #compute}; options, output and messages stay
 * these.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run the dynamics over a grid of beta x d with several random starts each, on every core, and record at",
      "each time the fraction of token pairs with <x_i,x_j> > 0.999 (the phase diagram of Geshkovski et al.).",
      "Writes JSON (tokendyn.sweep/1) and one heat map PNG per d beside it (OUT-d<D>.png).",
      "Example: tokendyn sweep --betas 0:9:1 --ds 8,128 --seeds 4 --n 32 --dt 0.1 --time 20 --out sweep.json"})
public class SweepCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--betas", required = true, paramLabel = "LIST|START:STOP:STEP",
      description = "Inverse temperatures: a comma list (1,2,4) or a range START:STOP:STEP, STOP included.")
  String betas;

  @Option(names = "--ds", required = true, split = ",", description = "Dimensions, a comma list (8,128).")
  int[] ds;

  @Option(names = "--seeds", defaultValue = "4", description = "Random starts per cell (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--seed", defaultValue = "0", description = "First seed; start s uses seed+s (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--n", defaultValue = "32", description = "Tokens (default: ${DEFAULT-VALUE}).")
  int n;

  @ArgGroup(exclusive = true, multiplicity = "1")
  SimulateCommand.Duration duration;

  @Option(names = "--record-every", defaultValue = "10", description = "Record every K steps (default: ${DEFAULT-VALUE}).")
  int recordEvery;

  @Option(names = "--out", required = true, description = "Output JSON file.")
  Path out;

  @Option(names = "--no-plot", description = "Skip the heat map PNGs.")
  boolean noPlot;

  @Mixin SimulationOptions sim;

  @Mixin OutputOptions output;

  @Override
  public final Integer call() throws Exception {
    if (Outputs.isStdout(out) && !noPlot) {
      throw new UsageException("--out - writes the JSON to standard output and has no folder for the heat maps;"
          + " add --no-plot");
    }
    Outputs.In qkv = Outputs.in("--qkv", sim.qkvFile());
    Path target = Outputs.file(spec, out, "--out", output.parents, qkv);
    List<Path> pngs = new ArrayList<>();
    if (!noPlot) {
      for (int d : ds) {
        pngs.add(Outputs.file(spec, heatMapPath(out, d), "heat map of --out", output.parents, qkv));
      }
    }
    for (int d : ds) {
      if (d < 2) {
        throw new UsageException("--ds must hold dimensions >= 2 (the sphere S^{d-1}), found " + d);
      }
    }
    int steps = SimulateCommand.steps(duration, sim.dt);
    PhaseSweep.Grid grid = new PhaseSweep.Grid(sim.dynamics, n, parseBetas(betas), ds, seeds, seed, sim.dt, steps,
        recordEvery);
    int total = grid.runs();
    Memory.require(PhaseSweep.memoryBytes(grid, sim.threads()), String.format(Locale.ROOT,
        "sweep over %d simulations of --n %d", total, n));
    List<PhaseSweep.Cell> cells = compute(grid);
    Outputs.nonFinite(spec, out, SweepReport.write(target, grid, cells));
    for (int i = 0; i < pngs.size(); i++) {
      SweepReport.writeHeatMap(pngs.get(i), grid, cells, ds[i]);
    }
    PrintWriter o = Outputs.status(spec, out);
    o.printf(Locale.ROOT, "%d simulations (%d betas x %d dims x %d seeds); wrote %s%s%n", total, grid.betas().length,
        ds.length, seeds, out, pngs.isEmpty() ? "" : " and " + pngs);
    return Main.OK;
  }

  /**
   * Runs every simulation of the grid and gathers the cells ({@link PhaseSweep#simulate},
   * {@link PhaseSweep#cells}). Here: on {@code --threads} of this machine, with a progress bar.
   */
  protected List<PhaseSweep.Cell> compute(PhaseSweep.Grid grid) throws Exception {
    try (Stages bar = new Stages("sweep", grid.runs())) {
      return PhaseSweep.run(grid, sim.threads(), bar::stepTo);
    }
  }

  static Path heatMapPath(Path json, int d) {
    String name = json.getFileName().toString();
    String stem = name.toLowerCase(Locale.ROOT).endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return json.resolveSibling(stem + "-d" + d + ".png");
  }

  static double[] parseBetas(String spec) {
    String s = spec.strip();
    try {
      if (s.contains(":")) {
        String[] p = s.split(":");
        if (p.length != 3) {
          throw new UsageException("--betas range must be START:STOP:STEP, found " + s);
        }
        double a = Double.parseDouble(p[0]);
        double b = Double.parseDouble(p[1]);
        double step = Double.parseDouble(p[2]);
        if (!(step > 0) || !(b >= a)) {
          throw new UsageException("--betas range needs STEP > 0 and STOP >= START, found " + s);
        }
        int count = (int) Math.floor((b - a) / step + 1e-9) + 1;
        if (count > 10_000) {
          throw new UsageException("--betas range " + s + " has " + count + " values; at most 10000");
        }
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
          v[i] = a + i * step;
        }
        return v;
      }
      String[] p = s.split(",");
      double[] v = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        v[i] = Double.parseDouble(p[i].strip());
      }
      return v;
    } catch (NumberFormatException e) {
      throw new UsageException("--betas " + s + " is not a comma list of numbers or START:STOP:STEP", e);
    }
  }
}
