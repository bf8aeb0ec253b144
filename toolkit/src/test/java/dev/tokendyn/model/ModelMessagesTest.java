package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broken model file is named in the message, whichever library found the fault. */
class ModelMessagesTest {
  @TempDir Path tmp;

  @Test
  void aBrokenTokenizerIsNamed() throws Exception {
    Path dir = TinyGpt2.write(tmp.resolve("gpt2"));
    Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"NoSuchModel\"}}");
    assertThatThrownBy(() -> Extractor.open(dir)).isInstanceOf(ModelException.class)
        .hasMessageContaining(dir.resolve("tokenizer.json").toString())
        .hasMessageContaining("not a readable Hugging Face tokenizer.json");
  }

  @Test
  void aSafetensorsHeaderWhoseShapeDoesNotFitItsBytesIsRefusedBeforeDecoding() throws Exception {
    Path f = tmp.resolve("model.safetensors");
    String header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [1000000, 1000000], \"data_offsets\": [0, 8]}}";
    byte[] h = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + h.length + 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).putLong(0);
    Files.write(f, b.array());
    assertThatThrownBy(() -> Safetensors.checkHeader(f)).isInstanceOf(ModelException.class)
        .hasMessageContaining(f.toString()).hasMessageContaining("spans 8");
    assertThat(f).exists();
  }
}
