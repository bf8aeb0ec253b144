package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.CloudFiles;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.TokenCloud;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate --mask}, {@code --geometry} and {@code --step}. */
class SimulateDynamicsOptionsTest {
  @TempDir Path tmp;

  @Test
  void causalMaskKeepsTheFirstTokenAndSaysSo() throws Exception {
    Path out = tmp.resolve("causal.json");
    CliRun r = CliRun.of("simulate", "--dynamics", "sa", "--mask", "causal", "--qkv", "identity", "--n", "16", "--d",
        "3", "--beta", "1", "--dt", "0.1", "--time", "5", "--seed", "4", "--record-every", "10", "--save-points",
        "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("causal");
    JsonNode doc = Json.readTree(out);
    assertThat(doc.at("/parameters/mask").asText()).isEqualTo("causal");
    JsonNode frames = doc.get("frames");
    JsonNode first = frames.get(0).get("points").get(0);
    JsonNode last = frames.get(frames.size() - 1).get("points").get(0);
    for (int k = 0; k < 3; k++) {
      assertThat(last.get(k).asDouble()).isCloseTo(first.get(k).asDouble(), org.assertj.core.data.Offset.offset(1e-12));
    }
  }

  @Test
  void anUnknownMaskListsTheValidOnes() {
    CliRun r = CliRun.of("simulate", "--mask", "diagonal", "--n", "4", "--d", "3", "--beta", "1", "--steps", "1",
        "--seed", "1", "--out", tmp.resolve("x.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("diagonal").contains("NONE").contains("CAUSAL");
  }

  @Test
  void euclideanRunsFromAGaussianAndKeepsNorms() throws Exception {
    Path out = tmp.resolve("e.json");
    CliRun r = CliRun.of("simulate", "--geometry", "euclidean", "--init", "gaussian", "--n", "64", "--d", "3",
        "--beta", "0.1", "--dt", "0.01", "--steps", "50", "--seed", "2", "--record-every", "50", "--save-points",
        "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = Json.readTree(out);
    assertThat(doc.at("/parameters/geometry").asText()).isEqualTo("euclidean");
    assertThat(doc.at("/parameters/init").asText()).isEqualTo("gaussian");
    // off the sphere: some token is not of unit norm
    double maxNorm = 0;
    for (JsonNode pt : doc.get("frames").get(1).get("points")) {
      double s = 0;
      for (JsonNode c : pt) {
        s += c.asDouble() * c.asDouble();
      }
      maxNorm = Math.max(maxNorm, Math.sqrt(s));
    }
    assertThat(maxNorm).isGreaterThan(1.5);
  }

  @Test
  void aBlowUpStopsWithTheTimeAndNoOutput() throws Exception {
    // USA in R^d: the self term gives |x_i|' >= exp(beta |x_i|^2) |x_i| / n, which blows up in finite time
    Path out = tmp.resolve("blow.json");
    CliRun r = CliRun.of("simulate", "--dynamics", "usa", "--geometry", "euclidean", "--init", "gaussian", "--n", "32", "--d", "2",
        "--beta", "1", "--dt", "0.01", "--time", "5", "--seed", "2", "--out", out.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("blew up at t=").contains("1e150").doesNotContain("NaN").doesNotContain("Exception");
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void euclideanStartsFromACloudFileWithoutNormalising() throws Exception {
    Path init = tmp.resolve("init.json");
    CloudFiles.writeCloud(init, TokenCloud.of(new double[][] {{3, 0}, {0, 4}}));
    Path out = tmp.resolve("c.json");
    CliRun r = CliRun.of("simulate", "--geometry", "euclidean", "--init", init.toString(), "--n", "2", "--d", "2",
        "--beta", "0", "--steps", "0", "--seed", "1", "--save-points", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Json.readTree(out).at("/frames/0/points/1/1").asDouble()).isEqualTo(4.0);
  }

  @Test
  void usaAtBeta64IsStableWithTheAdaptiveStep() throws Exception {
    Path out = tmp.resolve("usa.json");
    // USA at beta = 64 moves on the time scale exp(-64) = 1.6e-28
    CliRun r = CliRun.of("simulate", "--dynamics", "usa", "--step", "adaptive", "--n", "32", "--d", "3", "--beta",
        "64", "--dt", "1e-27", "--steps", "20", "--seed", "5", "--record-every", "5", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("adaptive steps");
    JsonNode doc = Json.readTree(out);
    assertThat(doc.at("/parameters/step").asText()).isEqualTo("adaptive");
    assertThat(doc.at("/parameters/max_step_displacement").asDouble()).isEqualTo(0.02);
    JsonNode frames = doc.get("frames");
    assertThat(frames.size()).isEqualTo(5);
    assertThat(frames.get(4).get("time").asDouble()).isEqualTo(2e-26);
    // USA ascends E_beta: the energy never decreases from frame to frame
    for (int f = 1; f < frames.size(); f++) {
      assertThat(frames.get(f).at("/metrics/energy").asDouble())
          .isGreaterThanOrEqualTo(frames.get(f - 1).at("/metrics/energy").asDouble() * (1 - 1e-12));
    }
    assertThat(frames.get(4).at("/metrics/mean_cosine").asDouble())
        .isGreaterThan(frames.get(0).at("/metrics/mean_cosine").asDouble());
  }
}
