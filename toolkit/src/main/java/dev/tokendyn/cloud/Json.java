package dev.tokendyn.cloud;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
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
 * <p>Every file that tokendyn writes carries {@code "schema": "tokendyn.<kind>/1"}. No document holds NaN
 * or an infinity: a number that is not finite is written as {@code null}, and the writer returns how many
 * were, so that the caller can warn. Reading is strict: a key given twice in one object, or anything after
 * the end of the document, is an error.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
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
   * @throws IOException naming the path when it is missing, empty or not one JSON document
   */
  public static JsonNode readTree(Path path) throws IOException {
    byte[] bytes;
    try {
      bytes = java.nio.file.Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new IOException(path + ": no such file", e);
    }
    return readTree(bytes, path.toString());
  }

  /**
   * Reads a JSON document from bytes (UTF-8, or the encoding its first bytes show).
   *
   * @param name the document's file name, for messages
   * @throws IOException naming it when it is empty or not one JSON document
   */
  public static JsonNode readTree(byte[] json, String name) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      String msg = e.getOriginalMessage();
      if (msg != null && msg.startsWith("Duplicate field")) {
        msg = "a key appears twice in one object (" + msg + "); keep one";
      } else if (msg != null && msg.startsWith("Trailing token")) {
        msg = "there is more after the end of the document; a file holds one JSON value";
      }
      throw new IOException(name + ": not valid JSON" + where + ": " + msg, e);
    }
    if (root == null || root.isMissingNode()) {
      throw new IOException(name + ": empty; expected a JSON document");
    }
    return root;
  }

  /**
   * Writes a value as JSON to {@code path}, atomically.
   *
   * @return how many numbers were not finite and were written as null
   */
  public static int write(Path path, Object value) throws IOException {
    int[] nonFinite = new int[1];
    AtomicFiles.write(path, out -> nonFinite[0] = write(new NonClosing(out), value));
    return nonFinite[0];
  }

  /**
   * Writes a value as JSON to a stream, which stays open.
   *
   * @return how many numbers were not finite and were written as null
   */
  public static int write(java.io.OutputStream out, Object value) throws IOException {
    try (FiniteGenerator g = new FiniteGenerator(MAPPER.getFactory().createGenerator(new NonClosing(out)))) {
      MAPPER.writeValue(g, value);
      return g.nonFinite;
    }
  }

  /** The value as an indented JSON string; numbers that are not finite become null (see {@link #text}). */
  public static String toString(Object value) {
    return text(value).json();
  }

  /** A document as text, and how many of its numbers were not finite and were written as null. */
  public record Text(String json, int nonFinite) {}

  /** The value as an indented JSON document. */
  public static Text text(Object value) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try {
      int n = write(b, value);
      return new Text(b.toString(java.nio.charset.StandardCharsets.UTF_8), n);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  /** The value as one line of JSON (as JSON Lines want it); numbers that are not finite become null. */
  public static Text line(Object value) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (FiniteGenerator g = new FiniteGenerator(MAPPER.getFactory().createGenerator(b))) {
      MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValue(g, value);
      g.flush();
      return new Text(b.toString(java.nio.charset.StandardCharsets.UTF_8), g.nonFinite);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getName(), e);
    }
  }

  /**
   * Writes null in place of NaN and the infinities, which JSON cannot hold, and counts them. Every number
   * passes here, from records and maps as from trees ({@code DoubleNode} writes through the generator).
   */
  private static final class FiniteGenerator extends JsonGeneratorDelegate {
    int nonFinite;

    FiniteGenerator(JsonGenerator g) {
      super(g, false);
    }

    @Override
    public void writeNumber(double v) throws IOException {
      if (Double.isFinite(v)) {
        super.writeNumber(v);
      } else {
        nonFinite++;
        super.writeNull();
      }
    }

    @Override
    public void writeNumber(float v) throws IOException {
      if (Float.isFinite(v)) {
        super.writeNumber(v);
      } else {
        nonFinite++;
        super.writeNull();
      }
    }

    @Override
    public void writeArray(double[] array, int offset, int length) throws IOException {
      writeStartArray(array, length);
      for (int i = offset; i < offset + length; i++) {
        writeNumber(array[i]);
      }
      writeEndArray();
    }

    @Override
    public void writeNumber(String encodedValue) throws IOException {
      if (encodedValue != null && (encodedValue.contains("NaN") || encodedValue.contains("Infinity"))) {
        nonFinite++;
        super.writeNull();
      } else {
        super.writeNumber(encodedValue);
      }
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
