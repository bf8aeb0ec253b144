package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.export.SchemaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClosureCommandTest {
  @TempDir Path tmp;

  @Test
  void identityFromTheStandardGaussianFollowsSigmaOverOneMinusTwoBetaT() throws Exception {
    Path out = tmp.resolve("c.json");
    CliRun r = CliRun.of("closure", "--qkv", "identity", "--d", "2", "--beta", "1", "--mean", "zero", "--cov",
        "identity", "--time", "0.4", "--dt", "0.001", "--record-every", "100", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = Json.readTree(out);
    assertThat(SchemaTest.validate(doc)).isEmpty();
    JsonNode frames = doc.get("frames");
    assertThat(frames.size()).isEqualTo(5);
    for (JsonNode f : frames) {
      double t = f.get("time").asDouble();
      assertThat(f.at("/cov/0/0").asDouble()).isCloseTo(1 / (1 - 2 * t), offset(1e-9));
      assertThat(f.at("/cov/0/1").asDouble()).isCloseTo(0, offset(1e-12));
      assertThat(f.at("/mean/1").asDouble()).isEqualTo(0.0);
    }
  }

  @Test
  void readsTheMeanCovarianceAndMatricesFromFiles() throws Exception {
    Path qkv = tmp.resolve("qkv.json");
    Files.writeString(qkv, "{\"v\": [[0.5, 0], [0, 0.5]]}");
    Path mean = tmp.resolve("m.json");
    Files.writeString(mean, "[1, 0]");
    Path cov = tmp.resolve("s.json");
    Files.writeString(cov, "[[0.2, 0], [0, 0.1]]");
    Path out = tmp.resolve("c.json");
    CliRun r = CliRun.of("closure", "--qkv", qkv.toString(), "--beta", "0", "--mean", mean.toString(), "--cov",
        cov.toString(), "--time", "1", "--dt", "0.01", "--record-every", "100", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // beta = 0: m' = V m, Sigma' = 0
    JsonNode last = Json.readTree(out).at("/frames/1");
    assertThat(last.at("/mean/0").asDouble()).isCloseTo(Math.exp(0.5), offset(1e-9));
    assertThat(last.at("/cov/0/0").asDouble()).isCloseTo(0.2, offset(1e-15));
  }

  @Test
  void aCovarianceThatIsNotPositiveSemiDefiniteNamesTheSmallestEigenvalue() throws Exception {
    Path cov = tmp.resolve("s.json");
    Files.writeString(cov, "[[1, 2], [2, 1]]");
    Path out = tmp.resolve("c.json");
    CliRun r = CliRun.of("closure", "--beta", "1", "--cov", cov.toString(), "--time", "1", "--dt", "0.1", "--out",
        out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("smallest eigenvalue is -1.0");
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void aBlowUpNamesTheTimeAndWritesNothing() {
    Path out = tmp.resolve("c.json");
    CliRun r = CliRun.of("closure", "--d", "3", "--beta", "1", "--time", "2", "--dt", "0.01", "--out", out.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("blew up at t=0.5").doesNotContain("Exception");
    assertThat(Files.exists(out)).isFalse();
  }

  @Test
  void disagreeingDimensionsAreAUsageError() throws Exception {
    Path mean = tmp.resolve("m.json");
    Files.writeString(mean, "[1, 0, 0]");
    CliRun r = CliRun.of("closure", "--d", "2", "--beta", "1", "--mean", mean.toString(), "--time", "1", "--dt",
        "0.1", "--out", tmp.resolve("c.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--mean has dimension 3 but --d gives 2");
    CliRun none = CliRun.of("closure", "--beta", "1", "--time", "1", "--dt", "0.1", "--out", tmp.resolve("c.json").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("add --d");
  }
}
