package dev.tokendyn.cli;

import dev.tokendyn.analysis.Corpus;
import dev.tokendyn.analysis.CorpusAnalysis;
import dev.tokendyn.analysis.CorpusCheckpoint;
import dev.tokendyn.analysis.CorpusParams;
import dev.tokendyn.analysis.ModelCorpus;
import dev.tokendyn.cloud.AtomicFiles;
import dev.tokendyn.cloud.CloudFiles;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.export.AnalysisReport;
import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextMetric;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tokendyn analyze}: every metric per text and layer, aggregated over a corpus; pooled transport; plots. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a model over a corpus and measure how its tokens move layer by layer. Each text's own tokens are",
      "measured (special tokens left out by default) and the values aggregated over texts (mean, sd, 95%%",
      "bootstrap interval); distribution-level values come from the pooled tokens or a seeded sample of them.",
      "Texts stream through the model in batches, in constant memory. Writes DIR/report.json",
      "(tokendyn.report/2) and the plots, all at once or not at all.",
      "Example: tokendyn analyze --model all-minilm-l6-v2 --input texts.txt --out report --compare e5-small-v2"})
final class AnalyzeCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin ThreadsOption threads;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @ArgGroup(exclusive = false)
    ModelCorpusOptions model;

    @Option(names = "--sequence", arity = "1..*",
        description = "Instead of a model: cloud sequences, one per text (JSON, .npy (L,n,d), a folder of .npy, or an"
            + " extraction).")
    List<Path> sequences;
  }

  static final class ModelCorpusOptions {
    @Option(names = "--model", required = true, paramLabel = "NAME|DIR",
        description = "A catalog model (see 'tokendyn models') or a Hugging Face model folder.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE|-",
        description = "The corpus: text (one text a line), .jsonl, .csv or .tsv; - reads standard input.")
    String input;

    @Option(names = "--format", paramLabel = "text|jsonl|csv|tsv",
        description = "The corpus format (default: from the file name; text for standard input).")
    Corpus.Format format;

    @Option(names = "--text-field", paramLabel = "NAME",
        description = "The JSONL field or CSV/TSV column holding the text (default: text).")
    String textField;

    @Option(names = "--truncate", description = "Cut texts longer than the model's positions instead of failing.")
    boolean truncate;
  }

  @Option(names = "--name", description = "Name of --sequence input in the report (default: sequence).")
  String name;

  @Option(names = "--out", required = true, description = "Output folder; must not exist or be empty unless --force.")
  Path out;

  @Option(names = "--force", description = "Replace an existing output folder that tokendyn wrote (it holds the"
      + " marker file .tokendyn and nothing else).")
  boolean force;

  @picocli.CommandLine.Mixin OutputOptions output;

  @Option(names = "--per-text", paramLabel = "FILE.jsonl",
      description = "Also write one JSON line per text: its index, token counts and every per-text metric.")
  Path perText;

  @Mixin CorpusOptions measure;

  @Mixin CorpusRunOptions run;

  /** True while the run is under way; a shutdown then is an interrupt. */
  private final java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();

  @Override
  public Integer call() throws Exception {
    running.set(true);
    try {
      return analyze();
    } finally {
      running.set(false);
    }
  }

  private Integer analyze() throws Exception {
    String compare = run.compare();
    boolean resume = run.resume();
    List<Outputs.In> ins = new ArrayList<>();
    if (source.model != null) {
      if (!Outputs.isStdout(Path.of(source.model.input))) {
        ins.add(Outputs.in("--input", Path.of(source.model.input)));
      }
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
    if (run.limit() != null && source.model == null) {
      throw new UsageException("--limit goes with --model and --input: it draws a subset of the corpus's texts");
    }
    Path perTextTarget = perText == null ? null
        : Outputs.file(spec, perText, "--per-text", output.parents, ins.toArray(Outputs.In[]::new));
    CorpusParams params;
    try {
      params = measure.params(spec);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
    List<CorpusAnalysis.Result> analyses = new ArrayList<>();
    Map<String, Map<String, Object>> info = new LinkedHashMap<>();
    PrintWriter o = spec.commandLine().getOut();
    // the report's fonts and rasteriser load while the model does (see Plots.warmUpInBackground)
    dev.tokendyn.export.Plots.warmUpInBackground();
    CorpusCheckpoint checkpoint = null;
    Thread onInterrupt = null;
    if (source.model != null) {
      Corpus corpus = readCorpus(source.model);
      List<String> texts = corpus.texts();
      List<String> models = run.models(source.model.model);
      Map<String, String> args = CorpusCheckpoint.args(String.join(",", models), texts, source.model.truncate, params,
          dev.tokendyn.model.ExtractOptions.defaults().batchSize());
      try {
        checkpoint = CorpusCheckpoint.open(out, args, resume);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      }
      if (checkpoint.note() != null) {
        spec.commandLine().getErr().println("tokendyn analyze: " + checkpoint.note());
        spec.commandLine().getErr().flush();
      }
      Path saved = checkpoint.folder();
      onInterrupt = new Thread(() -> {
        if (running.get()) {
          System.err.println("tokendyn analyze: interrupted; no output was written. The"
          + " checkpoint in " + saved + " keeps the texts measured so far: run the same command with --resume to go"
          + " on.");
        }
      });
      Runtime.getRuntime().addShutdownHook(onInterrupt);
      for (int slot = 0; slot < models.size(); slot++) {
        String m = models.get(slot);
        try (Stages bar = new Stages("analyze " + m, texts.size(), texts.size() >= 50, "texts")) {
          ModelCorpus.Run run = ModelCorpus.analyze(m, texts, source.model.truncate, params, bar::stepTo, checkpoint,
              slot);
          analyses.add(run.result());
          info.put(run.result().name(), run.info());
        } catch (IllegalArgumentException e) {
          throw new UsageException(withLine(e.getMessage(), corpus), e);
        }
      }
      if (corpus.blank() > 0) {
        o.printf(Locale.ROOT, "skipped %d blank texts%n", corpus.blank());
      }
    } else {
      List<TextSequence> seqs = new ArrayList<>();
      for (Path p : source.sequences) {
        try {
          seqs.addAll(CloudFiles.readTextSequences(p));
        } catch (IOException e) {
          throw new UsageException("cannot read --sequence " + p + ": " + e.getMessage(), e);
        }
      }
      String n = name == null ? "sequence" : name;
      try (Stages bar = Stages.elapsed("analyze")) {
        analyses.add(CorpusAnalysis.of(n, seqs, params));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--sequence " + source.sequences + ": " + e.getMessage(), e);
      }
      info.put(n, Map.of("sources", source.sequences.stream().map(Path::toString).toList()));
    }
    int layers = analyses.get(0).sites().size();
    int[] hist = layers >= 3 ? new int[] {0, layers / 2, layers - 1} : layers == 2 ? new int[] {0, 1} : new int[] {0};
    List<String> plots = new ArrayList<>();
    AtomicFiles.writeFolder(out, force, dir -> plots.addAll(AnalysisReport.write(dir, analyses, info, hist)));
    if (perText != null) {
      AtomicFiles.write(perTextTarget, tmp -> {
        try (BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(tmp, StandardCharsets.UTF_8))) {
          for (CorpusAnalysis.Result a : analyses) {
            AnalysisReport.writePerText(w, a.perText(), params.text().transport());
          }
        }
      });
    }
    if (checkpoint != null) {
      checkpoint.finish();
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    }
    for (CorpusAnalysis.Result a : analyses) {
      Summary[] mc = a.summaries().get(TextMetric.MEAN_COSINE);
      Summary[] adj = a.adjusted(TextMetric.INTRA_TEXT_SIMILARITY);
      o.printf(Locale.ROOT, "%s: %d texts, %d tokens (%d measured, special tokens %s), %d layers%n", a.name(),
          a.texts(), a.tokens(), a.keptTokens(), params.text().dropSpecial() ? "dropped" : "kept", layers);
      o.printf(Locale.ROOT, "  mean cosine within texts %.3f -> %.3f; intra-text similarity minus baseline"
          + " %.3f -> %.3f%n", mc[0].mean(), mc[mc.length - 1].mean(), adj[0].mean(), adj[adj.length - 1].mean());
    }
    o.printf(Locale.ROOT, "wrote %s/report.json and %d plots%s%n", out, plots.size(),
        perText != null ? ", and " + perText : "");
    return Main.OK;
  }

  private static final Pattern TEXT_INDEX = Pattern.compile("^text (\\d+) ");

  /** Adds the corpus line to a message that names a text by its index. */
  private String withLine(String message, Corpus corpus) {
    Matcher m = TEXT_INDEX.matcher(message == null ? "" : message);
    if (m.find()) {
      int i = Integer.parseInt(m.group(1));
      if (i >= 0 && i < corpus.lines().length) {
        return source.model.input + " line " + corpus.lines()[i] + ": " + message;
      }
    }
    return message;
  }

  private Corpus readCorpus(ModelCorpusOptions m) {
    boolean stdin = "-".equals(m.input);
    Corpus.Format format = m.format != null ? m.format : stdin ? Corpus.Format.TEXT : Corpus.Format.of(m.input);
    Corpus corpus;
    try {
      if (stdin) {
        corpus = Corpus.read(System.in, "standard input", format, m.textField);
      } else {
        Path p = Path.of(m.input);
        if (Files.isDirectory(p)) {
          throw new UsageException("--input " + p + " is a folder; give a file of texts");
        }
        if (!Files.exists(p)) {
          throw new UsageException("--input " + p + ": no such file");
        }
        try (InputStream in = Files.newInputStream(p)) {
          corpus = Corpus.read(in, p.toString(), format, m.textField);
        }
      }
    } catch (IOException e) {
      throw new UsageException("cannot read --input " + m.input + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
    if (corpus.texts().isEmpty()) {
      throw new UsageException("--input " + m.input + " holds no texts" + (corpus.blank() > 0 ? " (" + corpus.blank()
          + " blank lines)" : "") + "; give at least one non-blank text");
    }
    if (run.limit() != null) {
      try {
        corpus = corpus.subset(run.limit(), measure.seed);
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      }
    }
    return corpus;
  }
}
