package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.export.SchemaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokendyn fit}: the tokendyn.fit/2 document, its plots, and bad input. */
class FitCommandTest {
  @TempDir Path tmp;

  private Path simulation() {
    Path sim = tmp.resolve("sim.json");
    assertThat(CliRun.of("simulate", "--n", "12", "--d", "4", "--beta", "2", "--dt", "0.05", "--steps", "40", "--seed",
        "3", "--record-every", "10", "--save-points", "--out", sim.toString()).code()).isZero();
    return sim;
  }

  @Test
  void aSequenceIsFittedPerLayerWithEveryObjective() throws Exception {
    Path sim = simulation();
    for (String objective : new String[] {"positions", "gram", "w2"}) {
      Path out = tmp.resolve(objective + ".json");
      CliRun r = CliRun.of("fit", "--sequence", sim.toString(), "--objective", objective, "--per-layer", "--bootstrap",
          "3", "--out", out.toString());
      assertThat(r.code()).as(r.err()).isZero();
      JsonNode doc = Json.readTree(out);
      assertThat(SchemaTest.validate(doc)).as(objective).isEmpty();
      assertThat(doc.path("schema").asText()).isEqualTo("tokendyn.fit/2");
      assertThat(doc.path("objective").asText()).isEqualTo(objective);
      assertThat(doc.path("parameters").asText()).isEqualTo("per_layer");
      assertThat(doc.path("model").isNull()).isTrue();
      assertThat(doc.path("layers").size()).isEqualTo(4);
      assertThat(doc.path("explained").asDouble()).isGreaterThan(0.99);
      JsonNode l = doc.path("layers").get(0);
      assertThat(l.path("beta_ci").size()).isEqualTo(2);
      assertThat(l.path("profile").path("beta").size()).isEqualTo(15);
      for (String suffix : new String[] {".png", "-layers.png", "-profile.png"}) {
        assertThat(tmp.resolve(objective + suffix)).exists();
      }
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("."))).isEmpty();
    }
  }

  @Test
  void badOptionsAreUsageErrorsThatSayWhy() {
    Path sim = simulation();
    CliRun unnormalised = CliRun.of("fit", "--sequence", sim.toString(), "--coordinates", "unnormalised");
    assertThat(unnormalised.code()).isEqualTo(2);
    assertThat(unnormalised.err()).contains("--coordinates unnormalised needs the model's LayerNorm");
    CliRun ridge = CliRun.of("fit", "--sequence", sim.toString(), "--ridge", "0.1");
    assertThat(ridge.code()).isEqualTo(2);
    assertThat(ridge.err()).contains("--ridge applies to --fit-value");
  }

  @Test
  void aValueFitWithFewerTokensThanDimensionsAsksForTheRidge() {
    Path sim = tmp.resolve("wide.json");
    assertThat(CliRun.of("simulate", "--n", "6", "--d", "16", "--beta", "1", "--dt", "0.05", "--steps", "20", "--seed",
        "3", "--record-every", "10", "--save-points", "--out", sim.toString()).code()).isZero();
    CliRun r = CliRun.of("fit", "--sequence", sim.toString(), "--fit-value", "--out", tmp.resolve("v.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("6 tokens in d = 16", "needs a ridge", "--ridge R > 0");
    assertThat(tmp.resolve("v.json")).doesNotExist();
    CliRun ok = CliRun.of("fit", "--sequence", sim.toString(), "--fit-value", "--ridge", "1e-3", "--bootstrap", "0",
        "--out", tmp.resolve("v.json").toString());
    assertThat(ok.code()).as(ok.err()).isZero();
  }

  @Tag("model")
  @Test
  void aModelIsFittedInUnnormalisedCoordinatesWithItsAttentionSublayers() throws Exception {
    Path texts = tmp.resolve("texts.txt");
    Files.writeString(texts, "The cat sat on the mat.\nTokens move through the layers of a transformer.\nHello world\n");
    Path out = tmp.resolve("m.json");
    CliRun r = CliRun.of("fit", "--model", "all-minilm-l6-v2", "--input", texts.toString(), "--coordinates",
        "unnormalised", "--objective", "gram", "--per-layer", "--bootstrap", "4", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = Json.readTree(out);
    assertThat(SchemaTest.validate(doc)).isEmpty();
    assertThat(doc.path("model").asText()).isEqualTo("all-minilm-l6-v2");
    assertThat(doc.path("coordinates").asText()).isEqualTo("unnormalised");
    assertThat(doc.path("layers").size()).isEqualTo(6);
    for (JsonNode l : doc.path("layers")) {
      JsonNode a = l.path("attention");
      // the particle step from the weights is the extracted attention output, to float32 rounding
      assertThat(a.path("flow_error").asDouble()).isLessThan(1e-4);
      assertThat(a.path("explained").asDouble() + a.path("mlp_left").asDouble()).isCloseTo(1.0,
          org.assertj.core.data.Offset.offset(1e-9));
      if (!l.path("identifiable").asBoolean()) {
        assertThat(l.path("beta").isNull() || l.path("time").isNull()).isTrue();
      }
    }
  }
}
