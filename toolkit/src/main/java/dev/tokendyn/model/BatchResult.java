package dev.tokendyn.model;

/**
 * What one forward pass returns, already copied out of native memory.
 *
 * @param hidden for each hidden-state index 0..L, the padded states [B*T*d] row-major, or null where not kept
 * @param attentions for each block 0..L-1, the probabilities [B*H*T*T], or null where not kept
 */
record BatchResult(float[][] hidden, float[][] attentions) {}
