package dev.tokendyn.cli;

import dev.tokendyn.analysis.LayerAnalysis;
import dev.tokendyn.cloud.AtomicFiles;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.export.AnalysisReport;
import dev.tokendyn.metrics.MetricsParams;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn analyze}: every metric per layer, transport between layers, plots. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measure how tokens move layer by layer: every metric per layer, optimal transport between consecutive",
      "layers, spreading, and the plots (PNG and SVG). Writes DIR/report.json (tokendyn.report/1) and the plots",
      "into a new folder, all at once or not at all."})
final class AnalyzeCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--sequence", required = true, arity = "1..*",
      description = "Cloud sequences, one per text (JSON, .npy (L,n,d) or a folder of .npy), measured together.")
  List<Path> sequences;

  @Option(names = "--name", defaultValue = "sequence", description = "Name in the report and plots (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(names = "--out", required = true, description = "Output folder; must not exist or be empty unless --force.")
  Path out;

  @Option(names = "--force", description = "Replace an existing output folder.")
  boolean force;

  @Option(names = "--threshold", defaultValue = "0.999", description = "Cosine threshold of the clusters (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--no-transport", description = "Skip the optimal transport between layers (faster).")
  boolean noTransport;

  @Override
  public Integer call() throws Exception {
    Inputs.checkOutputFolder(out, force);
    List<CloudSequence> texts = new ArrayList<>();
    for (Path p : sequences) {
      texts.add(Inputs.sequence(p, "--sequence"));
    }
    MetricsParams params = MetricsParams.defaults().withThreshold(threshold);
    if (noTransport) {
      params = params.withTransitions(dev.tokendyn.metrics.TransitionParams.identityOnly());
    }
    LayerAnalysis a = LayerAnalysis.of(name, texts, params);
    int layers = a.pooled().size();
    int[] hist = layers >= 3 ? new int[] {0, layers / 2, layers - 1} : layers == 2 ? new int[] {0, 1} : new int[] {0};
    Map<String, Map<String, Object>> info = new LinkedHashMap<>();
    info.put(name, Map.of("sources", sequences.stream().map(Path::toString).toList()));
    List<String> plots = new ArrayList<>();
    AtomicFiles.writeFolder(out, force, dir -> plots.addAll(AnalysisReport.write(dir, List.of(a), info, hist)));
    PrintWriter o = spec.commandLine().getOut();
    o.printf(Locale.ROOT, "%s: %d texts, %d tokens, %d layers; wrote %s/report.json and %d plots%n", name, texts.size(),
        a.pooled().cloud(0).size(), layers, out, plots.size());
    return Main.OK;
  }
}
