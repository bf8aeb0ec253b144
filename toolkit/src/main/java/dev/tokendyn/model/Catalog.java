package dev.tokendyn.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The pretrained models that load without internet: the {@code tokendyn-models} module's
 * {@code catalog.json}, whose ONNX files and tokenizers Maven puts on the class path.
 */
public final class Catalog {
  static final String RESOURCE = "dev/tokendyn/models/catalog.json";

  private Catalog() {}

  /**
   * One catalog entry.
   *
   * @param name the name to give {@code --model}
   * @param description what the model is
   * @param architecture its family
   * @param layers blocks L
   * @param hidden width d
   * @param heads attention heads
   * @param coordinates the Maven Central coordinates of the jar that carries the weights
   * @param onnxResource class-path resource of the ONNX file
   * @param tokenizerResource class-path resource of tokenizer.json
   */
  public record Entry(String name, String description, Architecture architecture, int layers, int hidden,
      int heads, String coordinates, String onnxResource, String tokenizerResource) {}

  /** All entries, in catalog order. */
  public static List<Entry> entries() {
    try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the class path; build with Maven so that the"
            + " tokendyn-models module is a dependency");
      }
      JsonNode root = Json.mapper().readTree(in);
      List<Entry> out = new ArrayList<>();
      for (JsonNode m : root.path("models")) {
        out.add(new Entry(m.path("name").asText(), m.path("description").asText(),
            Architecture.ofModelType(m.path("architecture").asText()), m.path("layers").asInt(),
            m.path("hidden").asInt(), m.path("heads").asInt(), m.path("coordinates").asText(),
            m.path("onnx").asText(), m.path("tokenizer").asText()));
      }
      return List.copyOf(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** The entry of a name, if the catalog has it. */
  public static Optional<Entry> find(String name) {
    return entries().stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The catalog's names, comma-separated, for messages. */
  public static String names() {
    return entries().stream().map(Entry::name).collect(Collectors.joining(", "));
  }
}
