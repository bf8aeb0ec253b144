package dev.tokendyn.jupyter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokendyn.cli.ReadmeSynopsisTest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The README's synopses of {@code tokendyn jupyter install} and {@code convert} against their --help. */
class JupyterSynopsisTest {
  @Test
  void theJupyterCommandsAreInTheReadmeWithEveryOption() throws Exception {
    assertThat(ReadmeSynopsisTest.problems(ReadmeSynopsisTest.readme(), "jupyter", new CommandLine(new JupyterMain())))
        .as("README synopses against --help").isEmpty();
  }
}
