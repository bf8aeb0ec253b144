package dev.tokendyn.cli;

import dev.tokendyn.analysis.CorpusParams;
import dev.tokendyn.metrics.TextParams;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** What a corpus analysis measures and how: the options of {@code analyze}, shared by its Spark job. */
public final class CorpusOptions {
  @Option(names = "--special-tokens", defaultValue = "drop", paramLabel = "drop|keep",
      description = "Leave [CLS], [SEP], BOS/EOS out of the geometry (default: ${DEFAULT-VALUE}).")
  Special special;

  enum Special { DROP, KEEP }

  @Option(names = "--threshold", defaultValue = "0.999",
      description = "Cosine threshold of the clusters (default: ${DEFAULT-VALUE}).")
  double threshold;

  @Option(names = "--rotation-components", defaultValue = "10", paramLabel = "K",
      description = "Principal components of the rotational share (default: ${DEFAULT-VALUE}).")
  int rotationComponents;

  @Option(names = "--pooled-sample", defaultValue = "4000", paramLabel = "N",
      description = "Tokens in the seeded sample for pooled transport and dimension (default: ${DEFAULT-VALUE}).")
  int pooledSample;

  @Option(names = "--bootstrap", defaultValue = "1000", paramLabel = "B",
      description = "Bootstrap resamples over texts (default: ${DEFAULT-VALUE}).")
  int bootstrap;

  @Option(names = "--seed", defaultValue = "0",
      description = "Seed of the sample, the bootstrap, the sliced directions and --limit (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--no-transport", description = "Skip the optimal transport between layers (faster).")
  boolean noTransport;

  @Option(names = "--standardize", description = "Standardise each dimension over the corpus before measuring (runs"
      + " the model twice).")
  boolean standardize;

  /** The seed of the sample, the bootstrap, the sliced directions and the subset. */
  public long seed() {
    return seed;
  }

  /**
   * The parameters these options give.
   *
   * @param spec the command, which says whether --rotation-components was given
   * @throws UsageException naming a bad value
   */
  public CorpusParams params(CommandSpec spec) {
    try {
      return CorpusParams.defaults()
          .withText(new TextParams(special == Special.DROP, threshold, rotationComponents, !noTransport))
          .withPooledSample(pooledSample).withSeed(seed).withResamples(bootstrap)
          .withRequireRotation(spec.commandLine().getParseResult().hasMatchedOption("--rotation-components"))
          .withStandardize(standardize);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), e);
    }
  }
}
