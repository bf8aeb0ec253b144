package dev.tokendyn.model;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of running a model over several texts: one {@link TextExtraction} per text, in input order.
 *
 * @param model what was run
 * @param texts one result per input text
 */
public record Extraction(ModelInfo model, List<TextExtraction> texts) {
  public Extraction {
    java.util.Objects.requireNonNull(model, "model");
    texts = List.copyOf(texts);
  }

  /** The hidden states of text {@code i} as a sequence over layers (see {@link TextExtraction#toSequence()}). */
  public CloudSequence toSequence(int i) {
    return text(i).toSequence();
  }

  /** Every text's sequence over layers, in input order: what {@code LayerAnalysis.of} measures together. */
  public List<CloudSequence> sequences() {
    return texts.stream().map(TextExtraction::toSequence).toList();
  }

  /** Text {@code i}'s result. */
  public TextExtraction text(int i) {
    if (i < 0 || i >= texts.size()) {
      throw new IllegalArgumentException("text index must lie in [0, " + texts.size() + "), found " + i);
    }
    return texts.get(i);
  }

  /**
   * All texts pooled per layer: entry l is one cloud holding the tokens of every text (text 0's tokens,
   * then text 1's, ...), each labelled with its token. The same token stays at the same row in every
   * layer, so transitions between layers compare like with like.
   */
  public CloudSequence pooledSequence() {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("nothing was extracted: the extraction holds no texts");
    }
    TextExtraction first = texts.get(0);
    int d = first.width();
    int n = texts.stream().mapToInt(TextExtraction::size).sum();
    List<CloudSequence.Entry> entries = new ArrayList<>();
    for (TextExtraction.HiddenState h : first.hiddenStates()) {
      double[] p = new double[n * d];
      List<String> tokens = new ArrayList<>(n);
      int row = 0;
      for (TextExtraction t : texts) {
        float[] v = t.state(h.layer()).values();
        for (int i = 0; i < v.length; i++) {
          p[row * d + i] = v[i];
        }
        row += t.size();
        tokens.addAll(t.tokens());
      }
      entries.add(new CloudSequence.Entry(h.site(), h.layer(), new TokenCloud(n, d, p, null, tokens)));
    }
    return new CloudSequence(CloudSequence.Axis.LAYER, entries);
  }
}
