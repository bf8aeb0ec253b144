package dev.tokendyn.cli;

import dev.tokendyn.bench.ExtractBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Extraction against ONNX Runtime (Java, same JVM), and the memory of streaming many texts to .npy. */
@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    description = {
      "Time extracting all hidden states of a batch (default: all-minilm-l6-v2, 32 texts x 128 tokens) against",
      "ONNX Runtime producing only the last hidden state of the same batch, in one JVM, and print the ratio",
      "and the peak resident memory; then stream many texts into a .npy directory and print the memory as",
      "it goes, which must stay flat."})
final class BenchExtractCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", defaultValue = "all-minilm-l6-v2", description = "Catalog model (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--batch", defaultValue = "32", description = "Texts in the timed batch (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--tokens", defaultValue = "128", description = "Tokens per text, special tokens included (default: ${DEFAULT-VALUE}).")
  int tokens;

  @Option(names = "--runs", defaultValue = "5", description = "Timed runs after one warm-up (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--stream", defaultValue = "1000", description = "Texts to stream to a .npy directory; 0 to skip (default: ${DEFAULT-VALUE}).")
  int stream;

  @Option(names = "--stream-tokens", defaultValue = "32", description = "Tokens per streamed text (default: ${DEFAULT-VALUE}).")
  int streamTokens;

  @Option(names = "--scratch", description = "Folder for the streamed .npy files, removed afterwards (default: the system's temporary folder).")
  Path scratch;

  @Override
  public Integer call() throws Exception {
    if (batch < 1 || runs < 1 || tokens < 3 || stream < 0 || streamTokens < 3) {
      throw new UsageException("--batch and --runs must be >= 1, --tokens and --stream-tokens >= 3, --stream >= 0;"
          + " found " + batch + ", " + runs + ", " + tokens + ", " + streamTokens + ", " + stream);
    }
    PrintWriter out = spec.commandLine().getOut();
    ExtractBenchmark.Timing t = ExtractBenchmark.timeBatch(model, batch, tokens - 2, runs, true);
    out.printf(Locale.ROOT, "%-48s %12s %14s %7s%n", "workload", "tokendyn s", "onnxruntime s", "ratio");
    out.printf(Locale.ROOT, "%-48s %12.3f %14.3f %7.2f%n",
        String.format(Locale.ROOT, "%s %d x %d tokens (%d vs 1 states)", t.model(), t.batch(), t.tokens(),
            t.hiddenStates()), t.ours(), t.ort(), t.ratio());
    out.printf(Locale.ROOT, "both engines at their default thread counts; quiet: %s%n", t.clean() ? "yes"
        : String.format(Locale.ROOT, "no (others used %.2f s CPU during the timed runs)", t.otherProcsCpuSeconds()));
    out.printf(Locale.ROOT, "peak RSS after tokendyn's runs (JVM, weights, engine): %.0f MiB%n", t.peakRssMiB());
    out.flush();
    if (stream > 0) {
      Path dir = scratch != null ? scratch : Path.of(System.getProperty("java.io.tmpdir"));
      List<ExtractBenchmark.MemoryPoint> pts = ExtractBenchmark.stream(model, stream, streamTokens - 2, batch, dir);
      out.printf(Locale.ROOT, "streaming %d texts x %d tokens, all hidden states, to .npy:%n", stream, streamTokens);
      out.printf(Locale.ROOT, "%10s %10s %14s %18s%n", "texts", "RSS MiB", "peak RSS MiB", "Java heap MiB");
      for (ExtractBenchmark.MemoryPoint p : pts) {
        out.printf(Locale.ROOT, "%10d %10.0f %14.0f %18.0f%n", p.texts(), p.rssMiB(), p.peakRssMiB(),
            p.heapCommittedMiB());
      }
    }
    return Main.OK;
  }
}
