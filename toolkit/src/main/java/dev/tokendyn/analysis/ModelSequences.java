package dev.tokendyn.analysis;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.model.ExtractOptions;
import dev.tokendyn.model.Extraction;
import dev.tokendyn.model.Extractor;
import dev.tokendyn.model.ModelException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's hidden states for some texts, one cloud sequence per text (layer 0 = the embeddings),
 * ready for {@link CorpusAnalysis} and {@link DynamicsFit}.
 *
 * <pre>{@code
 * ModelSequences m = ModelSequences.extract("all-minilm-l6-v2", List.of("The cat sat on the mat."), false);
 * CorpusAnalysis.Result a = CorpusAnalysis.of(m.name(), m.textSequences(), CorpusParams.defaults());
 * }</pre>
 *
 * @param name the model's name
 * @param info where the weights came from and the model's shape, for reports
 * @param textSequences one sequence per text, with its token ids and special-token mask
 */
public record ModelSequences(String name, Map<String, Object> info, List<TextSequence> textSequences) {
  public ModelSequences {
    info = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(info));
    textSequences = List.copyOf(textSequences);
  }

  /** The texts' sequences over layers. */
  public List<CloudSequence> texts() {
    return textSequences.stream().map(TextSequence::layers).toList();
  }

  /** The model's facts for a report: where the weights came from and its shape. */
  public static Map<String, Object> info(Extractor ex) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("source", ex.info().source());
    info.put("architecture", ex.info().config().architecture().name().toLowerCase(java.util.Locale.ROOT));
    info.put("layers", ex.info().config().layers());
    info.put("hidden", ex.info().config().hidden());
    info.put("heads", ex.info().config().heads());
    return info;
  }

  /**
   * Runs the model over the texts.
   *
   * @param model a catalog name or a Hugging Face model folder
   * @param truncate cut texts longer than the model's positions instead of failing
   * @throws IllegalArgumentException on an unknown model, an empty text or a text too long
   * @throws ModelException when the weights cannot be read or the engine fails
   */
  public static ModelSequences extract(String model, List<String> texts, boolean truncate) throws ModelException {
    try (Extractor ex = Extractor.open(model)) {
      Extraction r = ex.extract(texts, ExtractOptions.defaults().withTruncate(truncate));
      return new ModelSequences(ex.info().name(), info(ex),
          r.texts().stream().map(dev.tokendyn.model.TextExtraction::toTextSequence).toList());
    }
  }
}
