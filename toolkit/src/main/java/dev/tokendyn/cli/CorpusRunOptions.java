package dev.tokendyn.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which texts and models a corpus analysis runs, and whether it continues an interrupted run: the options
 * of {@code analyze} that its Spark job shares.
 */
public final class CorpusRunOptions {
  @Option(names = "--compare", paramLabel = "NAME2|DIR2", description = "A second model, drawn on the same plots.")
  String compare;

  @Option(names = "--limit", paramLabel = "N", description = "A seeded random subset of at most N texts (--seed).")
  Integer limit;

  @Option(names = "--resume", description = "Continue an interrupted run into the same --out from its checkpoint.")
  boolean resume;

  /** The second model, or null. */
  public String compare() {
    return compare;
  }

  /**
   * The limit, or null for every text.
   *
   * @throws UsageException when it is below 1
   */
  public Integer limit() {
    if (limit != null && limit < 1) {
      throw new UsageException("--limit must be >= 1, found " + limit);
    }
    return limit;
  }

  /** Whether to continue from the checkpoint. */
  public boolean resume() {
    return resume;
  }

  /** The models to run: {@code model}, then the one to compare with. */
  public List<String> models(String model) {
    return compare == null ? List.of(model) : List.of(model, compare);
  }
}
