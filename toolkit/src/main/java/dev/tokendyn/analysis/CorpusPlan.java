package dev.tokendyn.analysis;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a corpus analysis decides before any hidden state exists, from the texts' token ids and
 * special-token masks alone: which tokens form the pooled sample, and which words get a self-similarity.
 *
 * <p>The pooled sample is the {@code size} eligible tokens (non-special ones, when special tokens are
 * dropped) with the smallest seeded hash h(seed, text, position), ties by (text, position): a uniform
 * sample without replacement that depends only on the seed and on which tokens exist, not on the order or
 * the partition in which texts are processed. The words are the token ids that occur (as eligible tokens)
 * in at least two texts, the most widespread first (ties by id), at most {@code words} of them.
 *
 * <p>A plan is built by a {@link Builder} that takes the texts one at a time, in any order, and merges with
 * the builders of other parts of the corpus; it keeps the {@code size} smallest hashes seen so far and the
 * number of texts each token id occurs in, so its memory is the sample's size and the vocabulary's, not the
 * corpus's. The plan itself holds the sample's (text, position) pairs only: O(size), however many texts.
 *
 * @param texts the number of texts
 * @param sampleText the text of each sample row, ascending; rows of one text are consecutive
 * @param samplePosition the position of each sample row in its text, ascending within a text
 * @param words the token ids whose self-similarity is measured
 */
