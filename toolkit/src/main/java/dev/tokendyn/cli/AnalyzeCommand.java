package dev.tokendyn.cli;

import dev.tokendyn.analysis.LayerAnalysis;
import dev.tokendyn.analysis.ModelSequences;
import dev.tokendyn.cloud.AtomicFiles;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.export.AnalysisReport;
import dev.tokendyn.metrics.MetricsParams;
import dev.tokendyn.metrics.TransitionParams;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn analyze}: every metric per layer, transport between layers, plots. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a model over texts and measure how its tokens move layer by layer: every metric per layer, optimal",
      "transport between consecutive layers, spreading, and the plots (PNG and SVG). Writes DIR/report.json",
      "(tokendyn.report/1) and the plots into a new folder, all at once or not at all.",
      "Example: tokendyn analyze --model all-minilm-l6-v2 --input texts.txt --out report --compare e5-small-v2"})
final class AnalyzeCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @ArgGroup(exclusive = false)
    ModelTexts model;

    @Option(names = "--sequence", arity = "1..*",
        description = "Instead of a model: cloud sequences, one per text (JSON, .npy (L,n,d), a folder of .npy, or an"
            + " extraction).")
    List<Path> sequences;
  }

  @Option(names = "--compare", paramLabel = "NAME2|DIR2", description = "A second model, drawn on the same plots.")
  String compare;

  @Option(names = "--name", description = "Name of --sequence input in the report (default: sequence).")
  String name;

  @Option(names = "--out", required = true, description = "Output folder; must not exist or be empty unless --force.")
  Path out;

  @Option(names = "--force", description = "Replace an existing output folder that tokendyn wrote (it holds the"
      + " marker file .tokendyn and nothing else).")
  boolean force;

  @picocli.CommandLine.Mixin OutputOptions output;

  @Option(names = "--threshold", defaultValue = "0.999", description = "Cosine threshold of the clusters (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--no-transport", description = "Skip the optimal transport between layers (faster).")
  boolean noTransport;

  @Override
  public Integer call() throws Exception {
    List<Outputs.In> ins = new ArrayList<>();
    if (source.model != null) {
      ins.add(Outputs.in("--input", source.model.input));
      ins.add(Outputs.in("--model", Path.of(source.model.model)));
    } else {
      source.sequences.forEach(p -> ins.add(Outputs.in("--sequence", p)));
    }
    if (compare != null) {
      ins.add(Outputs.in("--compare", Path.of(compare)));
    }
    Outputs.folder(spec, out, "--out", force, output.parents, ins.toArray(Outputs.In[]::new));
    if (compare != null && source.model == null) {
      throw new UsageException("--compare goes with --model: it draws a second model beside the first");
    }
    MetricsParams params = MetricsParams.defaults().withThreshold(threshold);
    if (noTransport) {
      params = params.withTransitions(TransitionParams.identityOnly());
    }
    List<ModelSequences> inputs = new ArrayList<>();
    int models = source.model != null && compare != null ? 2 : 1;
    // stages: extract and measure each model, then write
    try (Stages bar = new Stages("analyze", 2 * models + 1)) {
      run(params, inputs, bar);
    }
    return Main.OK;
  }

  private void run(MetricsParams params, List<ModelSequences> inputs, Stages bar) throws Exception {
    if (source.model != null) {
      List<String> texts = Inputs.texts(source.model.input);
      for (String m : compare == null ? List.of(source.model.model)
          : List.of(source.model.model, compare)) {
        inputs.add(ModelSequences.extract(m, texts, source.model.truncate));
        bar.step();
      }
    } else {
      List<CloudSequence> seqs = new ArrayList<>();
      for (Path p : source.sequences) {
        seqs.addAll(Inputs.sequences(p, "--sequence " + p));
      }
      inputs.add(new ModelSequences(name == null ? "sequence" : name,
          Map.of("sources", source.sequences.stream().map(Path::toString).toList()), seqs));
      bar.step();
    }
    List<LayerAnalysis> analyses = new ArrayList<>();
    Map<String, Map<String, Object>> info = new LinkedHashMap<>();
    for (ModelSequences m : inputs) {
      try {
        analyses.add(LayerAnalysis.of(m.name(), m.texts(), params));
      } catch (IllegalArgumentException e) {
        throw new UsageException((source.sequences != null ? "--sequence " + source.sequences : m.name()) + ": "
            + e.getMessage(), e);
      }
      info.put(m.name(), m.info());
      bar.step();
    }
    int layers = analyses.get(0).pooled().size();
    int[] hist = layers >= 3 ? new int[] {0, layers / 2, layers - 1} : layers == 2 ? new int[] {0, 1} : new int[] {0};
    List<String> plots = new ArrayList<>();
    AtomicFiles.writeFolder(out, force, dir -> plots.addAll(AnalysisReport.write(dir, analyses, info, hist)));
    bar.step();
    PrintWriter o = spec.commandLine().getOut();
    for (LayerAnalysis a : analyses) {
      double[] mc = a.withinTextMeanCosine();
      o.printf(Locale.ROOT, "%s: %d texts, %d tokens, %d layers; mean cosine within texts %.3f -> %.3f%n", a.name(),
          a.texts().size(), a.pooled().cloud(0).size(), a.pooled().size(), mc[0], mc[mc.length - 1]);
    }
    o.printf(Locale.ROOT, "wrote %s/report.json and %d plots%n", out, plots.size());
  }
}
