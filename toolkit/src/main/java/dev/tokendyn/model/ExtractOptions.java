package dev.tokendyn.model;

import java.util.List;
import java.util.TreeSet;

/**
 * What to extract.
 *
 * @param layers the hidden states to keep, as indices 0..L (0 is the embedding output); empty for all.
 *     Blocks after the last one asked for are not run.
 * @param attentions whether to keep the attention probabilities of the blocks that produce the kept
 *     hidden states (block l-1 for hidden state l &gt;= 1)
 * @param batchSize texts per forward pass, at least 1
 * @param truncate whether a text longer than the model's maximum positions is cut to fit (keeping the
 *     tokenizer's special tokens) rather than rejected
 */
public record ExtractOptions(List<Integer> layers, boolean attentions, int batchSize, boolean truncate) {
  /** The default batch size. */
  public static final int DEFAULT_BATCH = 16;

  public ExtractOptions {
    layers = List.copyOf(new TreeSet<>(layers));
    for (int l : layers) {
      if (l < 0) {
        throw new IllegalArgumentException("layers must be >= 0, found " + l);
      }
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, found " + batchSize);
    }
  }

  /** All hidden states, no attentions, batches of {@value #DEFAULT_BATCH}, no truncation. */
  public static ExtractOptions defaults() {
    return new ExtractOptions(List.of(), false, DEFAULT_BATCH, false);
  }

  public ExtractOptions withLayers(List<Integer> newLayers) {
    return new ExtractOptions(newLayers, attentions, batchSize, truncate);
  }

  public ExtractOptions withAttentions(boolean keep) {
    return new ExtractOptions(layers, keep, batchSize, truncate);
  }

  public ExtractOptions withBatchSize(int size) {
    return new ExtractOptions(layers, attentions, size, truncate);
  }

  public ExtractOptions withTruncate(boolean cut) {
    return new ExtractOptions(layers, attentions, batchSize, cut);
  }

  /** The kept hidden-state indices for a model with L blocks, checked against L. */
  int[] resolve(int blocks) {
    if (layers.isEmpty()) {
      int[] all = new int[blocks + 1];
      for (int l = 0; l <= blocks; l++) {
        all[l] = l;
      }
      return all;
    }
    for (int l : layers) {
      if (l > blocks) {
        throw new IllegalArgumentException("layer " + l + " does not exist: the model has hidden states 0.." + blocks);
      }
    }
    return layers.stream().mapToInt(Integer::intValue).toArray();
  }
}
