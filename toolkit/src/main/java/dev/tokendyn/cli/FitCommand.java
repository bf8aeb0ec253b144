package dev.tokendyn.cli;

import dev.tokendyn.analysis.DynamicsFit;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.export.FitReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn fit}: the idealised SA dynamics that best reproduce a sequence of clouds. */
@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Fit SA dynamics (Q = K = V = I) to a cloud sequence: start from layer 0 projected onto the sphere and find",
      "beta and the time per layer that minimise the mean squared distance of each simulated token to the same",
      "token in every later layer. Writes tokendyn.fit/1 JSON and a plot of the mean cosine per layer beside it."})
final class FitCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--sequence", required = true, description = "A cloud sequence (JSON, .npy (L,n,d), or a folder of .npy).")
  Path sequence;

  @Option(names = "--out", description = "Output JSON (default: print the JSON to standard output, no plot).")
  Path out;

  @Option(names = "--steps-per-layer", defaultValue = "10", description = "RK4 steps per layer (default: ${DEFAULT-VALUE}).")
  int stepsPerLayer;

  @Override
  public Integer call() throws Exception {
    if (out != null) {
      Inputs.checkOutput(out, "--out");
    }
    CloudSequence seq = Inputs.sequence(sequence, "--sequence");
    DynamicsFit.Options d = DynamicsFit.Options.defaults();
    DynamicsFit.Options o = new DynamicsFit.Options(stepsPerLayer, d.betaGrid(), d.tauGrid(), d.maxEvaluations(),
        d.threads());
    DynamicsFit.Result r = DynamicsFit.fit(seq, o);
    String source = sequence.getFileName().toString();
    PrintWriter w = spec.commandLine().getOut();
    if (out == null) {
      w.println(dev.tokendyn.cloud.Json.toString(FitReport.document(source, r, o)));
      return Main.OK;
    }
    FitReport.write(out, source, r, o);
    Path png = out.resolveSibling(stem(out) + ".png");
    FitReport.writePlot(png, source, r);
    w.printf(Locale.ROOT, "beta %.4g, time per layer %.4g, residual %.3g (static %.3g); wrote %s and %s%n", r.beta(),
        r.timePerLayer(), r.residual(), r.staticResidual(), out, png);
    return Main.OK;
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    return n.toLowerCase(Locale.ROOT).endsWith(".json") ? n.substring(0, n.length() - 5) : n;
  }
}
