package dev.tokendyn.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the Hugging Face safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * that give each tensor's dtype, shape and byte range, then the raw little-endian data. F32 is read as
 * is; F16 and BF16 are widened to float32 exactly.
 */
public final class Safetensors {
  private Safetensors() {}

  /**
   * All floating-point tensors of a file, by name. Integer tensors (buffers) are skipped.
   *
   * @throws ModelException naming the file when it is missing, truncated or malformed
   */
  public static Map<String, Tensor> read(Path path) throws ModelException {
    if (!Files.isRegularFile(path)) {
      throw new ModelException(path + ": no such file");
    }
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) {
        throw new ModelException(path + ": truncated safetensors file (" + size + " bytes)");
      }
      MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      buf.order(ByteOrder.LITTLE_ENDIAN);
      long headerLen = buf.getLong(0);
      if (headerLen <= 1 || headerLen > size - 8 || headerLen > (100L << 20)) {
        throw new ModelException(path + ": bad safetensors header length " + headerLen + " for a file of " + size
            + " bytes; the file is truncated or not safetensors");
      }
      byte[] hb = new byte[(int) headerLen];
      buf.get(8, hb);
      JsonNode header;
      try {
        header = Json.mapper().readTree(new String(hb, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new ModelException(path + ": the safetensors header is not valid JSON; the file is corrupt", e);
      }
      if (header == null || !header.isObject()) {
        throw new ModelException(path + ": the safetensors header is not a JSON object; the file is corrupt");
      }
      long dataStart = 8 + headerLen;
      long dataLen = size - dataStart;
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode t = e.getValue();
        String dtype = t.path("dtype").asText();
        int item = switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default -> -1;
        };
        JsonNode shapeNode = t.path("shape");
        JsonNode offsets = t.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
          throw new ModelException(path + ": tensor " + e.getKey() + " lacks a shape or data_offsets; the file is corrupt");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataLen) {
          throw new ModelException(path + ": tensor " + e.getKey() + " spans bytes [" + begin + ", " + end
              + ") but the data holds " + dataLen + "; the file is truncated");
        }
        if (item < 0) {
          continue;
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = shapeNode.get(i).asLong();
          count *= shape[i];
        }
        if (count * item != end - begin) {
          throw new ModelException(path + ": tensor " + e.getKey() + " of shape " + java.util.Arrays.toString(shape)
              + " needs " + count * item + " bytes, found " + (end - begin) + "; the file is corrupt");
        }
        ByteBuffer slice = buf.slice((int) (dataStart + begin), (int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[(int) count];
        if (item == 4) {
          slice.asFloatBuffer().get(f);
        } else if (dtype.equals("F16")) {
          for (int i = 0; i < f.length; i++) {
            f[i] = halfToFloat(slice.getShort(2 * i));
          }
        } else {
          for (int i = 0; i < f.length; i++) {
            f[i] = Float.intBitsToFloat((slice.getShort(2 * i) & 0xffff) << 16);
          }
        }
        out.put(e.getKey(), new Tensor(e.getKey(), shape, f));
      }
      return out;
    } catch (IOException e) {
      throw new ModelException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** IEEE 754 binary16 to float32, exactly (subnormals, infinities and NaN included). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }
}
