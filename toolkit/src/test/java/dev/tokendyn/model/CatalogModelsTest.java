package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.Npy;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every catalog model against two independent references: ONNX Runtime running the same ONNX file
 * (last layer, padded batch), and the committed output of {@code reference/make_onnx_reference.py},
 * which interprets the ONNX graph node by node in float64 with PyTorch (every layer).
 */
@Tag("model")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogModelsTest {
  static final List<String> TEXTS = List.of(
      "The cat sat on the mat.",
      "Transformers move token representations layer by layer, and the tokens cluster as depth grows.",
      "Hello world",
      "Optimal transport measures how far one cloud of points must move to become another.",
      "A short one.",
      "Interacting particle systems on the sphere converge to a single cluster for most initial conditions.");

  private final Map<String, Extractor> open = new HashMap<>();

  Extractor extractor(String name) throws ModelException {
    Extractor ex = open.get(name);
    if (ex == null) {
      ex = Extractor.open(name);
      open.put(name, ex);
    }
    return ex;
  }

  @AfterAll
  void closeAll() {
    open.values().forEach(Extractor::close);
  }

  static Stream<String> models() {
    return Catalog.entries().stream().map(Catalog.Entry::name);
  }

  @ParameterizedTest
  @MethodSource("models")
  void lastLayerMatchesOnnxRuntimeOnAPaddedBatch(String name) throws Exception {
    Extractor ex = extractor(name);
    try (OrtReference ort = new OrtReference(Catalog.find(name).orElseThrow())) {
      int last = ex.info().config().layers();
      int d = ex.info().config().hidden();
      // batches of 4: the first is padded to its longest text, the second holds the other two
      Extraction r = ex.extract(TEXTS, ExtractOptions.defaults().withLayers(List.of(last)).withBatchSize(4));
      List<long[]> ids = new ArrayList<>();
      for (TextExtraction t : r.texts()) {
        ids.add(t.tokenIds());
      }
      float[][] ref = ort.lastHiddenState(ids, d);
      double worst = 0;
      for (int i = 0; i < TEXTS.size(); i++) {
        float[] ours = r.text(i).state(last).values();
        for (int k = 0; k < ours.length; k++) {
          worst = Math.max(worst, Math.abs(ours[k] - ref[i][k]));
        }
      }
      System.out.printf("%s: last layer vs ONNX Runtime on %d texts, max abs diff %.3g%n", name, TEXTS.size(), worst);
      assertThat(worst).isLessThanOrEqualTo(1e-4);
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void everyLayerMatchesTheGraphInterpretedByAnIndependentScript(String name, @TempDir Path tmp) throws Exception {
    JsonNode meta;
    Npy.Array ref;
    String base = "reference/" + name;
    try (InputStream in = getClass().getResourceAsStream(base + ".json")) {
      meta = Json.mapper().readTree(in);
    }
    try (InputStream in = getClass().getResourceAsStream(base + ".npy")) {
      Path f = tmp.resolve("ref.npy");
      Files.copy(in, f);
      ref = Npy.read(f);
    }
    Extractor ex = extractor(name);
    int layers = ex.info().config().layers();
    assertThat(meta.path("layers").asInt()).isEqualTo(layers);
    List<String> texts = new ArrayList<>();
    meta.path("texts").forEach(t -> texts.add(t.asText()));
    int[] dims = Json.mapper().convertValue(meta.path("dims"), int[].class);
    int cols = 2 + dims.length;
    // one padded batch of all texts
    Extraction r = ex.extract(texts, ExtractOptions.defaults());
    int row = 0;
    double worstDim = 0;
    double worstNorm = 0;
    double worstSum = 0;
    int d = ex.info().config().hidden();
    for (int i = 0; i < texts.size(); i++) {
      TextExtraction t = r.text(i);
      long[] expectIds = Json.mapper().convertValue(meta.path("token_ids").get(i), long[].class);
      assertThat(t.tokenIds()).as("token ids of text %d (the script's own WordPiece)", i).isEqualTo(expectIds);
      for (int tok = 0; tok < t.size(); tok++, row++) {
        for (int l = 0; l <= layers; l++) {
          float[] v = t.state(l).values();
          double norm = 0;
          double sum = 0;
          for (int k = 0; k < d; k++) {
            norm += (double) v[tok * d + k] * v[tok * d + k];
            sum += v[tok * d + k];
          }
          int at = (row * (layers + 1) + l) * cols;
          worstNorm = Math.max(worstNorm, Math.abs(Math.sqrt(norm) - ref.data()[at]));
          worstSum = Math.max(worstSum, Math.abs(sum - ref.data()[at + 1]));
          for (int j = 0; j < dims.length; j++) {
            worstDim = Math.max(worstDim, Math.abs(v[tok * d + dims[j]] - ref.data()[at + 2 + j]));
          }
        }
      }
    }
    assertThat(row).isEqualTo(ref.shape()[0]);
    System.out.printf("%s: layers 0..%d vs the interpreted graph: max abs diff %.3g (coordinates), %.3g (norms),"
        + " %.3g (sums)%n", name, layers, worstDim, worstNorm, worstSum);
    assertThat(worstDim).isLessThanOrEqualTo(1e-4);
    assertThat(worstNorm).isLessThanOrEqualTo(1e-4);
    assertThat(worstSum).isLessThanOrEqualTo(1e-3);
  }
}
