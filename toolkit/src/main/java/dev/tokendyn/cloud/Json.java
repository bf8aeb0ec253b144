package dev.tokendyn.cloud;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The project's one JSON configuration: snake_case keys, doubles written in full (shortest
 * round-trip form), records and maps serialised as they are, and atomic writes.
 *
 * <p>Every file that tokendyn writes carries {@code "schema": "tokendyn.<kind>/1"}.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private Json() {}

  /** The shared, thread-safe mapper. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** The version of each kind of file that is not at version 1. */
  private static final java.util.Map<String, Integer> VERSIONS = java.util.Map.of("report", 2);

  /** The schema tag of a kind of file, such as {@code tokendyn.simulation/1}. */
  public static String schema(String kind) {
    return "tokendyn." + kind + "/" + VERSIONS.getOrDefault(kind, 1);
  }

  /**
   * Reads a JSON file as a tree.
   *
   * @throws IOException naming the path when it is missing or is not JSON
   */
  public static JsonNode readTree(Path path) throws IOException {
    try {
      return MAPPER.readTree(path.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(path + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (java.io.FileNotFoundException | NoSuchFileException e) {
      throw new IOException(path + ": no such file", e);
    }
  }

  /** Writes a value as JSON to {@code path}, atomically. */
  public static void write(Path path, Object value) throws IOException {
    AtomicFiles.write(path, out -> MAPPER.writeValue(new NonClosing(out), value));
  }

  /** The value as an indented JSON string. */
  public static String toString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** Keeps Jackson from closing the stream that AtomicFiles owns. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(java.io.OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
