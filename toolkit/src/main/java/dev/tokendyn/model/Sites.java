package dev.tokendyn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Names of the activation sites that tokendyn extracts, as TransformerLens names its hooks.
 *
 * <p>Hidden state 0 (the embedding output, after BERT's embedding LayerNorm) is the residual stream
 * entering block 0, {@code blocks.0.hook_resid_pre}; hidden state l &gt;= 1 is the output of block l-1,
 * {@code blocks.(l-1).hook_resid_post}. For GPT-2 the last hidden state has the final LayerNorm applied
 * (as in Hugging Face's output_hidden_states), which TransformerLens calls
 * {@code ln_final.hook_normalized}. The attention probabilities of block l are
 * {@code blocks.l.attn.hook_pattern}.
 */
public final class Sites {
  private Sites() {}

  /** The site of hidden state {@code layer} (0..L) of a model with L blocks. */
  public static String hidden(Architecture arch, int layer, int layers) {
    if (layer < 0 || layer > layers) {
      throw new IllegalArgumentException("layer must lie in [0, " + layers + "], found " + layer);
    }
    if (layer == 0) {
      return "blocks.0.hook_resid_pre";
    }
    if (layer == layers && arch == Architecture.GPT2) {
      return "ln_final.hook_normalized";
    }
    return "blocks." + (layer - 1) + ".hook_resid_post";
  }

  /** The site of block {@code block}'s attention probabilities. */
  public static String pattern(int block) {
    if (block < 0) {
      throw new IllegalArgumentException("block must be >= 0, found " + block);
    }
    return "blocks." + block + ".attn.hook_pattern";
  }

  /** The sites of all L + 1 hidden states, in order. */
  public static List<String> hiddenStates(Architecture arch, int layers) {
    List<String> out = new ArrayList<>();
    for (int l = 0; l <= layers; l++) {
      out.add(hidden(arch, l, layers));
    }
    return List.copyOf(out);
  }
}
