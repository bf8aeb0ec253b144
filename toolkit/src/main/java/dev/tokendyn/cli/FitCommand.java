package dev.tokendyn.cli;

import dev.tokendyn.analysis.AttentionFlow;
import dev.tokendyn.analysis.Coordinates;
import dev.tokendyn.analysis.DynamicsFit;
import dev.tokendyn.analysis.ModelFit;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.export.FitReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn fit}: how far a model, or any cloud sequence, is from the idealised SA dynamics. */
@Command(
    name = "fit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "How far a model's layers, or a cloud sequence, are from the idealised SA flow (Q = K = V = I).",
      "Fit SA dynamics (Q = K = I) to a model's layers or to a cloud sequence, with one beta and time "
          + "per layer for all layers (from layer 0) or one pair per layer (--per-layer, each layer from the "
          + "real previous one), scored by positions, Gram matrices or W2; report the explained fraction "
          + "with a bootstrap interval, the ceiling of any V = I flow, a profile over beta, and which "
          + "parameters are identifiable. For a model, also each attention sublayer run as a particle step. "
          + "Writes tokendyn.fit/2 JSON and, with --out, plots.",
      "Example: tokendyn fit --model all-minilm-l6-v2 --input texts.txt --per-layer --objective gram --out fit.json"
    })
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

  @Option(names = "--objective", defaultValue = "positions", paramLabel = "positions|gram|w2",
      description = "What is compared: token positions, Gram matrices (rotation-invariant), or W2 between the clouds"
          + " (default: ${DEFAULT-VALUE}).")
  DynamicsFit.Objective objective;

  @Option(names = "--coordinates", defaultValue = "sphere", paramLabel = "sphere|unnormalised",
      description = "sphere: h/|h|; unnormalised: the last LayerNorm's affine map undone first, (h - bias)/gain"
          + " (post-LN models only) (default: ${DEFAULT-VALUE}).")
  Coordinates coordinates;

  @Option(names = "--per-layer", description = "One beta and one time for each layer, each layer from the real previous one.")
  boolean perLayer;

  @Option(names = "--fit-value", description = "Also fit a value matrix per layer by least squares (time absorbed).")
  boolean fitValue;

  @Option(names = "--ridge", defaultValue = "0", description = "The value fit's ridge, relative to the mean |z|^2;"
      + " required (> 0) when there are fewer tokens than dimensions (default: ${DEFAULT-VALUE}).")
  double ridge;

  @Option(names = "--bootstrap", defaultValue = "20", description = "Resamples of the texts for the intervals"
      + " (default: ${DEFAULT-VALUE}; 0: none).")
  int bootstrap;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the resampling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", description = "Output JSON (default: print the JSON to standard output, no plots).")
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
    if (out != null && !Outputs.isStdout(out)) {
      target = Outputs.file(spec, out, "--out", output.parents, inputs);
      for (String plot : new String[] {".png", "-layers.png", "-profile.png"}) {
        Outputs.file(spec, out.resolveSibling(stem(out) + plot), "the plot beside --out", output.parents, inputs);
      }
    }
    if (ridge != 0 && !fitValue) {
      throw new UsageException("--ridge applies to --fit-value; add --fit-value or drop --ridge");
    }
    DynamicsFit.Options o = DynamicsFit.Options.defaults().withObjective(objective).withPerLayer(perLayer)
        .withValue(fitValue, ridge).withStepsPerLayer(stepsPerLayer).withBootstrap(bootstrap, seed)
        .withThreads(threads.count());
    String name;
    String model = null;
    DynamicsFit.Result r;
    AttentionFlow attention = null;
    if (source.model != null) {
      ModelFit f = ModelFit.run(source.model.model, Inputs.texts(source.model.input), source.model.truncate, coordinates,
          o);
      name = f.name();
      model = f.name();
      r = f.fit();
      attention = f.attention();
    } else {
      if (coordinates == Coordinates.UNNORMALISED) {
        throw new UsageException("--coordinates unnormalised needs the model's LayerNorm: give --model and --input, or"
            + " use --coordinates sphere with --sequence");
      }
      name = source.sequence.getFileName().toString();
      List<CloudSequence> seqs = Inputs.sequences(source.sequence, "--sequence " + source.sequence);
      Memory.require(fitBytes(seqs, o.threads()), "fit of " + seqs.size() + " sequence(s)");
      try (Stages bar = Stages.elapsed("fit")) {
        r = DynamicsFit.fit(seqs, o);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--sequence " + source.sequence + ": " + e.getMessage(), e);
      }
    }
    PrintWriter w = spec.commandLine().getOut();
    if (target == null) {
      dev.tokendyn.cloud.Json.Text text = dev.tokendyn.cloud.Json.text(FitReport.document(name, model, coordinates, r,
          attention));
      Outputs.nonFinite(spec, Path.of(Outputs.STDOUT), text.nonFinite());
      w.println(text.json());
      return Main.OK;
    }
    String stem = stem(out);
    Path dir = target.toAbsolutePath().getParent();
    // each file is written atomically (AtomicFiles); the plots first, so that the JSON marks a finished run
    FitReport.writePlots(dir, stem, name, r, attention);
    FitReport.write(target, name, model, coordinates, r, attention);
    String betaText = r.beta() == null ? "per layer"
        : r.beta().identifiable() ? String.format(Locale.ROOT, "%.4g", r.beta().atMinimum())
        : String.format(Locale.ROOT, "not identifiable (flat over %.3g..%.3g)", r.beta().flatRange()[0],
            r.beta().flatRange()[1]);
    String ci = r.explainedCi() == null ? "" : String.format(Locale.ROOT, " [%.1f%%, %.1f%%]", 100 * r.explainedCi()[0],
        100 * r.explainedCi()[1]);
    w.printf(Locale.ROOT, "%s: %s objective, beta %s; explained %.1f%%%s (ceiling of V = I: %.1f%%); wrote %s and"
        + " %s.png, %s-layers.png, %s-profile.png%n", name, objective.name().toLowerCase(Locale.ROOT), betaText, 100 * r.explained(),
        ci, 100 * r.ceiling(), out, stem, stem, stem);
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
