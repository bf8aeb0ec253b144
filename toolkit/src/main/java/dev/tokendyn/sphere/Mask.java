package dev.tokendyn.sphere;

/**
 * Which tokens a token attends to. With {@link #CAUSAL} token i sees only tokens j &lt;= i, as in a
 * decoder (Karagodin, Polyanskiy, Rigollet, "Clustering in causal attention masking", NeurIPS 2024):
 * the first token then feels only itself, and with V = I it never moves.
 */
public enum Mask {
  /** Every token attends to every token. */
  NONE,
  /**
   * Token i attends to tokens 1..i: SA normalises its softmax over j &lt;= i, USA keeps the factor 1/n of
   * the unmasked sum and drops the terms j &gt; i.
   */
  CAUSAL
}
