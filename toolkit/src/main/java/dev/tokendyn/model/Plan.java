package dev.tokendyn.model;

/**
 * What one forward pass keeps and changes.
 *
 * @param keepHidden which of the L + 1 hidden states to hand over
 * @param keepAttention which blocks' attention probabilities to hand over as attention patterns
 * @param sites [block][Site.ordinal()]: the activations to hand over as sites
 * @param lnFinal whether to hand over GPT-2's final LayerNorm output as a site
 * @param editBlock the block whose attention output {@code edit} replaces, or -1
 * @param edit the replacement, or null
 * @param firstText the input index of the batch's first text, for the edit
 */
record Plan(boolean[] keepHidden, boolean[] keepAttention, boolean[][] sites, boolean lnFinal, int editBlock,
    AttentionEdit edit, int firstText) {

  /** Only hidden states and attention probabilities, no edit. */
  static Plan of(boolean[] keepHidden, boolean[] keepAttention) {
    return new Plan(keepHidden, keepAttention, new boolean[keepAttention.length][Site.values().length], false, -1, null,
        0);
  }

  boolean site(int block, Site s) {
    return sites[block][s.ordinal()];
  }

  /** The number of blocks that must run to produce everything that is kept. */
  int blocksToRun() {
    int last = 0;
    for (int l = 0; l < keepHidden.length; l++) {
      if (keepHidden[l]) {
        last = l;
      }
    }
    for (int l = 0; l < keepAttention.length; l++) {
      if (keepAttention[l]) {
        last = Math.max(last, l + 1);
      }
      for (boolean b : sites[l]) {
        if (b) {
          last = Math.max(last, l + 1);
        }
      }
    }
    if (lnFinal) {
      last = keepAttention.length;
    }
    return last;
  }
}
