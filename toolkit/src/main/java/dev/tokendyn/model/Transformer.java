package dev.tokendyn.model;

import ai.djl.ndarray.NDManager;

/**
 * A transformer's forward pass over a padded batch. Implementations hold their weights as NDArrays of a
 * long-lived manager and run each batch inside a scope that the caller opens and closes.
 */
sealed interface Transformer extends AutoCloseable permits BertEncoder, Gpt2Decoder {

  TransformerConfig config();

  /**
   * Runs the batch and hands the kept hidden states and attention probabilities to {@code sink}.
   *
   * @param scope manager for this batch's intermediate arrays; closed by the caller
   * @param batch padded token ids
   * @param keepHidden which of the L + 1 hidden states to return; blocks after the last kept one are skipped
   * @param keepAttention which of the L blocks' attention probabilities to return
   * @param sink receives them while they are in native memory
   */
  void forward(NDManager scope, Batch batch, boolean[] keepHidden, boolean[] keepAttention, StateSink sink);

  /** Frees the weights. */
  @Override
  void close();
}
