package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.export.SchemaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokendyn intervene}: the report, the saved states, --from-fit, and bad input. */
@Tag("model")
class InterveneCommandTest {
  @TempDir Path tmp;

  private Path texts() throws Exception {
    Path t = tmp.resolve("texts.txt");
    Files.writeString(t, "The cat sat on the mat.\nTokens move through the layers.\nHello world\n");
    return t;
  }

  @Test
  void aFlowFromAFitReplacesABlockAndTheStatesAreAnExtraction() throws Exception {
    Path texts = texts();
    Path fit = tmp.resolve("fit.json");
    assertThat(CliRun.of("fit", "--model", "all-minilm-l6-v2", "--input", texts.toString(), "--bootstrap", "0", "--out",
        fit.toString()).code()).isZero();
    Path out = tmp.resolve("iv");
    JsonNode f = Json.readTree(fit);
    CliRun r = f.path("beta").isNumber() && f.path("time_per_layer").isNumber()
        ? CliRun.of("intervene", "--model", "all-minilm-l6-v2", "--input", texts.toString(), "--layer", "1", "--replace",
            "sa", "--from-fit", fit.toString(), "--save-states", "--out", out.toString())
        : CliRun.of("intervene", "--model", "all-minilm-l6-v2", "--input", texts.toString(), "--layer", "1", "--replace",
            "sa", "--beta", "1", "--time", "0.3", "--save-states", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = Json.readTree(out.resolve("report.json"));
    assertThat(SchemaTest.validate(doc)).isEmpty();
    assertThat(doc.path("layer").asInt()).isEqualTo(1);
    assertThat(doc.path("layers").size()).isEqualTo(7);
    assertThat(doc.path("layers").get(1).path("token_cosine").asDouble()).isEqualTo(1.0);
    assertThat(doc.path("doubly_stochastic_defect").size()).isEqualTo(6);
    assertThat(out.resolve("effect.png")).exists();
    assertThat(out.resolve("defect.png")).exists();
    JsonNode states = Json.readTree(out.resolve("states.json"));
    assertThat(SchemaTest.validate(states)).isEmpty();
    assertThat(states.path("texts").size()).isEqualTo(3);
    // the saved states are a sequence for the other commands
    assertThat(CliRun.of("metrics", "--input", out.resolve("states.json").toString(), "--no-transport", "--out",
        tmp.resolve("m.json").toString()).code()).isZero();
  }

  @Test
  void badInputNamesTheProblem() throws Exception {
    Path texts = texts();
    CliRun range = CliRun.of("intervene", "--model", "all-minilm-l6-v2", "--input", texts.toString(), "--layer", "6",
        "--replace", "ablate", "--out", tmp.resolve("a").toString());
    assertThat(range.code()).isEqualTo(2);
    assertThat(range.err()).contains("--layer 6 does not exist", "blocks 0..5");
    CliRun noParams = CliRun.of("intervene", "--model", "all-minilm-l6-v2", "--input", texts.toString(), "--layer", "0",
        "--replace", "sa", "--out", tmp.resolve("b").toString());
    assertThat(noParams.code()).isEqualTo(2);
    assertThat(noParams.err()).contains("--beta B and --time T, or --from-fit");
    Path sim = tmp.resolve("sim.json");
    assertThat(CliRun.of("simulate", "--n", "8", "--d", "3", "--beta", "1", "--dt", "0.1", "--steps", "20", "--seed", "1",
        "--record-every", "10", "--save-points", "--out", sim.toString()).code()).isZero();
    CliRun schema = CliRun.of("intervene", "--model", "all-minilm-l6-v2", "--input", texts.toString(), "--layer", "0",
        "--replace", "sa", "--from-fit", sim.toString(), "--out", tmp.resolve("c").toString());
    assertThat(schema.code()).isEqualTo(2);
    assertThat(schema.err()).contains("tokendyn.simulation/1 document", "tokendyn.fit/2");
    Path fit = tmp.resolve("seqfit.json");
    assertThat(CliRun.of("fit", "--sequence", sim.toString(), "--bootstrap", "0", "--out", fit.toString()).code()).isZero();
    CliRun other = CliRun.of("intervene", "--model", "all-minilm-l6-v2", "--input", texts.toString(), "--layer", "0",
        "--replace", "sa", "--from-fit", fit.toString(), "--out", tmp.resolve("d").toString());
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("is a fit of a sequence file", "not of all-minilm-l6-v2");
    for (String d : new String[] {"a", "b", "c", "d"}) {
      assertThat(tmp.resolve(d)).doesNotExist();
    }
  }
}
