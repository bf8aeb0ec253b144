package dev.tokendyn.model;

/**
 * The shape of a transformer: what the forward pass needs besides the weights.
 *
 * @param architecture the family
 * @param layers number of blocks L; the model has L + 1 hidden states
 * @param hidden width d of the residual stream
 * @param heads attention heads; d must be a multiple of heads
 * @param intermediate width of the feed-forward layer
 * @param maxPositions the longest input, in tokens, that the position table covers
 * @param vocabSize rows of the token embedding
 * @param layerNormEps the epsilon inside every LayerNorm
 * @param positionOffset the position id of the first token (0; RoBERTa: padding_idx + 1)
 */
public record TransformerConfig(
    Architecture architecture,
    int layers,
    int hidden,
    int heads,
    int intermediate,
    int maxPositions,
    int vocabSize,
    double layerNormEps,
    int positionOffset) {

  public TransformerConfig {
    java.util.Objects.requireNonNull(architecture, "architecture");
    positive("layers", layers);
    positive("hidden", hidden);
    positive("heads", heads);
    positive("intermediate", intermediate);
    positive("maxPositions", maxPositions);
    positive("vocabSize", vocabSize);
    if (hidden % heads != 0) {
      throw new IllegalArgumentException("hidden width " + hidden + " is not a multiple of the " + heads + " heads");
    }
    if (!(layerNormEps > 0) || !Double.isFinite(layerNormEps)) {
      throw new IllegalArgumentException("layerNormEps must be finite and > 0, found " + layerNormEps);
    }
    if (positionOffset < 0 || positionOffset >= maxPositions) {
      throw new IllegalArgumentException(
          "positionOffset must lie in [0, " + maxPositions + "), found " + positionOffset);
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, found " + v);
    }
  }

  /** Width of one head. */
  public int headDim() {
    return hidden / heads;
  }

  /** The longest text, in tokens including special tokens, that fits the position table. */
  public int maxTokens() {
    return maxPositions - positionOffset;
  }
}
