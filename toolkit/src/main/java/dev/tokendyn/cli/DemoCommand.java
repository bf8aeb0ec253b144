package dev.tokendyn.cli;

import dev.tokendyn.analysis.PhaseSweep;
import dev.tokendyn.analysis.SimulationRun;
import dev.tokendyn.export.Plots;
import dev.tokendyn.export.SimulationReport;
import dev.tokendyn.export.SweepReport;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.SimulationParams;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn demo}: the main job on its built-in defaults. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the built-in demonstration with no arguments: the emergence of clusters for 32 tokens on S^2 under",
      "SA, USA and Sinkformer dynamics, and a small phase diagram over beta for d = 8; writes JSON and PNG",
      "files to results/demo/ and prints a summary table."})
final class DemoCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", description = "Output folder (default: results/demo in the tokendyn folder).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path dir = out != null ? out : defaultFolder();
    PrintWriter o = spec.commandLine().getOut();
    int threads = Runtime.getRuntime().availableProcessors();
    double eps = SimulationRun.DEFAULT_CLUSTER_EPS;

    Map<String, double[]> cosine = new LinkedHashMap<>();
    double[] times = null;
    o.printf(Locale.ROOT, "%-11s %6s %6s %8s %14s %10s %14s%n", "dynamics", "n", "d", "beta", "mean cos t=30",
        "clusters", "first t, 1 cl.");
    for (Dynamics dyn : Dynamics.values()) {
      SimulationParams p = SimulationParams.of(dyn, 32, 3, 1.0, 0.1, 300, 7).withRecordEvery(5)
          .withSinkhornIterations(5);
      List<SimulationRun.Frame> frames = SimulationRun.run(p, threads, eps, true);
      String name = dyn.name().toLowerCase(Locale.ROOT);
      SimulationReport.write(dir.resolve("simulation-" + name + ".json"), p, eps, frames);
      times = frames.stream().mapToDouble(SimulationRun.Frame::time).toArray();
      cosine.put(dyn.name(), frames.stream().mapToDouble(SimulationRun.Frame::meanCosine).toArray());
      SimulationRun.Frame last = frames.get(frames.size() - 1);
      String firstSingle = frames.stream().filter(f -> f.clusters() == 1).findFirst()
          .map(f -> String.format(Locale.ROOT, "%.1f", f.time())).orElse("-");
      o.printf(Locale.ROOT, "%-11s %6d %6d %8.1f %14.6f %10d %14s%n", name, p.n(), p.d(), p.beta(), last.meanCosine(),
          last.clusters(), firstSingle);
    }
    Plots.save(Plots.lines("Mean pairwise cosine of 32 tokens on S^2 (beta = 1, seed 7)", "time t",
        "mean cosine <x_i, x_j>, i != j", times, cosine), dir.resolve("mean-cosine.png"));

    PhaseSweep.Grid grid = new PhaseSweep.Grid(Dynamics.SA, 32, new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8},
        new int[] {8}, 4, 0, 0.1, 300, 10);
    List<PhaseSweep.Cell> cells = PhaseSweep.run(grid, threads, done -> { });
    SweepReport.write(dir.resolve("sweep.json"), grid, cells);
    SweepReport.writeHeatMap(dir.resolve("sweep-d8.png"), grid, cells, 8);
    o.printf(Locale.ROOT, "%nphase diagram, SA, n=32, d=8, 4 starts: fraction of pairs with cosine > 0.999 at t=30%n");
    for (PhaseSweep.Cell c : cells) {
      double[] m = c.meanClusteredFraction();
      o.printf(Locale.ROOT, "  beta=%-4.1f %.3f%n", c.beta(), m[m.length - 1]);
    }
    o.println("wrote " + dir);
    return Main.OK;
  }

  private static Path defaultFolder() {
    String home = System.getenv("TOKENDYN_HOME");
    return (home != null ? Path.of(home) : Path.of("")).resolve("results").resolve("demo");
  }
}
