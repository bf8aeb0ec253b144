package dev.tokendyn.analysis;

/**
 * The coordinates in which {@link DynamicsFit} sees a model's hidden states. Both end on the unit sphere
 * (each token divided by its norm); they differ in what is divided.
 */
public enum Coordinates {
  /** The hidden state itself, h / |h|. */
  SPHERE,
  /**
   * For post-LayerNorm models (BERT, RoBERTa, DistilBERT: the three catalog models), the last LayerNorm's
   * affine map undone first, u = (h - bias) / gain: the normalised vector, which has mean 0 and norm
   * sqrt(d) (up to LayerNorm's epsilon), a point of the sphere of radius sqrt(d) as in the theory. GPT-2's
   * hidden states are not normalised and have no such map.
   */
  UNNORMALISED
}
