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
  default void forward(NDManager scope, Batch batch, boolean[] keepHidden, boolean[] keepAttention, StateSink sink) {
    forward(scope, batch, Plan.of(keepHidden, keepAttention), sink);
  }

  /**
   * Runs the batch as the plan says: hands over what it keeps (hidden states, attention probabilities,
   * sites), and replaces one block's attention output when it has an edit.
   */
  void forward(NDManager scope, Batch batch, Plan plan, StateSink sink);

  /** The weights of block {@code block}'s attention sublayer, copied into plain Java arrays. */
  AttentionWeights attentionWeights(int block);

  /**
   * The gain and bias of the LayerNorm that produces hidden state {@code state} (0..L) of a post-LN model,
   * {@code [gain, bias]}; null for a pre-LN model (GPT-2), whose hidden states are not normalised.
   */
  float[][] outputNorm(int state);

  /** Frees the weights. */
  @Override
  void close();
}