public record CorpusPlan(int texts, int[] sampleText, int[] samplePosition, long[] words)
    implements java.io.Serializable {

  public CorpusPlan {
    if (sampleText.length != samplePosition.length) {
      throw new IllegalArgumentException(sampleText.length + " sample texts but " + samplePosition.length
          + " positions");
    }
    sampleText = sampleText.clone();
    samplePosition = samplePosition.clone();
    words = words.clone();
  }

  /** The sample's size (the requested size, or every eligible token when fewer). */
  public int sampleSize() {
    return sampleText.length;
  }

  /** The ascending positions of text {@code t}'s tokens in the sample. */
  public int[] sampleRows(int t) {
    return Arrays.copyOfRange(samplePosition, sampleOffset(t), sampleOffset(t + 1));
  }

  /** The sample row of text {@code t}'s first sampled token: the rows of the texts before it. */
  public int sampleOffset(int t) {
    int lo = 0;
    int hi = sampleText.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sampleText[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * Plans an analysis of texts held in memory.
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
    Builder b = new Builder(dropSpecial, size, seed);
    for (int t = 0; t < special.size(); t++) {
      b.add(t, ids.get(t), special.get(t));
    }
    return b.build(special.size(), words);
  }

  /**
   * Takes texts in any order and keeps what the plan needs: the {@code size} smallest seeded hashes, as a
   * bounded max-heap of (hash, text, position), and for each token id the number of texts it occurs in.
   * Builders of disjoint parts of a corpus merge ({@link #merge}) into the builder of the whole, exactly.
   */
  public static final class Builder implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final boolean dropSpecial;
    private final int size;
    private final long seed;
    private long[] hash = new long[16];
    private int[] text = new int[16];
    private int[] pos = new int[16];
    private int n;
    private final Map<Long, Integer> textsWith = new HashMap<>();
    private int longest;

    /**
     * @param size the most tokens in the sample, &gt;= 0
     * @throws IllegalArgumentException when size &lt; 0
     */
    public Builder(boolean dropSpecial, int size, long seed) {
      if (size < 0) {
        throw new IllegalArgumentException("the sample size must be >= 0, found " + size);
      }
      this.dropSpecial = dropSpecial;
      this.size = size;
      this.seed = seed;
    }

    /**
     * Takes text {@code t}.
     *
     * @param ids its token ids, or null when unknown
     * @throws IllegalArgumentException when ids and mask differ in length
     */
    public void add(int t, long[] ids, boolean[] special) {
      if (ids != null && ids.length != special.length) {
        throw new IllegalArgumentException("text " + t + " has " + ids.length + " token ids but a mask of "
            + special.length);
      }
      int eligible = 0;
      for (int i = 0; i < special.length; i++) {
        if (!(dropSpecial && special[i])) {
          offer(CorpusPlan.mix(seed, t, i), t, i);
          eligible++;
        }
      }
      longest = Math.max(longest, eligible);
      if (ids != null) {
        long[] own = new long[eligible];
        int e = 0;
        for (int i = 0; i < ids.length; i++) {
          if (!(dropSpecial && special[i])) {
            own[e++] = ids[i];
          }
        }
        Arrays.sort(own);
        for (int i = 0; i < own.length; i++) {
          if (i == 0 || own[i] != own[i - 1]) {
            textsWith.merge(own[i], 1, Integer::sum);
          }
        }
      }
    }

    /** The most eligible tokens of any text taken. */
    public int longestText() {
      return longest;
    }

    /**
     * Takes in what {@code other} took, texts disjoint from this one's.
     *
     * @return this builder
     * @throws IllegalArgumentException when the builders differ in their settings
     */
    public Builder merge(Builder other) {
      if (other.dropSpecial != dropSpecial || other.size != size || other.seed != seed) {
        throw new IllegalArgumentException("the plan builders differ in their settings");
      }
      for (int i = 0; i < other.n; i++) {
        offer(other.hash[i], other.text[i], other.pos[i]);
      }
      other.textsWith.forEach((id, c) -> textsWith.merge(id, c, Integer::sum));
      longest = Math.max(longest, other.longest);
      return this;
    }

    /**
     * The plan of a corpus of {@code texts} texts, every one of which was taken.
     *
     * @param words the most words to measure the self-similarity of
     */
    public CorpusPlan build(int texts, int words) {
      long[] key = new long[n];
      for (int i = 0; i < n; i++) {
        key[i] = (long) text[i] << 32 | pos[i];
      }
      Arrays.sort(key);
      int[] st = new int[n];
      int[] sp = new int[n];
      for (int i = 0; i < n; i++) {
        st[i] = (int) (key[i] >>> 32);
        sp[i] = (int) key[i];
      }
      long[] w = textsWith.entrySet().stream().filter(x -> x.getValue() >= 2)
          .sorted((a, b) -> a.getValue().equals(b.getValue()) ? Long.compare(a.getKey(), b.getKey())
              : Integer.compare(b.getValue(), a.getValue()))
          .limit(words).mapToLong(Map.Entry::getKey).toArray();
      return new CorpusPlan(texts, st, sp, w);
    }

    private void offer(long h, int t, int p) {
      if (n < size) {
        if (n == hash.length) {
          int cap = (int) Math.min(size, 2L * n);
          hash = Arrays.copyOf(hash, cap);
          text = Arrays.copyOf(text, cap);
          pos = Arrays.copyOf(pos, cap);
        }
        int i = n++;
        set(i, h, t, p);
        while (i > 0) { // sift up: the root is the largest
          int parent = (i - 1) >>> 1;
          if (!before(parent, i)) {
            break;
          }
          swap(i, parent);
          i = parent;
        }
        return;
      }
      if (size == 0 || !less(h, t, p, hash[0], text[0], pos[0])) {
        return;
      }
      set(0, h, t, p);
      int i = 0;
      while (true) { // sift down
        int l = 2 * i + 1;
        if (l >= n) {
          break;
        }
        int c = l + 1 < n && before(l, l + 1) ? l + 1 : l;
        if (!before(i, c)) {
          break;
        }
        swap(i, c);
        i = c;
      }
    }

    /** Whether entry a comes before entry b in (hash, text, position) order. */
    private boolean before(int a, int b) {
      return less(hash[a], text[a], pos[a], hash[b], text[b], pos[b]);
    }

    private static boolean less(long h1, int t1, int p1, long h2, int t2, int p2) {
      int c = Long.compareUnsigned(h1, h2);
      if (c != 0) {
        return c < 0;
      }
      return t1 != t2 ? t1 < t2 : p1 < p2;
    }

    private void set(int i, long h, int t, int p) {
      hash[i] = h;
      text[i] = t;
      pos[i] = p;
    }

    private void swap(int a, int b) {
      long h = hash[a];
      int t = text[a];
      int p = pos[a];
      set(a, hash[b], text[b], pos[b]);
      set(b, h, t, p);
    }
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
