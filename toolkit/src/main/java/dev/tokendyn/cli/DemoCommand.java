package dev.tokendyn.cli;

import dev.tokendyn.analysis.Coordinates;
import dev.tokendyn.analysis.DynamicsFit;
import dev.tokendyn.analysis.CorpusAnalysis;
import dev.tokendyn.analysis.CorpusParams;
import dev.tokendyn.analysis.ModelSequences;
import dev.tokendyn.cloud.AtomicFiles;
import dev.tokendyn.export.AnalysisReport;
import dev.tokendyn.export.FitReport;
import dev.tokendyn.export.ReferenceCheck;
import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextMetric;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
      "Run the main job with no arguments: analyze all-minilm-l6-v2 layer by layer over the sample texts that",
      "ship with tokendyn, fit the idealised SA dynamics to the same model, write everything to demo-output/",
      "(replacing an earlier demo), print a summary table, and compare the numbers with the committed reference",
      "results/demo/ (within a relative 1e-4 or the last printed digit). --refresh rewrites that reference instead."})
final class DemoCommand implements Callable<Integer> {
  static final String MODEL = "all-minilm-l6-v2";
  /**
   * How close the demo's numbers must be to the reference's. The model's states are float32, whose last bits
   * differ between processors (PyTorch's SIMD paths); a spread over 8 texts, or a difference of nearly equal
   * means, turns that 6e-8 into a few 1e-6 relative (seen: 2.8e-6 between an Intel and an AMD processor).
   */
  static final double TOLERANCE = 1e-4;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin ThreadsOption threads;

  @Option(names = "--out", description = "Output folder (default: demo-output in the tokendyn folder, which is"
      + " replaced when tokendyn wrote it).")
  Path out;

  @Option(names = "--refresh", description = "Write the committed reference, results/demo in the tokendyn folder,"
      + " instead of demo-output (after a change that moves the numbers on purpose).")
  boolean refresh;

  @Option(names = "--check", description = "Exit with code 1 when the numbers differ from the reference"
      + " results/demo (default: report the difference and exit 0).")
  boolean check;

  @Option(names = "--force", description = "Replace an existing --out folder that tokendyn wrote (it holds the marker"
      + " file .tokendyn and nothing else).")
  boolean force;

  @picocli.CommandLine.Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    if (refresh && out != null) {
      throw new UsageException("--refresh writes results/demo, the reference; give --refresh or --out, not both");
    }
    if (refresh && check) {
      throw new UsageException("--check compares with results/demo, which --refresh rewrites; give one of them");
    }
    Path reference = home().resolve("results").resolve("demo");
    Path dir = out != null ? out : refresh ? reference : home().resolve("demo-output");
    if (check && (!java.nio.file.Files.isDirectory(reference) || same(dir, reference))) {
      throw new UsageException(same(dir, reference) ? "--check compares with " + reference + ", which --out would"
          + " replace; give another --out" : "--check needs the reference folder " + reference + ", which is missing");
    }
    // the default folders are the demo's own: an earlier demo there is replaced, as with --force
    boolean replace = out == null || force;
    Outputs.folder(spec, dir, "--out", replace, output.parents);
    PrintWriter o = spec.commandLine().getOut();
    List<String> texts = sampleTexts();
    o.printf(Locale.ROOT, "%s over %d sample texts ...%n", MODEL, texts.size());
    o.flush();
    ModelSequences m;
    CorpusAnalysis.Result a;
    DynamicsFit.Options opts = DynamicsFit.Options.defaults().withThreads(threads.count());
    DynamicsFit.Result fit;
    int layers;
    // stages: extract, measure, fit, write
    try (Stages bar = new Stages("demo", 4)) {
      m = ModelSequences.extract(MODEL, texts, false);
      bar.step();
      a = CorpusAnalysis.of(m.name(), m.textSequences(), CorpusParams.defaults());
      bar.step();
      fit = DynamicsFit.fit(m.texts(), opts);
      bar.step();
      layers = a.sites().size();
      AtomicFiles.writeFolder(dir, replace, tmp -> {
        AnalysisReport.write(tmp, List.of(a), Map.of(m.name(), m.info()), new int[] {0, layers / 2, layers - 1});
        FitReport.write(tmp.resolve("fit.json"), m.name(), m.name(), Coordinates.SPHERE, fit, null);
        FitReport.writePlots(tmp, "fit", m.name(), fit, null);
      });
      bar.step();
    }

