package dev.tokendyn.model;

/**
 * What was loaded: the model's name, where its weights came from, and its shape.
 *
 * @param name the catalog name, or the directory's name
 * @param source Maven coordinates of a catalog model, or the directory's path
 * @param config the transformer's shape
 */
public record ModelInfo(String name, String source, TransformerConfig config) {
  public ModelInfo {
    java.util.Objects.requireNonNull(name, "name");
    java.util.Objects.requireNonNull(source, "source");
    java.util.Objects.requireNonNull(config, "config");
  }

  /** The number of hidden states, L + 1. */
  public int hiddenStates() {
    return config.layers() + 1;
  }
}
