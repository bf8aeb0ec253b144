package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading weight files, and the clear failures on broken ones. */
class WeightFilesTest {
  @TempDir Path tmp;

  @Test
  void safetensorsRoundTrip() throws Exception {
    Tensor a = new Tensor("a", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
    Tensor b = new Tensor("b", new long[] {1}, new float[] {-0.5f});
    Path f = tmp.resolve("m.safetensors");
    SafetensorsWriter.write(f, List.of(a, b));
    Map<String, Tensor> got = Safetensors.read(f);
    assertThat(got.keySet()).containsExactly("a", "b");
    assertThat(got.get("a").shape()).containsExactly(2, 3);
    assertThat(got.get("a").data()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(got.get("a").transposed().data()).containsExactly(1, 4, 2, 5, 3, 6);
  }

  @Test
  void truncatedSafetensorsNameTheFile() throws Exception {
    Path f = tmp.resolve("m.safetensors");
    SafetensorsWriter.write(f, List.of(new Tensor("a", new long[] {64}, new float[64])));
    byte[] all = Files.readAllBytes(f);
    Files.write(f, Arrays.copyOf(all, all.length - 10));
    assertThatThrownBy(() -> Safetensors.read(f)).isInstanceOf(ModelException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("truncated");
    Files.write(f, Arrays.copyOf(all, 5));
    assertThatThrownBy(() -> Safetensors.read(f)).isInstanceOf(ModelException.class).hasMessageContaining("truncated");
    byte[] bad = all.clone();
    bad[9] = '#';
    Files.write(f, bad);
    assertThatThrownBy(() -> Safetensors.read(f)).isInstanceOf(ModelException.class).hasMessageContaining("corrupt");
  }

  @Test
  void garbageIsNotAnOnnxModel() {
    byte[] junk = "this is not a protocol buffer at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> OnnxWeights.read(new ByteArrayInputStream(junk), "junk.onnx"))
        .isInstanceOf(ModelException.class).hasMessageContaining("junk.onnx");
  }

  @Test
  @Tag("model")
  void truncatedOnnxIsRejected() throws Exception {
    Catalog.Entry e = Catalog.find("all-minilm-l6-v2").orElseThrow();
    byte[] head;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(e.onnxResource())) {
      head = in.readNBytes(40_000_000);
    }
    assertThatThrownBy(() -> OnnxWeights.read(new ByteArrayInputStream(head), "cut.onnx"))
        .isInstanceOf(ModelException.class).hasMessageContaining("cut.onnx").hasMessageContaining("truncated");
  }
}
