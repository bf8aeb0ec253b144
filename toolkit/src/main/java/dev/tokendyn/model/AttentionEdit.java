package dev.tokendyn.model;

/**
 * Replaces the output of one block's attention sublayer ({@link Site#ATTN_OUT}) while the model runs: the
 * hook of an intervention. The model then continues from the replaced output exactly as it would from its
 * own (for BERT, LN_1(h + out) and the MLP; for GPT-2, h + out and the MLP).
 */
@FunctionalInterface
public interface AttentionEdit {
  /**
   * The replacement for one text.
   *
   * @param text the text's index in the extraction's input list
   * @param input the block's input h, the residual stream (n x d, row-major); not to be modified
   * @param attentionOut the model's own attention output (n x d); may be modified and returned
   * @param n the text's tokens
   * @param d the width
   * @return the n x d output to use in its place
   */
  float[] replace(int text, float[] input, float[] attentionOut, int n, int d);
}