    o.printf(Locale.ROOT, "%n%s: %d texts, %d tokens, %d measured (special tokens dropped); means over texts%n",
        a.name(), a.texts(), a.tokens(), a.keptTokens());
    o.printf(Locale.ROOT, "%-26s %9s %9s %9s %9s %9s %9s %9s%n", "layer", "mean cos", "intra-adj", "baseline",
        "eff.rank", "int.dim", "W2 next", "rot.share");
    Summary[] mc = a.summaries().get(TextMetric.MEAN_COSINE);
    Summary[] intra = a.adjusted(TextMetric.INTRA_TEXT_SIMILARITY);
    Summary[] er = a.summaries().get(TextMetric.EFFECTIVE_RANK);
    for (int l = 0; l < layers; l++) {
      CorpusAnalysis.PooledLayer p = a.pooled().get(l);
      String w2 = l < a.transitions().size() ? fmt(a.transitions().get(l).w2()) : String.format("%9s", "");
      String rs = l < a.transitions().size() ? fmt(a.transitions().get(l).rotation().share()) : String.format("%9s", "");
      o.printf(Locale.ROOT, "%-26s %s %s %s %s %s %s %s%n", a.sites().get(l), fmt(mc[l].mean()), fmt(intra[l].mean()),
          fmt(p.anisotropyBaseline()), fmt(er[l].mean()), fmt(p.intrinsicDimension() == null ? Double.NaN
              : p.intrinsicDimension().value()), w2, rs);
    }
    o.println("(mean cos: within a text; intra-adj: cosine to the text's mean minus the baseline, the cosine across"
        + " texts; int.dim, W2 next and rot.share: the pooled tokens)");
    o.printf(Locale.ROOT, "%nfit of SA dynamics (positions, from layer 0): beta %s, time per layer %s; residual %.4f"
        + " against %.4f for tokens that stay put (%.1f%% explained; any V = I flow at most %.1f%%)%n",
        fit.beta().identifiable() ? String.format(Locale.ROOT, "%.3f", fit.beta().atMinimum()) : "not identifiable",
        fit.time().identifiable() ? String.format(Locale.ROOT, "%.4f", fit.time().atMinimum()) : "not identifiable",
        fit.residual(), fit.staticResidual(), 100 * fit.explained(), 100 * fit.ceiling());
    o.println("wrote " + dir);
    return compareWithReference(o, dir, reference);
  }

  /** Compares what the demo wrote with the committed reference, when there is one and it is not the output. */
  private int compareWithReference(PrintWriter o, Path dir, Path reference) throws IOException {
    if (!java.nio.file.Files.isDirectory(reference) || same(dir, reference)) {
      return Main.OK; // nothing to compare with (--check was refused before any work)
    }
    ReferenceCheck.Result r = ReferenceCheck.compare(dir, reference, TOLERANCE);
    if (r.agrees()) {
      o.printf(Locale.ROOT, "the same numbers as the reference %s: %d numbers in %d files, each within a relative"
          + " 1e-4 or its last printed digit%n", reference, r.numbers(), r.files());
      return Main.OK;
    }
    o.printf(Locale.ROOT, "differs from the reference %s (%d of %d files):%n", reference, r.differences().size(),
        r.files());
    r.differences().stream().limit(10).forEach(d -> o.println("  " + d));
    o.println("if the change is meant, refresh the reference with ./tokendyn demo --refresh and commit it");
    return check ? Main.FAILURE : Main.OK;
  }

  private static String fmt(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%9.3f", v) : String.format(Locale.ROOT, "%9s", "n/a");
  }

  static List<String> sampleTexts() throws IOException {
    try (InputStream in = DemoCommand.class.getResourceAsStream("/dev/tokendyn/demo/texts.txt")) {
      if (in == null) {
        throw new IOException("the sample texts are missing from the jar; rebuild it with mvn install");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(s -> !s.isBlank())
          .map(String::strip).toList();
    }
  }

  private static boolean same(Path a, Path b) {
    return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
  }

  private static Path home() {
    String home = System.getenv("TOKENDYN_HOME");
    return home != null ? Path.of(home) : Path.of("");
  }
}
