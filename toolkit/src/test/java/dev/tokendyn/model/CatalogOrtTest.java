package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The last hidden state of every catalog model against ONNX Runtime running the same ONNX file, on a
 * padded batch of texts of different lengths.
 */
@Tag("model")
class CatalogOrtTest {
  static final List<String> TEXTS = List.of(
      "The cat sat on the mat.",
      "Transformers move token representations layer by layer, and the tokens cluster as depth grows.",
      "Hello world",
      "Optimal transport measures how far one cloud of points must move to become another.",
      "A short one.",
      "Interacting particle systems on the sphere converge to a single cluster for most initial conditions.");

  static Stream<String> models() {
    return Catalog.entries().stream().map(Catalog.Entry::name);
  }

  @ParameterizedTest
  @MethodSource("models")
  void lastLayerMatchesOnnxRuntime(String name) throws Exception {
    try (Extractor ex = Extractor.open(name);
        OrtReference ort = new OrtReference(Catalog.find(name).orElseThrow())) {
      int last = ex.info().config().layers();
      int d = ex.info().config().hidden();
      // batches of 4: the first batch is padded to its longest text, the second holds the rest
      Extraction r = ex.extract(TEXTS, ExtractOptions.defaults().withLayers(List.of(last)).withBatchSize(4));
      List<long[]> ids = new ArrayList<>();
      for (TextExtraction t : r.texts()) {
        ids.add(t.tokenIds());
      }
      float[][] ref = ort.lastHiddenState(ids, d);
      double worst = 0;
      for (int i = 0; i < TEXTS.size(); i++) {
        TextExtraction t = r.text(i);
        float[] ours = t.state(last).values();
        for (int k = 0; k < ours.length; k++) {
          worst = Math.max(worst, Math.abs(ours[k] - ref[i][k]));
        }
      }
      System.out.printf("%s: last layer vs ONNX Runtime, max abs diff %.3g%n", name, worst);
      assertThat(worst).isLessThanOrEqualTo(1e-4);
    }
  }
}
