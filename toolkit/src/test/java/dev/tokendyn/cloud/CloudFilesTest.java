package dev.tokendyn.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy and JSON files against fixtures that numpy itself wrote (make_npy_fixtures.py). */
class CloudFilesTest {
  @TempDir Path tmp;

  private static Path fixture(String name) {
    return Path.of("src/test/resources/cloud", name);
  }

  private static double[][] expected(String key) throws IOException {
    JsonNode node = Json.readTree(fixture("expected.json")).get(key);
    return Json.mapper().convertValue(node, double[][].class);
  }

  @Test
  void readsEveryLayoutNumpyWrites() throws IOException {
    double[][] a = expected("cloud");
    for (String f : List.of("c_f8.npy", "fortran_f8.npy", "big_endian_f8.npy")) {
      assertThat(CloudFiles.readCloud(fixture(f)).toArray()).as(f).isDeepEqualTo(a);
    }
    assertThat(CloudFiles.readCloud(fixture("c_f4.npy")).toArray()).isDeepEqualTo(expected("cloud_f4"));
  }

  @Test
  void writesTheSameBytesAsNumpy() throws IOException {
    TokenCloud c = CloudFiles.readCloud(fixture("c_f8.npy"));
    Path out = tmp.resolve("mine.npy");
    CloudFiles.writeCloud(out, c);
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(fixture("c_f8.npy")));
  }

  @Test
  void readsA3dArrayAsASequence() throws IOException {
    CloudSequence s = CloudFiles.readSequence(fixture("seq_f8.npy"));
    JsonNode seq = Json.readTree(fixture("expected.json")).get("sequence");
    assertThat(s.size()).isEqualTo(3);
    for (int l = 0; l < 3; l++) {
      assertThat(s.cloud(l).toArray()).isDeepEqualTo(Json.mapper().convertValue(seq.get(l), double[][].class));
    }
  }

  @Test
  void rejectsIntegersAndNonsenseWithThePath() {
    assertThatThrownBy(() -> CloudFiles.readCloud(fixture("int64.npy"))).isInstanceOf(IOException.class)
        .hasMessageContaining("int64.npy").hasMessageContaining("float64");
    assertThatThrownBy(() -> CloudFiles.readCloud(fixture("expected.json"))).isInstanceOf(IOException.class)
        .hasMessageContaining("points");
    assertThatThrownBy(() -> CloudFiles.readCloud(tmp.resolve("missing.json"))).hasMessageContaining("no such file");
  }

  @Test
  void truncatedNpyIsAnErrorNamingTheSizes() throws IOException {
    byte[] full = Files.readAllBytes(fixture("c_f8.npy"));
    Path cut = tmp.resolve("cut.npy");
    Files.write(cut, java.util.Arrays.copyOf(full, full.length - 9));
    assertThatThrownBy(() -> CloudFiles.readCloud(cut)).isInstanceOf(IOException.class).hasMessageContaining("truncated");
  }

  @Test
  void jsonRoundTripKeepsWeightsAndTokens() throws IOException {
    TokenCloud c = new TokenCloud(2, 2, new double[] {0.1, 1e-300, -3, 4.5}, new double[] {1, 3}, List.of("a", "b"));
    Path p = tmp.resolve("c.json");
    CloudFiles.writeCloud(p, c);
    assertThat(CloudFiles.readCloud(p)).isEqualTo(c);
    assertThat(Json.readTree(p).get("schema").asText()).isEqualTo("tokendyn.cloud/1");
    assertThat(c.normalizedWeights()).containsExactly(0.25, 0.75);
  }

  @Test
  void sequenceRoundTripsThroughJsonAndAFolderOfNpy() throws IOException {
    CloudSequence s = CloudSequence.ofLayers(List.of(TokenCloud.of(new double[][] {{1, 2}, {3, 4}}),
        TokenCloud.of(new double[][] {{5, 6}, {7, 8}})));
    Path j = tmp.resolve("s.json");
    CloudFiles.writeSequence(j, s);
    assertThat(CloudFiles.readSequence(j).clouds()).isEqualTo(s.clouds());
    Path dir = tmp.resolve("dir");
    CloudFiles.writeSequence(dir, s);
    assertThat(CloudFiles.readSequence(dir).clouds()).isEqualTo(s.clouds());
    assertThat(dir.resolve("index.json")).exists();
  }

  @Test
  void invalidCloudsAreRejectedWithTheValue() {
    assertThatThrownBy(() -> TokenCloud.ofFlat(1, 2, new double[] {0, Double.NaN}))
        .hasMessageContaining("point 0 coordinate 1 is NaN");
    assertThatThrownBy(() -> new TokenCloud(1, 1, new double[] {0}, new double[] {-1}, null))
        .hasMessageContaining("weight 0 is -1.0");
    assertThatThrownBy(() -> TokenCloud.of(new double[0][])).hasMessageContaining("at least one point");
    assertThatThrownBy(() -> TokenCloud.of(new double[][] {{1, 2}, {3}})).hasMessageContaining("point 1 has 1");
    assertThatThrownBy(() -> new CloudSequence(CloudSequence.Axis.LAYER, List.of()))
        .hasMessageContaining("at least one cloud");
  }

  @Test
  void failedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    Path p = tmp.resolve("keep.json");
    Files.writeString(p, "old");
    assertThatThrownBy(() -> AtomicFiles.write(p, out -> {
      out.write("partial".getBytes());
      throw new IOException("disk full");
    })).hasMessageContaining("disk full");
    assertThat(Files.readString(p)).isEqualTo("old");
    try (var files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("keep.json");
    }
  }

  @Test
  void readsAnExtractionAsOneSequencePerTextAndPoolsThem() throws IOException {
    Path ex = tmp.resolve("ex.json");
    Files.writeString(ex, "{\"schema\": \"tokendyn.extraction/1\", \"layers\": [0, 1], \"sites\": [\"a\", \"b\"],"
        + " \"texts\": [{\"tokens\": [\"x\", \"y\"], \"hidden_states\": [[[1, 0], [0, 1]], [[2, 0], [0, 2]]]},"
        + " {\"tokens\": [\"z\"], \"hidden_states\": [[[3, 3]], [[4, 4]]]}]}");
    List<CloudSequence> texts = CloudFiles.readSequences(ex);
    assertThat(texts).hasSize(2);
    assertThat(texts.get(0).label(1)).isEqualTo("b");
    assertThat(texts.get(0).cloud(1).toArray()).isDeepEqualTo(new double[][] {{2, 0}, {0, 2}});
    assertThat(texts.get(1).cloud(0).tokens()).contains(List.of("z"));
    CloudSequence pooled = CloudFiles.readSequence(ex);
    assertThat(pooled.cloud(1).toArray()).isDeepEqualTo(new double[][] {{2, 0}, {0, 2}, {4, 4}});
    assertThat(pooled.cloud(0).tokens()).contains(List.of("0:x", "0:y", "1:z"));

    Path dir = tmp.resolve("exdir");
    Files.createDirectories(dir);
    Npy.write(dir.resolve("t0.npy"), new int[] {2, 2, 2}, new double[] {1, 0, 0, 1, 2, 0, 0, 2});
    Npy.write(dir.resolve("t1.npy"), new int[] {2, 1, 2}, new double[] {3, 3, 4, 4});
    Files.writeString(dir.resolve("index.json"), "{\"schema\": \"tokendyn.extraction/1\", \"layers\": [0, 1],"
        + " \"texts\": [{\"tokens\": [\"x\", \"y\"], \"hidden_states\": \"t0.npy\"},"
        + " {\"tokens\": [\"z\"], \"hidden_states\": \"t1.npy\"}]}");
    assertThat(CloudFiles.readSequence(dir).clouds()).isEqualTo(pooled.clouds());
  }
}
