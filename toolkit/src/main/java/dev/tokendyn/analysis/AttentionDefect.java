package dev.tokendyn.analysis;

import dev.tokendyn.metrics.DoublyStochastic;
import dev.tokendyn.model.TextExtraction;
import java.util.ArrayList;
import java.util.List;

/**
 * The doubly stochastic defect ({@link DoublyStochastic}) of every block and head of a model, averaged
 * over texts, with all tokens and without the special tokens (those the tokenizer added, [CLS] and [SEP]:
 * {@link TextExtraction#special()}).
 *
 * <pre>{@code
 * Extraction r = ex.extract(texts, ExtractOptions.defaults().withAttentions(true));
 * AttentionDefect d = AttentionDefect.of(r.texts());
 * }</pre>
 *
 * @param blocks the blocks, in order
 * @param withSpecial [block][head]: the defect over all tokens
 * @param withoutSpecial [block][head]: the defect over the other tokens, rows renormalised
 */
public record AttentionDefect(int[] blocks, double[][] withSpecial, double[][] withoutSpecial) {
  /**
   * The defects of the texts' attention patterns.
   *
   * @param texts extracted with attentions; every text must hold the same blocks
   * @throws IllegalArgumentException when a text has no attention patterns
   */
  public static AttentionDefect of(List<TextExtraction> texts) {
    if (texts.isEmpty() || texts.get(0).attentions().isEmpty()) {
      throw new IllegalArgumentException("the doubly stochastic defect needs attention patterns; extract with"
          + " attentions (ExtractOptions.withAttentions(true), extract --attentions)");
    }
    List<TextExtraction.AttentionPattern> first = texts.get(0).attentions();
    int blocks = first.size();
    int heads = first.get(0).heads();
    double[][] all = new double[blocks][heads];
    double[][] plain = new double[blocks][heads];
    int[][] plainCount = new int[blocks][heads];
    for (TextExtraction t : texts) {
      int n = t.size();
      boolean[] special = t.special();
      boolean[] keep = new boolean[n];
      for (int i = 0; i < n; i++) {
        keep[i] = !special[i];
      }
      if (t.attentions().size() != blocks) {
        throw new IllegalArgumentException("texts hold different numbers of attention patterns: " + blocks + " and "
            + t.attentions().size());
      }
      for (int b = 0; b < blocks; b++) {
        TextExtraction.AttentionPattern p = t.attentions().get(b);
        for (int h = 0; h < heads; h++) {
          all[b][h] += DoublyStochastic.defect(p.probabilities(), heads, n, h, null) / texts.size();
          double d = DoublyStochastic.defect(p.probabilities(), heads, n, h, keep);
          if (!Double.isNaN(d)) {
            plain[b][h] += d;
            plainCount[b][h]++;
          }
        }
      }
    }
    for (int b = 0; b < blocks; b++) {
      for (int h = 0; h < heads; h++) {
        plain[b][h] = plainCount[b][h] == 0 ? Double.NaN : plain[b][h] / plainCount[b][h];
      }
    }
    int[] ids = first.stream().mapToInt(TextExtraction.AttentionPattern::block).toArray();
    return new AttentionDefect(ids, all, plain);
  }

  /** The mean over heads of block index {@code i} (all tokens, or without the special ones). */
  public double meanOverHeads(int i, boolean special) {
    double[] v = special ? withSpecial[i] : withoutSpecial[i];
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** As a JSON-ready list: {@code [{"block", "with_special": [per head], "without_special": [...], means}]}. */
  public List<java.util.Map<String, Object>> toJson() {
    List<java.util.Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < blocks.length; i++) {
      java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
      m.put("block", blocks[i]);
      m.put("with_special", withSpecial[i]);
      m.put("without_special", withoutSpecial[i]);
      m.put("mean_with_special", meanOverHeads(i, true));
      m.put("mean_without_special", meanOverHeads(i, false));
      out.add(m);
    }
    return out;
  }
}
