package dev.tokendyn.model;

import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes float32 tensors in the safetensors format, for tests that build their own checkpoints. */
final class SafetensorsWriter {
  private SafetensorsWriter() {}

  static void write(Path path, List<Tensor> tensors) throws IOException {
    write(path, tensors, false);
  }

  /** The tensors as F64 when {@code float64}, each float widened exactly; else as F32. */
  static void write(Path path, List<Tensor> tensors, boolean float64) throws IOException {
    int size = float64 ? 8 : 4;
    Map<String, Object> header = new LinkedHashMap<>();
    long offset = 0;
    for (Tensor t : tensors) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("dtype", float64 ? "F64" : "F32");
      e.put("shape", t.shape());
      e.put("data_offsets", new long[] {offset, offset + (long) size * t.data().length});
      header.put(t.name(), e);
      offset += (long) size * t.data().length;
    }
    byte[] h = Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
    try (OutputStream out = Files.newOutputStream(path)) {
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
      out.write(len.array());
      out.write(h);
      for (Tensor t : tensors) {
        ByteBuffer b = ByteBuffer.allocate(size * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
        if (float64) {
          for (float v : t.data()) {
            b.putDouble(v);
          }
        } else {
          b.asFloatBuffer().put(t.data());
        }
        out.write(b.array());
      }
    }
  }
}
