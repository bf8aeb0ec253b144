package dev.tokendyn.cli;

import dev.tokendyn.analysis.DynamicsFit;
import dev.tokendyn.analysis.ModelSequences;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.export.FitReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn fit}: the idealised SA dynamics that best reproduce a model, or any cloud sequence. */
@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Fit SA dynamics (Q = K = V = I) to a model's layers or to a cloud sequence: start from layer 0 projected",
      "onto the sphere and find beta and the time per layer that minimise the mean squared distance of each",
      "simulated token to the same token in every later layer. Writes tokendyn.fit/1 JSON and, with --out, a",
      "plot of the mean cosine per layer beside it (OUT.png).",
      "Example: tokendyn fit --model all-minilm-l6-v2 --input texts.txt --out fit.json"})
final class FitCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin ThreadsOption threads;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @ArgGroup(exclusive = false)
    ModelTexts model;

    @Option(names = "--sequence", description = "A cloud sequence (JSON, .npy (L,n,d), a folder of .npy) or an extraction"
        + " (each text simulated on its own).")
    Path sequence;
  }

  @Option(names = "--out", description = "Output JSON (default: print the JSON to standard output, no plot).")
  Path out;

  @picocli.CommandLine.Mixin OutputOptions output;

  @Option(names = "--steps-per-layer", defaultValue = "10", description = "RK4 steps per layer (default: ${DEFAULT-VALUE}).")
  int stepsPerLayer;

  @Override
  public Integer call() throws Exception {
    Outputs.In[] inputs = {Outputs.in("--sequence", source.sequence),
        Outputs.in("--input", source.model == null ? null : source.model.input),
        Outputs.in("--model", source.model == null ? null : Path.of(source.model.model))};
    Path target = null;
    Path png = null;
    if (out != null && !Outputs.isStdout(out)) {
      target = Outputs.file(spec, out, "--out", output.parents, inputs);
      png = Outputs.file(spec, out.resolveSibling(stem(out) + ".png"), "the plot beside --out", output.parents, inputs);
    }
    DynamicsFit.Options d = DynamicsFit.Options.defaults();
    DynamicsFit.Options o = new DynamicsFit.Options(stepsPerLayer, d.betaGrid(), d.tauGrid(), d.maxEvaluations(),
        threads.count());
    String name;
    List<CloudSequence> seqs;
    if (source.model != null) {
      ModelSequences m = ModelSequences.extract(source.model.model, Inputs.texts(source.model.input),
          source.model.truncate);
      name = m.name();
      seqs = m.texts();
    } else {
      name = source.sequence.getFileName().toString();
      seqs = Inputs.sequences(source.sequence, "--sequence " + source.sequence);
    }
    Memory.require(fitBytes(seqs, o.threads()), "fit of " + seqs.size() + " sequence(s)");
    DynamicsFit.Result r;
    try (Stages bar = Stages.elapsed("fit")) {
      r = DynamicsFit.fit(seqs, o);
    } catch (IllegalArgumentException e) {
      throw new UsageException((source.sequence != null ? "--sequence " + source.sequence : "--model " + name) + ": "
          + e.getMessage(), e);
    }
    PrintWriter w = spec.commandLine().getOut();
    if (target == null) {
      dev.tokendyn.cloud.Json.Text text = dev.tokendyn.cloud.Json.text(FitReport.document(name, r, o));
      Outputs.nonFinite(spec, Path.of(Outputs.STDOUT), text.nonFinite());
      w.println(text.json());
      return Main.OK;
    }
    Outputs.nonFinite(spec, out, FitReport.write(target, name, r, o));
    FitReport.writePlot(png, name, r);
    w.printf(Locale.ROOT, "%s: beta %.4g, time per layer %.4g, residual %.3g (static %.3g); wrote %s and %s%n", name,
        r.beta(), r.timePerLayer(), r.residual(), r.staticResidual(), out, png);
    return Main.OK;
  }

  /**
   * The fit holds each sequence twice more (on the sphere, and the simulated trajectory it compares), and
   * each thread simulates one text at a time with RK4's stages.
   */
  private static long fitBytes(List<CloudSequence> seqs, int threads) {
    long values = 0;
    long widest = 0;
    for (CloudSequence q : seqs) {
      long text = (long) q.cloud(0).size() * q.cloud(0).dimension();
      values += text * q.size();
      widest = Math.max(widest, text);
    }
    return 8 * (2 * values + 8L * threads * widest);
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    return n.toLowerCase(Locale.ROOT).endsWith(".json") ? n.substring(0, n.length() - 5) : n;
  }
}
