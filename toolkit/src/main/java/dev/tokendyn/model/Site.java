package dev.tokendyn.model;

/**
 * The kinds of activation that tokendyn can record inside a block, by their TransformerLens hook names
 * ({@code blocks.L.<hook>}). Shapes are per text of n tokens, with d the width, H the heads and
 * d_h = d / H.
 *
 * <p>BERT, RoBERTa and DistilBERT are post-LayerNorm; with h the block's input,
 * <pre>
 *   attn_out  = Attn(h) W_o + b_o                  the attention sublayer, before the residual add and LN_1
 *   resid_mid = LN_1(h + attn_out)                  what the MLP reads (and adds back to)
 *   mlp_out   = GELU(resid_mid W_i + b_i) W_2 + b_2  the MLP sublayer, before the residual add and LN_2
 *   resid_post = LN_2(resid_mid + mlp_out)          the block's output, hidden state L + 1
 * </pre>
 * GPT-2 is pre-LayerNorm, as TransformerLens's own definitions: {@code attn_out = Attn(LN_1(h)) W_proj + b_proj},
 * {@code resid_mid = h + attn_out}, {@code mlp_out = MLP(LN_2(resid_mid))}, {@code resid_post = resid_mid +
 * mlp_out}; the last block's {@code resid_post} is the residual stream before the final LayerNorm, and
 * {@code ln_final.hook_normalized} is LN_f of it (Hugging Face's last hidden state).
 */
public enum Site {
  /** The block's input h, [n, d]. */
  RESID_PRE("hook_resid_pre"),
  /** Queries x W_q + b_q per head, [n, H, d_h], not scaled by 1/sqrt(d_h). */
  Q("attn.hook_q"),
  /** Keys, [n, H, d_h]. */
  K("attn.hook_k"),
  /** Values, [n, H, d_h]. */
  V("attn.hook_v"),
  /**
   * q . k / sqrt(d_h) per head, [H, n, n], after the mask: entries a token may not attend to (for GPT-2,
   * later tokens) hold the lowest float, -3.4e38.
   */
  ATTN_SCORES("attn.hook_attn_scores"),
  /** The attention probabilities softmax(scores) per head, [H, n, n]; each row sums to one. */
  PATTERN("attn.hook_pattern"),
  /** The attention sublayer's output before the residual add (and, post-LN, before LN_1), [n, d]. */
  ATTN_OUT("hook_attn_out"),
  /** The residual stream between the attention and the MLP sublayers, [n, d]. */
  RESID_MID("hook_resid_mid"),
  /** The MLP sublayer's output before the residual add (and, post-LN, before LN_2), [n, d]. */
  MLP_OUT("hook_mlp_out"),
  /** The block's output, [n, d] (for GPT-2's last block, before the final LayerNorm). */
  RESID_POST("hook_resid_post"),
  /** GPT-2 only, not per block: the final LayerNorm's output, [n, d]; named {@code ln_final.hook_normalized}. */
  LN_FINAL("ln_final.hook_normalized");

  private final String hook;

  Site(String hook) {
    this.hook = hook;
  }

  /** The hook's name within a block ({@code attn.hook_q}), or the full name for {@link #LN_FINAL}. */
  public String hook() {
    return hook;
  }

  /** Whether the activation is per block ({@code blocks.L.<hook>}); only {@link #LN_FINAL} is not. */
  public boolean perBlock() {
    return this != LN_FINAL;
  }

  /** Whether the activation is per head over pairs of tokens, [H, n, n]. */
  public boolean perPair() {
    return this == ATTN_SCORES || this == PATTERN;
  }

  /** Whether the activation is per head over tokens, [n, H, d_h]. */
  public boolean perHead() {
    return this == Q || this == K || this == V;
  }

  /** The full name of this site in block {@code block}. */
  public String name(int block) {
    return perBlock() ? "blocks." + block + "." + hook : hook;
  }
}
