package dev.tokendyn.spark;

import dev.tokendyn.analysis.CorpusAnalysis;
import dev.tokendyn.analysis.CorpusParams;
import dev.tokendyn.analysis.CorpusCheckpoint;
import dev.tokendyn.cli.CorpusOptions;
import dev.tokendyn.cli.CorpusRunOptions;
import dev.tokendyn.cli.Main;
import dev.tokendyn.cli.UsageException;
import dev.tokendyn.cloud.AtomicFiles;
import dev.tokendyn.export.AnalysisReport;
import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextMetric;
import dev.tokendyn.model.ExtractOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
      "--per-text the per-text records as Parquet. Same per-text values bit for bit as a local run. The ranges",
      "run in waves; after each the driver saves a checkpoint beside DIR, which --resume continues.",
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

  @Mixin CorpusRunOptions run;

  @Option(names = "--checkpoint-every", paramLabel = "RANGES",
      description = "Ranges measured between two saves of the checkpoint, which --resume continues from"
          + " (default: 4 per slot of the cluster).")
  Integer checkpointEvery;

  @Override
  public Integer call() throws Exception {
    dev.tokendyn.cli.Inputs.checkOutputFolder(out, force);
    if (partitions != null && partitions < 1) {
      throw new UsageException("--partitions must be >= 1, found " + partitions);
    }
    if (checkpointEvery != null && checkpointEvery < 1) {
      throw new UsageException("--checkpoint-every must be >= 1, found " + checkpointEvery);
    }
    CorpusParams params = measure.params(spec);
    Integer limit = run.limit();
    List<String> models = run.models(model);
    SparkTexts.Format f = format != null ? format : SparkTexts.Format.of(input);
    SparkSession session = spark.session("tokendyn analyze");
    PrintWriter o = spec.commandLine().getOut();
    SparkAnalyze.Ranges ranges = null;
    CorpusCheckpoint checkpoint = null;
    try {
      if (perText != null) {
        PerTextParquet.checkTarget(session, perText, force);
      }
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
      int wave = checkpointEvery != null ? checkpointEvery : 4 * sc.defaultParallelism();
      List<SparkAnalyze.Result> results = new ArrayList<>();
      try {
        ranges = SparkAnalyze.cut(sc, SparkTexts.read(session, input, f, textColumn), limit, params.seed(),
            partitions != null ? partitions : sc.defaultParallelism());
        Map<String, String> args = CorpusCheckpoint.args(String.join(",", models), ranges.texts(), ranges.sha256(),
            truncate, params, ExtractOptions.DEFAULT_BATCH);
        args.put("ranges", Integer.toString(ranges.count()));
        checkpoint = CorpusCheckpoint.open(out, args, run.resume());
        if (checkpoint.note() != null) {
          spec.commandLine().getErr().println("tokendyn spark analyze: " + checkpoint.note());
          spec.commandLine().getErr().flush();
        }
        for (int slot = 0; slot < models.size(); slot++) {
          results.add(SparkAnalyze.run(sc, ranges, models.get(slot), truncate, params, checkpoint, slot, wave));
        }
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      } catch (UsageException e) {
        throw e;
      } catch (Exception e) {
        RuntimeException failed = TaskFailure.ofJob(e);
        if (checkpoint != null && failed instanceof java.io.UncheckedIOException) {
          String m = failed.getMessage() + "; the checkpoint in " + checkpoint.folder() + " keeps the ranges measured"
              + " so far: run the same command with --resume to go on";
          throw new java.io.UncheckedIOException(m, new java.io.IOException(m, e));
        }
        throw failed;
      }
      List<CorpusAnalysis.Result> analyses = results.stream().map(SparkAnalyze.Result::analysis).toList();
      Map<String, Map<String, Object>> info = new LinkedHashMap<>();
      results.forEach(r -> info.put(r.analysis().name(), r.info()));
      int layers = analyses.get(0).sites().size();
      int[] hist = layers >= 3 ? new int[] {0, layers / 2, layers - 1} : layers == 2 ? new int[] {0, 1} : new int[] {0};
      String pending = perText == null ? null : PerTextParquet.writePending(session, analyses,
          params.text().transport(), perText);
      int[] plots = {0};
      try {
        AtomicFiles.writeFolder(out, force, dir -> plots[0] = AnalysisReport.write(dir, analyses, info, hist).size());
      } catch (Exception e) {
        if (pending != null) {
          PerTextParquet.discard(session, pending);
        }
        throw e;
      }
      if (pending != null) {
        PerTextParquet.commit(session, pending, perText, force);
      }
      checkpoint.finish();
      if (ranges.chosenFrom() >= 0) {
        o.printf(Locale.ROOT, "--limit %d: a seeded subset of %d texts of %d%n", limit, ranges.texts(),
            ranges.chosenFrom());
      }
      for (SparkAnalyze.Result r : results) {
        CorpusAnalysis.Result a = r.analysis();
        Summary[] mc = a.summaries().get(TextMetric.MEAN_COSINE);
        Summary[] adj = a.adjusted(TextMetric.INTRA_TEXT_SIMILARITY);
        o.println("spark " + session.sparkContext().master() + ": " + r.times().describe("tasks")
            + String.format(Locale.ROOT, "; %.2f ms a text; plan %.1f s, driver's aggregation %.1f s",
            r.times().sumSeconds() * 1e3 / Math.max(1, a.texts() - r.resumed()), r.planSeconds(), r.finishSeconds())
            + (r.resumed() > 0 ? "; " + r.resumed() + " texts resumed from the checkpoint" : ""));
        o.printf(Locale.ROOT, "%s: %d texts, %d tokens (%d measured, special tokens %s), %d layers%n", a.name(),
            a.texts(), a.tokens(), a.keptTokens(), params.text().dropSpecial() ? "dropped" : "kept", layers);
        o.printf(Locale.ROOT, "  mean cosine within texts %.3f -> %.3f; intra-text similarity minus baseline"
            + " %.3f -> %.3f%n", mc[0].mean(), mc[mc.length - 1].mean(), adj[0].mean(), adj[adj.length - 1].mean());
      }
      o.printf(Locale.ROOT, "wrote %s/report.json and %d plots%s%n", out, plots[0],
          perText != null ? ", and " + perText : "");
      return Main.OK;
    } finally {
      if (ranges != null) {
        ranges.release();
      }
      session.stop();
    }
  }
}
