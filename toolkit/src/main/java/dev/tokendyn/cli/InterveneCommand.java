package dev.tokendyn.cli;

import dev.tokendyn.analysis.Intervention;
import dev.tokendyn.analysis.Replacement;
import dev.tokendyn.cloud.AtomicFiles;
import dev.tokendyn.export.FitReport;
import dev.tokendyn.export.InterventionReport;
import dev.tokendyn.model.Extraction;
import dev.tokendyn.model.ExtractionFiles;
import dev.tokendyn.model.Extractor;
import dev.tokendyn.model.ModelException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokendyn intervene}: a block's attention sublayer replaced by the idealised flow, the model run onward. */
@Command(
    name = "intervene",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Replace a block's attention sublayer by the idealised flow, ablate or average it, and run the model onward.",
      "Replace block L's attention sublayer by the idealised flow (sa, usa, sinkformer) for time T, "
          + "run on the block's input tokens of each text, or remove it (ablate), or replace each output by "
          + "its mean over the text (mean); then run the real model onward, and measure the effect against "
          + "the unmodified model per layer and on the sentence embeddings. Writes DIR/report.json "
          + "(tokendyn.intervention/1) and plots.",
      "Example: tokendyn intervene --model all-minilm-l6-v2 --input texts.txt --layer 2 --replace sa --beta 1 --time 0.5 --out iv"
    })
final class InterveneCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin ModelTexts source;

  @Option(names = "--layer", required = true, paramLabel = "L", description = "The block (0-based) to replace.")
  int layer;

  @Option(names = "--replace", required = true, paramLabel = "WHAT",
      description = "sa, usa, sinkformer, ablate, mean, or identity (the model's own output: a check).")
  Replacement replace;

  @Option(names = "--beta", description = "The flow's beta (with --time; or --from-fit).")
  Double beta;

  @Option(names = "--time", description = "The flow's time (with --beta; or --from-fit).")
  Double time;

  @Option(names = "--from-fit", paramLabel = "FIT.json",
      description = "Take beta and the time of this block from a tokendyn.fit/2 file of the same model.")
  Path fromFit;

  @Option(names = "--steps", defaultValue = "10", description = "RK4 steps of the flow (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--sinkhorn-iterations", defaultValue = "5",
      description = "The Sinkformer's normalisations (default: ${DEFAULT-VALUE}).")
  int sinkhornIterations;

  @Option(names = "--save-states", description = "Also write the intervened hidden states as DIR/states.json"
      + " (tokendyn.extraction/1).")
  boolean saveStates;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
  Path out;

  @Option(names = "--force", description = "Replace an existing output folder that tokendyn wrote (it holds the"
      + " marker file .tokendyn and nothing else).")
  boolean force;

  @picocli.CommandLine.Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    Outputs.folder(spec, out, "--out", force, output.parents, Outputs.in("--input", source.input),
        Outputs.in("--model", Path.of(source.model)), Outputs.in("--from-fit", fromFit));
    if (layer < 0) {
      throw new UsageException("--layer must be >= 0 (a block index), found " + layer);
    }
    boolean flow = replace.isFlow();
    if (flow && fromFit == null && (beta == null || time == null)) {
      throw new UsageException("--replace " + replace.name().toLowerCase(Locale.ROOT)
          + " needs the flow's parameters: give --beta B and --time T, or --from-fit FIT.json");
    }
    if (fromFit != null && (beta != null || time != null)) {
      throw new UsageException("give either --from-fit or --beta and --time, not both");
    }
    if (!flow && (fromFit != null || beta != null || time != null)) {
      throw new UsageException("--replace " + replace.name().toLowerCase(Locale.ROOT)
          + " is not a flow and takes no --beta, --time or --from-fit");
    }
    List<String> texts = Inputs.texts(source.input);
    PrintWriter w = spec.commandLine().getOut();
    try (Extractor ex = Extractor.open(source.model)) {
      int blocks = ex.info().config().layers();
      if (layer >= blocks) {
        throw new UsageException("--layer " + layer + " does not exist: " + ex.info().name() + " has blocks 0.."
            + (blocks - 1));
      }
      double b = beta == null ? 0 : beta;
      double t = time == null ? 0 : time;
      if (fromFit != null) {
        double[] bt = FitReport.layerParameters(fromFit, ex.info().name(), layer + 1);
        b = bt[0];
        t = bt[1];
      }
      Intervention.Params p = new Intervention.Params(layer, replace, b, t, steps, sinkhornIterations);
      Intervention.Result r = Intervention.run(ex, texts, p, source.truncate);
      String fit = fromFit == null ? null : fromFit.getFileName().toString();
      AtomicFiles.writeFolder(out, force, tmp -> {
        InterventionReport.write(tmp, r, fit);
        if (saveStates) {
          ExtractionFiles.writeJson(tmp.resolve("states.json"), new Extraction(ex.info(), r.intervened()));
        }
      });
      Intervention.LayerEffect last = r.layers().get(r.layers().size() - 1);
      w.printf(Locale.ROOT, "%s, block %d replaced by %s: next layer token cosine %.4f, last layer %.4f (W2 %.4g);"
          + " sentence cosine %.4f, neighbour overlap %s; wrote %s%n", r.model(), layer,
          replace.name().toLowerCase(Locale.ROOT), r.layers().get(layer + 1).tokenCosine(), last.tokenCosine(),
          last.w2Change(), r.sentenceCosine(), Double.isNaN(r.neighbourOverlap()) ? "n/a"
              : String.format(Locale.ROOT, "%.3f", r.neighbourOverlap()), out);
      return Main.OK;
    } catch (ModelException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("tokendyn intervene: error: " + e.getMessage());
      err.flush();
      return Main.FAILURE;
    }
  }
}
