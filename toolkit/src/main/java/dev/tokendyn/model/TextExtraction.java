package dev.tokendyn.model;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything extracted from one text: its tokens, and for each kept layer the n x d hidden states (and,
 * when asked, the attention probabilities), as plain arrays.
 *
 * @param text the input text
 * @param tokens the n tokens, special tokens included
 * @param tokenIds their ids
 * @param special which tokens the tokenizer added ([CLS], [SEP], BOS/EOS): its special-tokens mask
 * @param width d
 * @param hiddenStates the kept hidden states, in layer order
 * @param attentions the kept attention patterns, in block order; empty unless asked for
 */
public record TextExtraction(String text, List<String> tokens, long[] tokenIds, boolean[] special, int width,
    List<HiddenState> hiddenStates, List<AttentionPattern> attentions) {

  /**
   * Hidden state {@code layer} (0..L): n x d values, row-major, token i at {@code values[i*d .. i*d+d)}.
   *
   * @param site the TransformerLens name ({@link Sites})
   */
  public record HiddenState(int layer, String site, float[] values) {}

  /**
   * The attention probabilities of block {@code block}: heads x n x n, row-major; entry (h, i, j) is how
   * much query token i attends to key token j in head h, and each row sums to one.
   */
  public record AttentionPattern(int block, String site, int heads, float[] probabilities) {
    /** Probability (head, query, key) for a text of n tokens. */
    public float get(int head, int query, int key, int n) {
      return probabilities[(head * n + query) * n + key];
    }
  }

  public TextExtraction {
    tokens = List.copyOf(tokens);
    hiddenStates = List.copyOf(hiddenStates);
    attentions = List.copyOf(attentions);
    special = special.clone();
    if (tokenIds.length != tokens.size()) {
      throw new IllegalArgumentException(tokens.size() + " tokens but " + tokenIds.length + " token ids");
    }
    if (special.length != tokens.size()) {
      throw new IllegalArgumentException(tokens.size() + " tokens but a special-token mask of " + special.length);
    }
    for (HiddenState h : hiddenStates) {
      if (h.values().length != (long) tokens.size() * width) {
        throw new IllegalArgumentException("hidden state " + h.layer() + " holds " + h.values().length
            + " values but n*d = " + tokens.size() + "*" + width);
      }
    }
  }

  /** A copy of the special-tokens mask: entry i is true when token i was added by the tokenizer. */
  @Override
  public boolean[] special() {
    return special.clone();
  }

  /** This text's layers with its token ids and special-token mask, as {@code analyze} measures them. */
  public TextSequence toTextSequence() {
    if (attentions.isEmpty()) {
      return new TextSequence(toSequence(), tokenIds, special);
    }
    float[][] p = new float[attentions.size()][];
    for (int b = 0; b < p.length; b++) {
      p[b] = attentions.get(b).probabilities();
    }
    return new TextSequence(toSequence(), tokenIds, special, p, attentions.get(0).heads());
  }

  /** The number of tokens n. */
  public int size() {
    return tokens.size();
  }

  /** The kept hidden state of layer {@code layer}. */
  public HiddenState state(int layer) {
    for (HiddenState h : hiddenStates) {
      if (h.layer() == layer) {
        return h;
      }
    }
    throw new IllegalArgumentException("layer " + layer + " was not extracted; extracted: " + layers());
  }

  /** The indices of the kept hidden states. */
  public List<Integer> layers() {
    return hiddenStates.stream().map(HiddenState::layer).toList();
  }

  /** Hidden state {@code layer} as a cloud of n points in R^d labelled with the tokens. */
  public TokenCloud cloud(int layer) {
    float[] v = state(layer).values();
    double[] p = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      p[i] = v[i];
    }
    return new TokenCloud(size(), width, p, null, tokens);
  }

  /** The kept hidden states as a sequence along the layer axis, labelled with their sites. */
  public CloudSequence toSequence() {
    List<CloudSequence.Entry> e = new ArrayList<>();
    for (HiddenState h : hiddenStates) {
      e.add(new CloudSequence.Entry(h.site(), h.layer(), cloud(h.layer())));
    }
    return new CloudSequence(CloudSequence.Axis.LAYER, e);
  }

  /**
   * The mean of hidden state {@code layer} over the tokens, (1/n) sum_i h_i: the sentence embedding of
   * mean pooling.
   */
  public double[] meanPooled(int layer) {
    float[] v = state(layer).values();
    double[] m = new double[width];
    for (int i = 0; i < size(); i++) {
      for (int k = 0; k < width; k++) {
        m[k] += v[i * width + k];
      }
    }
    for (int k = 0; k < width; k++) {
      m[k] /= size();
    }
    return m;
  }
}
