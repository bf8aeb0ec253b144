package dev.tokendyn.spark;

import dev.tokendyn.analysis.CorpusAnalysis;
import dev.tokendyn.analysis.CorpusParams;
import dev.tokendyn.cli.CorpusOptions;
import dev.tokendyn.cli.Main;
import dev.tokendyn.cli.UsageException;
import dev.tokendyn.cloud.AtomicFiles;
import dev.tokendyn.export.AnalysisReport;
import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextMetric;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokendyn spark analyze}: the corpus analysis of {@code tokendyn analyze} as a Spark job. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The corpus analysis of 'tokendyn analyze' as a Spark job: texts from text, JSONL, CSV/TSV or Parquet on",
      "any Hadoop file system, the model loaded once per executor, the per-text metrics computed there and the",
      "accumulators merged in a tree. Writes the same DIR/report.json (tokendyn.report/2) and plots, and with",
      "--per-text the per-text records as Parquet. Same per-text values bit for bit as a local run.",
      "Example: tokendyn spark analyze --master local[2] --model all-minilm-l6-v2 --input texts.txt --out report"})
public final class SparkAnalyzeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @Option(names = "--model", required = true, paramLabel = "NAME|DIR",
      description = "A catalog model (its weights travel in the jar) or a Hugging Face model folder every node sees.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "PATH",
      description = "The corpus: a file or folder, local or on a Hadoop file system (hdfs://, s3a://, ...).")
  String input;

  @Option(names = "--format", paramLabel = "text|jsonl|csv|tsv|parquet",
      description = "The corpus format (default: from the name; text when it says nothing).")
  SparkTexts.Format format;

  @Option(names = {"--text-column", "--text-field"}, paramLabel = "NAME",
      description = "The column or JSON field holding the text (default: text).")
  String textColumn;

  @Option(names = "--truncate", description = "Cut texts longer than the model's positions instead of failing.")
  boolean truncate;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Ranges of texts measured as tasks (default: spark.default.parallelism; at most one per 16 texts).")
  Integer partitions;

  @Option(names = "--out", required = true, description = "Output folder; must not exist or be empty unless --force.")
  Path out;

  @Option(names = "--force", description = "Replace an existing output folder.")
  boolean force;

  @Option(names = "--per-text", paramLabel = "PATH.parquet",
      description = "Also write one record per text (index, token counts, every per-text metric) as Parquet.")
  String perText;

  @Mixin CorpusOptions measure;

  @Override
  public Integer call() throws Exception {
    dev.tokendyn.cli.Inputs.checkOutputFolder(out, force);
    if (partitions != null && partitions < 1) {
      throw new UsageException("--partitions must be >= 1, found " + partitions);
    }
    CorpusParams params = measure.params(spec);
    SparkTexts.Format f = format != null ? format : SparkTexts.Format.of(input);
    SparkSession session = spark.session("tokendyn analyze");
    SparkAnalyze.Result r;
    try {
      if (perText != null) {
        PerTextParquet.checkTarget(session, perText, force);
      }
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
      try {
        r = SparkAnalyze.run(sc, SparkTexts.read(session, input, f, textColumn), model, truncate, params,
            partitions != null ? partitions : sc.defaultParallelism());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      } catch (UsageException e) {
        throw e;
      } catch (Exception e) {
        throw TaskFailure.ofJob(e);
      }
      CorpusAnalysis.Result a = r.analysis();
      int layers = a.sites().size();
      int[] hist = layers >= 3 ? new int[] {0, layers / 2, layers - 1} : layers == 2 ? new int[] {0, 1} : new int[] {0};
      String pending = perText == null ? null : PerTextParquet.writePending(session, a.perText(),
          params.text().transport(), perText);
      int[] plots = {0};
      try {
        AtomicFiles.writeFolder(out, force, dir -> plots[0] = AnalysisReport.write(dir, List.of(a),
            Map.of(a.name(), r.info()), hist).size());
      } catch (Exception e) {
        if (pending != null) {
          PerTextParquet.discard(session, pending);
        }
        throw e;
      }
      if (pending != null) {
        PerTextParquet.commit(session, pending, perText, force);
      }
      PrintWriter o = spec.commandLine().getOut();
      Summary[] mc = a.summaries().get(TextMetric.MEAN_COSINE);
      Summary[] adj = a.adjusted(TextMetric.INTRA_TEXT_SIMILARITY);
      o.println("spark " + session.sparkContext().master() + ": " + r.times().describe("tasks")
          + String.format(Locale.ROOT, "; %.2f ms a text; plan %.1f s, driver's aggregation %.1f s",
          r.times().sumSeconds() * 1e3 / a.texts(), r.planSeconds(), r.finishSeconds()));
      o.printf(Locale.ROOT, "%s: %d texts, %d tokens (%d measured, special tokens %s), %d layers%n", a.name(),
          a.texts(), a.tokens(), a.keptTokens(), params.text().dropSpecial() ? "dropped" : "kept", layers);
      o.printf(Locale.ROOT, "  mean cosine within texts %.3f -> %.3f; intra-text similarity minus baseline"
          + " %.3f -> %.3f%n", mc[0].mean(), mc[mc.length - 1].mean(), adj[0].mean(), adj[adj.length - 1].mean());
      o.printf(Locale.ROOT, "wrote %s/report.json and %d plots%s%n", out, plots[0],
          perText != null ? ", and " + perText : "");
      return Main.OK;
    } finally {
      session.stop();
    }
  }
}
