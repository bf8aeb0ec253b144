package dev.tokendyn.cloud;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One text's token clouds over the layers of a model, with what a measurement needs to know about each
 * token: its id in the vocabulary (to follow the same word across texts) and whether the tokenizer added
 * it ([CLS], [SEP], BOS/EOS), so that geometry measurements can leave such tokens out.
 *
 * <p>Every cloud of {@code layers} holds the same n tokens in the same order; {@code tokenIds} and
 * {@code special} have n entries. The arrays are copied on the way in and out.
 *
 * @param layers the text's sequence over layers (layer 0 = the embeddings)
 * @param tokenIds the token ids, or null when unknown
 * @param special entry i is true when token i is a special token
 * @param attention for each block, its attention probabilities [heads][n][n] row-major (block b moves
 *     layer b to b + 1), or null when not extracted; not copied
 * @param heads the number of heads of each block (0 without attention)
 */
public record TextSequence(CloudSequence layers, long[] tokenIds, boolean[] special, float[][] attention, int heads) {
  /** Token strings that tokenizers add, recognised when a file carries no special-tokens mask. */
  public static final Set<String> SPECIAL_STRINGS = Set.of("[CLS]", "[SEP]", "[PAD]", "[MASK]", "<s>", "</s>",
      "<pad>", "<|endoftext|>", "<bos>", "<eos>");

  /** A text without attention patterns. */
  public TextSequence(CloudSequence layers, long[] tokenIds, boolean[] special) {
    this(layers, tokenIds, special, null, 0);
  }

  public TextSequence {
    layers.requireSameShape();
    int n = layers.cloud(0).size();
    if (tokenIds != null) {
      tokenIds = tokenIds.clone();
      if (tokenIds.length != n) {
        throw new IllegalArgumentException("the text has " + n + " tokens but " + tokenIds.length + " token ids");
      }
    }
    special = special.clone();
    if (special.length != n) {
      throw new IllegalArgumentException("the text has " + n + " tokens but a special-token mask of "
          + special.length);
    }
  }

  /**
   * A text whose special tokens are recognised by their strings ({@link #SPECIAL_STRINGS}); with no token
   * labels, no token is special.
   */
  public static TextSequence recognised(CloudSequence layers) {
    TokenCloud c = layers.cloud(0);
    boolean[] special = new boolean[c.size()];
    Optional<List<String>> tokens = c.tokens();
    if (tokens.isPresent()) {
      for (int i = 0; i < special.length; i++) {
        special[i] = SPECIAL_STRINGS.contains(tokens.get().get(i));
      }
    }
    return new TextSequence(layers, null, special);
  }

  /** The number of tokens n. */
  public int size() {
    return special.length;
  }

  /** The number of special tokens. */
  public int specialCount() {
    int s = 0;
    for (boolean b : special) {
      s += b ? 1 : 0;
    }
    return s;
  }

  /** The indices of the tokens kept: all of them, or the non-special ones when {@code dropSpecial}. */
  public int[] kept(boolean dropSpecial) {
    int[] k = new int[special.length];
    int m = 0;
    for (int i = 0; i < special.length; i++) {
      if (!dropSpecial || !special[i]) {
        k[m++] = i;
      }
    }
    return Arrays.copyOf(k, m);
  }

  @Override
  public long[] tokenIds() {
    return tokenIds == null ? null : tokenIds.clone();
  }

  @Override
  public boolean[] special() {
    return special.clone();
  }

  /** The same text with its layers replaced (the same tokens), keeping the rest. */
  public TextSequence withLayers(CloudSequence newLayers) {
    return new TextSequence(newLayers, tokenIds, special, attention, heads);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TextSequence t && t.layers.equals(layers) && Arrays.equals(t.tokenIds, tokenIds)
        && Arrays.equals(t.special, special) && Arrays.deepEquals(t.attention, attention) && t.heads == heads;
  }

  @Override
  public int hashCode() {
    return layers.hashCode() * 31 + Arrays.hashCode(special);
  }

  @Override
  public String toString() {
    return "TextSequence[" + layers.size() + " layers, " + size() + " tokens, " + specialCount() + " special]";
  }
}
