package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokendyn.cloud.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face directories as they come from the Hub: the cache layout, sharded and float64 checkpoints,
 * and PyTorch pickles refused. Each variant is written by the test from the tiny GPT-2 checkpoint, and must
 * give bit for bit the hidden states of the plain single-file float32 directory.
 */
@org.junit.jupiter.api.Tag("model")
class HuggingFaceDirectoryTest {
  @TempDir Path tmp;

  private static final List<String> TEXTS = List.of("the cat sat on the mat");

  private static float[] lastState(Path dir) throws Exception {
    try (Extractor ex = Extractor.open(dir.toString())) {
      TextExtraction t = ex.extract(TEXTS, ExtractOptions.defaults()).text(0);
      return t.state(t.hiddenStates().size() - 1).values();
    }
  }

  private static String name(Path dir) throws Exception {
    try (Extractor ex = Extractor.open(dir.toString())) {
      return ex.info().name();
    }
  }

  private static void setNameOrPath(Path dir, String value) throws Exception {
    ObjectNode c = (ObjectNode) Json.readTree(dir.resolve("config.json"));
    if (value == null) {
      c.remove("_name_or_path");
    } else {
      c.put("_name_or_path", value);
    }
    Json.write(dir.resolve("config.json"), c);
  }

  @Test
  void theNameComesFromTheConfigOrTheCacheFolderNeverTheSnapshotHash() throws Exception {
    Path snapshot = TinyGpt2.write(tmp.resolve("hub/models--openai-community--gpt2-tiny/snapshots/"
        + "3a1f9c0e6b2d4f8a9e7c5b1d0f2e4a6c8b9d7e5f"));
    setNameOrPath(snapshot, null);
    assertThat(name(snapshot)).isEqualTo("openai-community/gpt2-tiny");
    setNameOrPath(snapshot, "/home/someone/checkpoints/run-7");
    assertThat(name(snapshot)).isEqualTo("openai-community/gpt2-tiny");
    setNameOrPath(snapshot, "sshleifer/tiny-gpt2");
    assertThat(name(snapshot)).isEqualTo("sshleifer/tiny-gpt2");
    Path plain = TinyGpt2.write(tmp.resolve("my-model"));
    setNameOrPath(plain, null);
    assertThat(name(plain)).isEqualTo("my-model");
  }

  @Test
  void aShardedCheckpointLoadsAsTheSingleFile() throws Exception {
    Path single = TinyGpt2.write(tmp.resolve("single"));
    Path sharded = TinyGpt2.write(tmp.resolve("sharded"));
    Files.delete(sharded.resolve("model.safetensors"));
    List<Tensor> all = TinyGpt2.weights(TinyGpt2.reference().path("config"));
    List<Tensor> first = new ArrayList<>(all.subList(0, all.size() / 2));
    List<Tensor> second = new ArrayList<>(all.subList(all.size() / 2, all.size()));
    SafetensorsWriter.write(sharded.resolve("model-00001-of-00002.safetensors"), first);
    SafetensorsWriter.write(sharded.resolve("model-00002-of-00002.safetensors"), second);
    Map<String, String> map = new LinkedHashMap<>();
    first.forEach(t -> map.put(t.name(), "model-00001-of-00002.safetensors"));
    second.forEach(t -> map.put(t.name(), "model-00002-of-00002.safetensors"));
    Json.write(sharded.resolve("model.safetensors.index.json"), Map.of("metadata", Map.of(), "weight_map", map));
    assertThat(lastState(sharded)).isEqualTo(lastState(single));

    // a shard that lacks a tensor the index places there is an incomplete download
    SafetensorsWriter.write(sharded.resolve("model-00002-of-00002.safetensors"), second.subList(1, second.size()));
    assertThatThrownBy(() -> lastState(sharded)).isInstanceOf(ModelException.class)
        .hasMessageContaining("model-00002-of-00002.safetensors").hasMessageContaining(second.get(0).name())
        .hasMessageContaining("incomplete");
    Files.delete(sharded.resolve("model-00002-of-00002.safetensors"));
    assertThatThrownBy(() -> lastState(sharded)).isInstanceOf(ModelException.class)
        .hasMessageContaining("model-00002-of-00002.safetensors: no such file");
  }

  @Test
  void float64WeightsLoadAsTheirFloat32Values() throws Exception {
    Path single = TinyGpt2.write(tmp.resolve("f32"));
    Path f64 = TinyGpt2.write(tmp.resolve("f64"));
    SafetensorsWriter.write(f64.resolve("model.safetensors"), TinyGpt2.weights(TinyGpt2.reference().path("config")),
        true);
    JsonNode header = Json.mapper().readTree(headerOf(f64.resolve("model.safetensors")));
    assertThat(header.elements().next().path("dtype").asText()).isEqualTo("F64");
    assertThat(lastState(f64)).isEqualTo(lastState(single));
  }

  @Test
  void aPytorchPickleIsRefusedWithTheConversion() throws Exception {
    Path dir = TinyGpt2.write(tmp.resolve("bin"));
    Files.delete(dir.resolve("model.safetensors"));
    Files.write(dir.resolve("pytorch_model.bin"), new byte[] {0x50, 0x4b, 3, 4});
    assertThatThrownBy(() -> name(dir)).isInstanceOf(ModelException.class)
        .hasMessageContaining("pytorch_model.bin").hasMessageContaining("save_pretrained")
        .hasMessageContaining("safe_serialization=True");
  }

  private static String headerOf(Path file) throws Exception {
    byte[] b = Files.readAllBytes(file);
    long n = java.nio.ByteBuffer.wrap(b, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    return new String(b, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
  }
}
