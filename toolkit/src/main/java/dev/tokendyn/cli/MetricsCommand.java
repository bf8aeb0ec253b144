package dev.tokendyn.cli;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.metrics.Clusters;
import dev.tokendyn.metrics.MetricsParams;
import dev.tokendyn.metrics.SequenceMetrics;
import dev.tokendyn.metrics.TransitionParams;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn metrics}: every measurement of a cloud sequence, written as one JSON report. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description = {
      "Measures a cloud sequence (a model's layers or a simulation's frames): per cloud, between consecutive"
          + " clouds, and across the sequence. Writes {\"schema\": \"tokendyn.metrics/1\", \"clouds\": [...],"
          + " \"transitions\": [...], \"spreading\": {...}}."
    })
final class MetricsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin ThreadsOption threads;

  @Option(names = "--input", required = true, paramLabel = "SEQ",
      description = "the sequence: JSON {\"clouds\": [...]}, a simulation saved with points, a 3-D .npy (L,n,d)"
          + " or a folder of .npy clouds")
  Path input;

  @Option(names = "--out", required = true, paramLabel = "FILE.json", description = "the report to write, or - for"
      + " standard output")
  Path out;

  @CommandLine.Mixin OutputOptions output;

  @Option(names = "--threshold", paramLabel = "T",
      description = "cosine threshold that links two tokens into one cluster (default: ${DEFAULT-VALUE})")
  double threshold = Clusters.DEFAULT_THRESHOLD;

  @Option(names = "--no-transport",
      description = "skip W2, the Sinkhorn divergence and the sliced distance; keep the identity cost")
  boolean noTransport;

  @Override
  public Integer call() throws IOException {
    Path target = Outputs.file(spec, out, "--out", output.parents, Outputs.in("--input", input));
    MetricsParams params = new MetricsParams(threshold,
        noTransport ? TransitionParams.identityOnly() : TransitionParams.defaults());
    CloudSequence sequence = Inputs.sequence(input, "--input " + input);
    SequenceMetrics metrics;
    try (Stages bar = Stages.elapsed("metrics")) {
      metrics = SequenceMetrics.of(sequence, params);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--input " + input + ": " + e.getMessage(), e);
    }
    Outputs.nonFinite(spec, out, Json.write(target, metrics.toJson()));
    PrintWriter w = Outputs.status(spec, out);
    w.println("measured " + sequence.size() + " clouds of " + sequence.cloud(0).size() + " tokens in R^"
        + sequence.cloud(0).dimension() + "; wrote " + out);
    return Main.OK;
  }
}
