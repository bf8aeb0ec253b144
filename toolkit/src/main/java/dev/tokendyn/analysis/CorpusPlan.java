package dev.tokendyn.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a corpus analysis decides before any hidden state exists, from the texts' token ids and
 * special-token masks alone: which tokens form the pooled sample, and which words get a self-similarity.
 *
 * <p>The pooled sample is the {@code size} eligible tokens (non-special ones, when special tokens are
 * dropped) with the smallest seeded hash h(seed, text, position): a uniform sample without replacement
 * that depends only on the seed and on which tokens exist, not on the order or the partition in which
 * texts are processed. The words are the token ids that occur (as eligible tokens) in at least two texts,
 * the most widespread first (ties by id), at most {@code words} of them.
 *
 * @param texts the number of texts
 * @param sampleRows for each text, the ascending positions of its tokens in the sample
 * @param sampleOffset for each text, the sample row of its first sampled token (texts in order)
 * @param sampleSize the sample's size (the requested size, or every eligible token when fewer)
 * @param words the token ids whose self-similarity is measured
 */
public record CorpusPlan(int texts, int[][] sampleRows, int[] sampleOffset, int sampleSize, long[] words)
    implements java.io.Serializable {

  /**
   * Plans an analysis.
   *
   * @param ids each text's token ids (null entries for unknown ids: no self-similarity)
   * @param special each text's special-token mask
   * @throws IllegalArgumentException when the lists differ in length or a mask and its ids differ
   */
  public static CorpusPlan of(List<long[]> ids, List<boolean[]> special, boolean dropSpecial, int size, int words,
                              long seed) {
    if (ids.size() != special.size()) {
      throw new IllegalArgumentException(ids.size() + " texts of token ids but " + special.size() + " masks");
    }
    int texts = special.size();
    long eligible = 0;
    for (int t = 0; t < texts; t++) {
      if (ids.get(t) != null && ids.get(t).length != special.get(t).length) {
        throw new IllegalArgumentException("text " + t + " has " + ids.get(t).length + " token ids but a mask of "
            + special.get(t).length);
      }
      for (boolean s : special.get(t)) {
        eligible += dropSpecial && s ? 0 : 1;
      }
    }
    // the size smallest hashes: sort (hash, text, position) triples packed as hash and a side index
    long[] hash = new long[(int) Math.min(Integer.MAX_VALUE - 8, eligible)];
    int[] text = new int[hash.length];
    int[] pos = new int[hash.length];
    int e = 0;
    for (int t = 0; t < texts; t++) {
      boolean[] s = special.get(t);
      for (int i = 0; i < s.length; i++) {
        if (!(dropSpecial && s[i])) {
          hash[e] = mix(seed, t, i);
          text[e] = t;
          pos[e] = i;
          e++;
        }
      }
    }
    int take = (int) Math.min(size, eligible);
    Integer[] order = new Integer[hash.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> {
      int c = Long.compareUnsigned(hash[a], hash[b]);
      if (c != 0) {
        return c;
      }
      c = Integer.compare(text[a], text[b]);
      return c != 0 ? c : Integer.compare(pos[a], pos[b]);
    });
    List<List<Integer>> rows = new ArrayList<>();
    for (int t = 0; t < texts; t++) {
      rows.add(new ArrayList<>());
    }
    for (int j = 0; j < take; j++) {
      rows.get(text[order[j]]).add(pos[order[j]]);
    }
    int[][] sampleRows = new int[texts][];
    int[] offset = new int[texts];
    int o = 0;
    for (int t = 0; t < texts; t++) {
      sampleRows[t] = rows.get(t).stream().mapToInt(Integer::intValue).sorted().toArray();
      offset[t] = o;
      o += sampleRows[t].length;
    }
    return new CorpusPlan(texts, sampleRows, offset, take, selectWords(ids, special, dropSpecial, words));
  }

  private static long[] selectWords(List<long[]> ids, List<boolean[]> special, boolean dropSpecial, int words) {
    Map<Long, Integer> textsWith = new HashMap<>();
    for (int t = 0; t < ids.size(); t++) {
      long[] id = ids.get(t);
      if (id == null) {
        continue;
      }
      Set<Long> seen = new HashSet<>();
      for (int i = 0; i < id.length; i++) {
        if (!(dropSpecial && special.get(t)[i]) && seen.add(id[i])) {
          textsWith.merge(id[i], 1, Integer::sum);
        }
      }
    }
    return textsWith.entrySet().stream().filter(x -> x.getValue() >= 2)
        .sorted((a, b) -> a.getValue().equals(b.getValue()) ? Long.compare(a.getKey(), b.getKey())
            : Integer.compare(b.getValue(), a.getValue()))
        .limit(words).mapToLong(Map.Entry::getKey).toArray();
  }

  /** A seeded 64-bit hash of (text, position): SplitMix64's finaliser over the three words. */
  static long mix(long seed, int text, int position) {
    long z = seed * 0x9E3779B97F4A7C15L + ((long) text << 32 | (position & 0xFFFFFFFFL));
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    z += 0x9E3779B97F4A7C15L * (text + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
