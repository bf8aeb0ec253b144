package dev.tokendyn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokendyn.cli.ReadmeSynopsisTest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README's synopses of {@code tokendyn spark sweep} and {@code spark analyze} against their --help;
 * SWEEP-OPTIONS and ANALYZE-OPTIONS there stand for the synopses of the local commands.
 */
class SparkSynopsisTest {
  @Test
  void theSparkJobsAreInTheReadmeWithEveryOption() throws Exception {
    assertThat(ReadmeSynopsisTest.problems(ReadmeSynopsisTest.readme(), "spark", new CommandLine(new SparkMain())))
        .as("README synopses against --help").isEmpty();
  }
}
