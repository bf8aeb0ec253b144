package dev.tokendyn.cli;

import dev.tokendyn.bench.AnalyzeBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn bench analyze}: analyze against extract on the same corpus, whole process. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Write a seeded synthetic corpus, then run 'extract' to a .npy folder and 'analyze' on the same file, each",
      "in a fresh JVM, alternating which goes first, and print their times, the ratio analyze / extract, the",
      "tokens per second and each process's peak resident memory."})
final class BenchAnalyzeCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", defaultValue = "all-minilm-l6-v2", description = "Catalog model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--texts", split = ",", defaultValue = "2000",
      description = "Corpus sizes, comma-separated (default: ${DEFAULT-VALUE}).")
  List<Integer> texts;

  @Option(names = "--rounds", defaultValue = "1", description = "Pairs of runs per size (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--analyze-only", description = "Run only analyze (for the memory of large corpora).")
  boolean analyzeOnly;

  @Option(names = "--scratch", description = "Folder for the corpus and the outputs, removed afterwards (default: a new"
      + " temporary folder).")
  Path scratch;

  @Override
  public Integer call() throws Exception {
    if (rounds < 1 || texts.stream().anyMatch(t -> t < 1)) {
      throw new UsageException("--rounds and every --texts must be >= 1, found " + rounds + " and " + texts);
    }
    Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!jar.toString().endsWith(".jar")) {
      throw new UsageException("bench analyze runs the tokendyn jar; build it with mvn install and use ./tokendyn");
    }
    Path dir = scratch != null ? Files.createDirectories(scratch) : Files.createTempDirectory("tokendyn-bench-");
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%7s %9s %11s %11s %7s %12s %11s %11s %11s %11s %9s%n", "texts", "tokens",
        "extract s", "analyze s", "ratio", "tokens/s", "extract MiB", "analyze MiB", "extract CPU", "analyze CPU",
        "CPU ratio");
    try {
      for (int n : texts) {
        Path corpus = AnalyzeBenchmark.writeCorpus(dir, n, 1);
        for (int r = 0; r < rounds; r++) {
          if (analyzeOnly) {
            AnalyzeBenchmark.Run a = AnalyzeBenchmark.run(jar, List.of("analyze", "--model", model, "--input",
                corpus.toString(), "--out", dir.resolve("a-" + n + "-" + r).toString()));
            out.printf(Locale.ROOT, "%7d %9s %11s %11.1f %7s %12s %11s %11.0f %11s %11.1f %9s%n", n, "", "",
                a.seconds(), "", "", "", a.peakRssMiB(), "", a.cpuSeconds(), "");
          } else {
            AnalyzeBenchmark.Pair p = AnalyzeBenchmark.pair(jar, model, corpus, dir, r, new ArrayList<>());
            if (p.extract().exitCode() != 0 || p.analyze().exitCode() != 0) {
              throw new IllegalStateException("a run failed (exit codes " + p.extract().exitCode() + " and "
                  + p.analyze().exitCode() + "); run the commands by hand to see why");
            }
            out.printf(Locale.ROOT, "%7d %9d %11.1f %11.1f %7.2f %12.0f %11.0f %11.0f %11.1f %11.1f %9.2f%n", n,
                p.tokens(), p.extract().seconds(), p.analyze().seconds(), p.ratio(),
                p.tokens() / p.extract().seconds(), p.extract().peakRssMiB(), p.analyze().peakRssMiB(),
                p.extract().cpuSeconds(), p.analyze().cpuSeconds(),
                p.analyze().cpuSeconds() / p.extract().cpuSeconds());
          }
          out.flush();
        }
      }
    } finally {
      if (scratch == null) {
        try (var s = Files.walk(dir)) {
          for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(q);
          }
        }
      }
    }
    out.println("ratio: analyze's wall time over extract's; CPU ratio: the same for user + system CPU time,"
        + " which a busy machine distorts less");
    out.println("tokens/s: extraction's rate (all hidden states to .npy, JVM start included); compare 'tokendyn"
        + " bench extract' for ONNX Runtime's in-process rate on the same model");
    return Main.OK;
  }
}
