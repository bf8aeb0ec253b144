package dev.tokendyn.model;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads Hugging Face safetensors files (an 8-byte little-endian header length N, N bytes of JSON that
 * give each tensor's dtype, shape and byte range, then the raw data) with DJL's own decoder,
 * {@code NDList.decode}. The header is checked first against the file's size, so that a truncated or
 * corrupt file is reported with its path and what is wrong, before any tensor is decoded. Floating-point
 * tensors (F32, F16, BF16, F64) come back as float32; integer buffers are skipped. A sharded checkpoint
 * ({@code model.safetensors.index.json} and its shards) reads through {@link #readSharded}.
 */
public final class Safetensors {
  private Safetensors() {}

  /**
   * All floating-point tensors of a sharded checkpoint: the index ({@code model.safetensors.index.json},
   * whose {@code weight_map} names the shard of each tensor) and the shards beside it.
   *
   * @throws ModelException naming the file when the index is malformed, a shard is missing or corrupt, or a
   *     tensor the index lists is not in its shard
   */
  public static Map<String, Tensor> readSharded(Path index) throws ModelException {
    JsonNode map;
    try {
      map = Json.readTree(index).path("weight_map");
    } catch (IOException e) {
      throw new ModelException(index + ": not readable JSON: " + e.getMessage(), e);
    }
    if (!map.isObject() || map.isEmpty()) {
      throw new ModelException(index + ": no \"weight_map\" object naming the shard of each tensor");
    }
    Map<String, java.util.List<String>> byShard = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String shard = e.getValue().asText("");
      if (shard.isEmpty() || shard.contains("/") || shard.contains("\\")) {
        throw new ModelException(index + ": tensor " + e.getKey() + " names the shard '" + shard
            + "'; shards are files beside the index");
      }
      byShard.computeIfAbsent(shard, k -> new java.util.ArrayList<>()).add(e.getKey());
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, java.util.List<String>> e : byShard.entrySet()) {
      Path shard = index.resolveSibling(e.getKey());
      if (!Files.isRegularFile(shard)) {
        throw new ModelException(shard + ": no such file; " + index.getFileName() + " lists it as a shard");
      }
      Map<String, Tensor> tensors = read(shard);
      for (String name : e.getValue()) {
        if (!tensors.containsKey(name) && !isIntegerTensor(shard, name)) {
          throw new ModelException(shard + ": holds no tensor " + name + ", which " + index.getFileName()
              + " places there; the download is incomplete");
        }
      }
      out.putAll(tensors);
    }
    return out;
  }

  /** Whether the header of a shard declares {@code name} with an integer dtype (skipped on reading). */
  private static boolean isIntegerTensor(Path shard, String name) throws ModelException {
    try (InputStream in = Files.newInputStream(shard)) {
      byte[] len = in.readNBytes(8);
      long n = java.nio.ByteBuffer.wrap(len).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
      JsonNode header = Json.mapper().readTree(new String(in.readNBytes((int) n), java.nio.charset.StandardCharsets.UTF_8));
      String dtype = header.path(name).path("dtype").asText("");
      return dtype.startsWith("I") || dtype.startsWith("U") || dtype.equals("BOOL");
    } catch (IOException e) {
      throw new ModelException(shard + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * All floating-point tensors of a file, by name.
   *
   * @throws ModelException naming the file when it is missing, truncated or malformed
   */
  public static Map<String, Tensor> read(Path path) throws ModelException {
    if (!Files.isRegularFile(path)) {
      throw new ModelException(path + ": no such file");
    }
    checkHeader(path);
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path), 1 << 20);
        NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      NDList list = NDList.decode(m, in);
      for (NDArray a : list) {
        DataType t = a.getDataType();
        if (t != DataType.FLOAT32 && t != DataType.FLOAT16 && t != DataType.BFLOAT16 && t != DataType.FLOAT64) {
          continue;
        }
        NDArray f = t == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        out.put(a.getName(), new Tensor(a.getName(), a.getShape().getShape(), f.toFloatArray()));
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof EngineException) {
        throw new ModelException(path + ": cannot start the engine to decode it: " + e.getMessage(), e);
      }
      throw new ModelException(path + ": not a readable safetensors file (" + e.getMessage() + "); it is corrupt", e);
    }
    return out;
  }

  /** Bytes per value of a safetensors dtype, or -1 for a name the format does not define. */
  private static int itemSize(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
      default -> -1;
    };
  }

  /**
   * Validates the header before any byte reaches the native decoder: its length, its JSON, and that every
   * tensor's bytes lie inside the file and are exactly what its dtype and shape need.
   */
  static void checkHeader(Path path) throws ModelException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      long headerLen = size < 8 ? -1 : ch.read(len, 0) == 8 ? len.getLong(0) : -1;
      checkLength(path.toString(), size, headerLen);
      ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
      while (hb.hasRemaining() && ch.read(hb, 8 + hb.position()) > 0) {
        // read the whole header
      }
      checkHeader(path.toString(), size, hb.array());
    } catch (IOException e) {
      throw new ModelException(path + ": cannot read: " + e.getMessage(), e);
    }
  }

  /** {@link #checkHeader(Path)} of a whole file held in memory. */
  static void checkHeader(byte[] file, String name) throws ModelException {
    long headerLen = file.length < 8 ? -1
        : ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    checkLength(name, file.length, headerLen);
    checkHeader(name, file.length, java.util.Arrays.copyOfRange(file, 8, 8 + (int) headerLen));
  }

  private static void checkLength(String name, long size, long headerLen) throws ModelException {
    if (size < 8) {
      throw new ModelException(name + ": truncated safetensors file (" + size + " bytes)");
    }
    if (headerLen <= 1 || headerLen > size - 8 || headerLen > (100L << 20)) {
      throw new ModelException(name + ": bad safetensors header length " + headerLen + " for a file of " + size
          + " bytes; the file is truncated or not safetensors");
    }
  }

  /** The header's JSON against the file's size. */
  private static void checkHeader(String path, long size, byte[] headerBytes) throws ModelException {
    long headerLen = headerBytes.length;
    JsonNode header;
    try {
      header = Json.mapper().readTree(new String(headerBytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ModelException(path + ": the safetensors header is not valid JSON; the file is corrupt", e);
    }
    if (header == null || !header.isObject()) {
      throw new ModelException(path + ": the safetensors header is not a JSON object; the file is corrupt");
    }
    long dataLen = size - 8 - headerLen;
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("__metadata__")) {
        continue;
      }
      JsonNode offsets = e.getValue().path("data_offsets");
      if (!e.getValue().path("shape").isArray() || !offsets.isArray() || offsets.size() != 2) {
        throw new ModelException(path + ": tensor " + e.getKey() + " lacks a shape or data_offsets; the file is corrupt");
      }
      if (!offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()) {
        throw new ModelException(path + ": tensor " + e.getKey() + " has data_offsets that are not integers; the"
            + " file is corrupt");
      }
      long begin = offsets.get(0).asLong();
      long end = offsets.get(1).asLong();
      if (begin < 0 || end < begin || end > dataLen) {
        throw new ModelException(path + ": tensor " + e.getKey() + " spans bytes [" + begin + ", " + end
            + ") but the data holds " + dataLen + "; the file is truncated");
      }
      // the native decoder trusts shape and dtype: their product must be exactly the bytes given
      int item = itemSize(e.getValue().path("dtype").asText(""));
      if (item < 0) {
        throw new ModelException(path + ": tensor " + e.getKey() + " has an unknown dtype '"
            + e.getValue().path("dtype").asText("") + "'; the file is corrupt or from a newer format");
      }
      long bytes = item;
      for (JsonNode dim : e.getValue().path("shape")) {
        if (!dim.canConvertToLong() || dim.asLong() < 0) {
          throw new ModelException(path + ": tensor " + e.getKey() + " has a bad shape " + e.getValue().path("shape")
              + "; the file is corrupt");
        }
        bytes = dim.asLong() == 0 ? 0 : bytes > (end - begin) / dim.asLong() + 1 ? Long.MAX_VALUE : bytes * dim.asLong();
      }
      if (bytes != end - begin) {
        throw new ModelException(path + ": tensor " + e.getKey() + " of shape " + e.getValue().path("shape") + " and"
            + " dtype " + e.getValue().path("dtype").asText() + " needs " + (bytes == Long.MAX_VALUE ? "more" : bytes)
            + " bytes but spans " + (end - begin) + "; the file is corrupt");
      }
    }
  }
}
