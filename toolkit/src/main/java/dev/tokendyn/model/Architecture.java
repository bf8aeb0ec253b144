package dev.tokendyn.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The transformer families that tokendyn runs, by the {@code model_type} of a Hugging Face
 * {@code config.json}.
 */
public enum Architecture {
  /** BERT: post-LayerNorm encoder, learned absolute positions, token types, exact (erf) GELU. */
  BERT("bert"),
  /** RoBERTa: BERT with positions counted from padding_idx + 1 and a single token type. */
  ROBERTA("roberta"),
  /**
   * DistilBERT: BERT's post-LayerNorm blocks under other names and config keys, with no token types
   * and LayerNorm epsilon fixed at 1e-12.
   */
  DISTILBERT("distilbert"),
  /** GPT-2: pre-LayerNorm decoder with a causal mask, learned positions, tanh GELU and a final LayerNorm. */
  GPT2("gpt2");

  private final String modelType;

  Architecture(String modelType) {
    this.modelType = modelType;
  }

  /** The {@code model_type} string of config.json. */
  public String modelType() {
    return modelType;
  }

  /** Whether a token attends only to itself and earlier tokens. */
  public boolean causal() {
    return this == GPT2;
  }

  /** The supported model types, comma-separated, for error messages. */
  public static String supported() {
    return Arrays.stream(values()).map(Architecture::modelType).collect(Collectors.joining(", "));
  }

  /**
   * The architecture of a {@code model_type}.
   *
   * @throws IllegalArgumentException naming the supported types when this one is not among them
   */
  public static Architecture ofModelType(String modelType) {
    String t = modelType == null ? "" : modelType.toLowerCase(Locale.ROOT);
    for (Architecture a : values()) {
      if (a.modelType.equals(t)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unsupported architecture (model_type) '" + modelType
        + "'; tokendyn supports: " + supported());
  }
}
