package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out), new PrintWriter(err), args);
  }

  /** A JSON sequence whose cloud l is base + l * shift, written by hand. */
  private Path translatedSequence(int layers, int n, double[] shift) throws IOException {
    Random rng = new Random(345);
    int d = shift.length;
    double[][] base = new double[n][d];
    for (double[] row : base) {
      for (int k = 0; k < d; k++) {
        row[k] = rng.nextGaussian();
      }
    }
    StringBuilder s = new StringBuilder("{\"clouds\": [");
    for (int l = 0; l < layers; l++) {
      s.append(l == 0 ? "" : ",").append("{\"label\": \"layer").append(l).append("\", \"points\": [");
      for (int i = 0; i < n; i++) {
        s.append(i == 0 ? "" : ",").append('[');
        for (int k = 0; k < d; k++) {
          s.append(k == 0 ? "" : ",").append(base[i][k] + l * shift[k]);
        }
        s.append(']');
      }
      s.append("]}");
    }
    s.append("]}");
    Path p = dir.resolve("seq.json");
    Files.writeString(p, s.toString());
    return p;
  }

  @Test
  void writesTheReport() throws IOException {
    Path in = translatedSequence(4, 30, new double[] {0.5, 0, 0, 0});
    Path report = dir.resolve("m.json");
    int code = run("metrics", "--input", in.toString(), "--out", report.toString());
    assertThat(code).as(err.toString()).isEqualTo(0);
    assertThat(out.toString()).contains("measured 4 clouds of 30 tokens in R^4");
    JsonNode j = Json.readTree(report);
    assertThat(j.get("schema").asText()).isEqualTo("tokendyn.metrics/1");
    assertThat(j.get("clouds")).hasSize(4);
    assertThat(j.get("clouds").get(2).get("label").asText()).isEqualTo("layer2");
    for (String key : new String[] {"mean_cosine", "clusters", "cluster_sizes", "clustered_fraction", "rank_collapse",
        "effective_rank", "stable_rank", "intrinsic_dimension", "entropy", "undefined"}) {
      assertThat(j.get("clouds").get(0).has(key)).as(key).isTrue();
    }
    JsonNode t = j.get("transitions");
    assertThat(t).hasSize(3);
    assertThat(t.get(2).get("from").asInt()).isEqualTo(2);
    assertThat(t.get(2).get("to").asInt()).isEqualTo(3);
    // a rigid translation by 0.5 per layer: identity cost 0.25, W2 0.5, efficiency 1
    assertThat(t.get(0).get("identity_cost").asDouble()).isCloseTo(0.25, within(1e-12));
    assertThat(t.get(0).get("w2").asDouble()).isCloseTo(0.5, within(1e-9));
    assertThat(t.get(0).has("transport_efficiency")).isFalse();
    assertThat(t.get(0).has("rotational_share")).isTrue();
    assertThat(t.get(0).has("sinkhorn_divergence")).isTrue();
    assertThat(t.get(0).has("sliced")).isTrue();
    // MSD = 0.25 l^2: ballistic
    assertThat(j.get("spreading").get("msd_alpha").asDouble()).isCloseTo(2, within(1e-9));
  }

  @Test
  void noTransportKeepsIdentityCostOnly() throws IOException {
    Path in = translatedSequence(2, 10, new double[] {0, 1, 0});
    Path report = dir.resolve("m.json");
    int code = run("metrics", "--input", in.toString(), "--out", report.toString(), "--no-transport",
        "--threshold", "0.5");
    assertThat(code).as(err.toString()).isEqualTo(0);
    JsonNode j = Json.readTree(report);
    assertThat(j.get("params").get("threshold").asDouble()).isEqualTo(0.5);
    JsonNode t = j.get("transitions").get(0);
    assertThat(t.get("identity_cost").asDouble()).isCloseTo(1, within(1e-12));
    assertThat(t.has("w2")).isFalse();
  }

  private void assertUsageError(Path report, String message, String... args) {
    int code = run(args);
    assertThat(code).as(out + " " + err).isEqualTo(2);
    assertThat(err.toString()).startsWith("tokendyn metrics: error: ").contains(message);
    assertThat(report).doesNotExist();
  }

  @Test
  void cloudsOfDifferentSizesAreRejected() throws IOException {
    Path in = dir.resolve("bad.json");
    Files.writeString(in, "{\"clouds\": [{\"points\": [[1,0],[0,1],[1,1],[2,1]]}, {\"points\": [[1,0],[0,1],[1,1]]}]}");
    Path report = dir.resolve("m.json");
    assertUsageError(report, "has shape 3x2 but cloud 0 (0) has 4x2",
        "metrics", "--input", in.toString(), "--out", report.toString());
  }

  @Test
  void nonFinitePointsAreRejected() throws IOException {
    Path in = dir.resolve("inf.json");
    Files.writeString(in, "{\"clouds\": [{\"points\": [[1,0],[0,1e999],[1,1],[2,1]]}]}");
    Path report = dir.resolve("m.json");
    assertUsageError(report, "must be finite", "metrics", "--input", in.toString(), "--out", report.toString());
  }

  @Test
  void tooFewPointsGiveNullWithAReasonAndTheRestStillRuns() throws IOException {
    Path in = dir.resolve("two.json");
    Files.writeString(in, "{\"clouds\": [{\"points\": [[1,0],[0,1]]}]}");
    Path report = dir.resolve("m.json");
    assertThat(run("metrics", "--input", in.toString(), "--out", report.toString())).as(err.toString()).isEqualTo(0);
    JsonNode c = Json.readTree(report).get("clouds").get(0);
    assertThat(c.get("intrinsic_dimension").isNull()).isTrue();
    assertThat(c.get("undefined").get("intrinsic_dimension").asText()).isEqualTo("needs at least 20 distinct points, found 2");
    assertThat(c.get("mean_cosine").asDouble()).isCloseTo(0, within(1e-12));
    assertThat(c.get("clusters").asInt()).isEqualTo(2);
  }

  @Test
  void emptySequenceIsRejected() throws IOException {
    Path in = dir.resolve("empty.json");
    Files.writeString(in, "{\"clouds\": []}");
    Path report = dir.resolve("m.json");
    assertUsageError(report, "needs at least one cloud", "metrics", "--input", in.toString(), "--out", report.toString());
  }

  @Test
  void thresholdOutsideCosineRangeIsRejected() throws IOException {
    Path in = translatedSequence(2, 10, new double[] {0, 1, 0});
    Path report = dir.resolve("m.json");
    assertUsageError(report, "threshold must be a cosine in [-1, 1], found 1.5",
        "metrics", "--input", in.toString(), "--out", report.toString(), "--threshold", "1.5");
  }

  @Test
  void missingInputIsAUsageError() {
    Path report = dir.resolve("m.json");
    assertUsageError(report, "no such file", "metrics", "--input", dir.resolve("nope.json").toString(),
        "--out", report.toString());
  }
}
