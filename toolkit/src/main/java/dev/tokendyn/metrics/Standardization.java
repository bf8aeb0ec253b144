package dev.tokendyn.metrics;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.List;

/**
 * Each dimension standardised over a corpus, layer by layer: x_k -&gt; (x_k - mean_k) / sd_k, with the mean
 * and the (population) standard deviation of dimension k over the corpus's measured tokens at that layer.
 * A few rogue dimensions of large mean and variance dominate the cosines of contextual embeddings;
 * standardising first lets every dimension count (Timkey and van Schijndel 2021). A dimension that is
 * constant over the corpus is only centred.
 *
 * @param mean [layer][dimension]
 * @param sd [layer][dimension], 1 where the dimension is constant
 */
public record Standardization(double[][] mean, double[][] sd) implements java.io.Serializable {

  /**
   * Running sums over the tokens of the texts added so far, in a fixed pairwise tree over the texts'
   * indices: text t's sums are a leaf, and the block of texts [i 2^L, (i + 1) 2^L) is the sum of its two
   * halves, left plus right; what remains at the end (the blocks of the binary decomposition of the
   * number of texts) is added left to right. The tree depends only on the indices, so the moments of a
   * corpus cut into ranges of consecutive texts, each taken by its own {@code Moments} and merged in
   * order ({@link #merge}), are the same bits as one pass gives, wherever the cuts fall. Memory: about
   * log2(texts) blocks of layers x width.
   */
  public static final class Moments implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final boolean dropSpecial;
    private final int first;
    private int next;
    /** The blocks not yet paired, oldest first: level, index, sums, squares, count. */
    private final List<Block> blocks = new ArrayList<>();

    private record Block(int level, long index, double[][] sum, double[][] squares, long count)
        implements java.io.Serializable {}

    /** @param dropSpecial count only non-special tokens, as the measurements do */
    public Moments(boolean dropSpecial) {
      this(dropSpecial, 0);
    }

    /**
     * Moments of the texts from index {@code first} on.
     *
     * @param first &gt;= 0
     */
    public Moments(boolean dropSpecial, int first) {
      if (first < 0) {
        throw new IllegalArgumentException("first must be >= 0, found " + first);
      }
      this.dropSpecial = dropSpecial;
      this.first = first;
      this.next = first;
    }

    /** Adds the next text's measured tokens at every layer. */
    public void add(TextSequence text) {
      CloudSequence seq = text.layers();
      int layers = seq.size();
      int d = seq.cloud(0).dimension();
      if (!blocks.isEmpty() && (blocks.get(0).sum.length != layers || blocks.get(0).sum[0].length != d)) {
        throw new IllegalArgumentException("the text has " + layers + " layers of width " + d + " but the first had "
            + blocks.get(0).sum.length + " of width " + blocks.get(0).sum[0].length);
      }
      double[][] sum = new double[layers][d];
      double[][] squares = new double[layers][d];
      int[] keep = text.kept(dropSpecial);
      for (int l = 0; l < layers; l++) {
        double[] x = seq.cloud(l).toFlatArray();
        for (int i : keep) {
          for (int k = 0; k < d; k++) {
            double v = x[i * d + k];
            sum[l][k] += v;
            squares[l][k] += v * v;
          }
        }
      }
      push(new Block(0, next++, sum, squares, keep.length));
    }

    /**
     * Takes in the texts {@code after} took, which come right after this one's.
     *
     * @param after moments whose first text is this one's next; not to be used afterwards
     * @throws IllegalArgumentException when it does not follow, or counts other tokens
     */
    public void merge(Moments after) {
      if (after.first != next || after.dropSpecial != dropSpecial) {
        throw new IllegalArgumentException("merge in order: the next part must start at text " + next
            + (after.dropSpecial != dropSpecial ? " and count the same tokens" : ", found " + after.first));
      }
      after.blocks.forEach(this::push);
      next = after.next;
    }

    private void push(Block b) {
      blocks.add(b);
      while (blocks.size() >= 2) {
        Block right = blocks.get(blocks.size() - 1);
        Block left = blocks.get(blocks.size() - 2);
        if (left.level != right.level || left.index % 2 != 0 || right.index != left.index + 1) {
          return;
        }
        blocks.remove(blocks.size() - 1);
        blocks.set(blocks.size() - 1, new Block(left.level + 1, left.index / 2, plus(left.sum, right.sum),
            plus(left.squares, right.squares), left.count + right.count));
      }
    }

    private static double[][] plus(double[][] a, double[][] b) {
      double[][] c = new double[a.length][];
      for (int l = 0; l < a.length; l++) {
        c[l] = new double[a[l].length];
        for (int k = 0; k < c[l].length; k++) {
          c[l][k] = a[l][k] + b[l][k];
        }
      }
      return c;
    }

    /**
     * The standardisation of what was added.
     *
     * @throws IllegalStateException when no token was added
     */
    public Standardization result() {
      long count = 0;
      for (Block b : blocks) {
        count += b.count;
      }
      if (count == 0) {
        throw new IllegalStateException("no token to standardise by");
      }
      double[][] sum = blocks.get(0).sum;
      double[][] squares = blocks.get(0).squares;
      for (int i = 1; i < blocks.size(); i++) {
        sum = plus(sum, blocks.get(i).sum);
        squares = plus(squares, blocks.get(i).squares);
      }
      int layers = sum.length;
      int d = sum[0].length;
      double[][] mean = new double[layers][d];
      double[][] sd = new double[layers][d];
      for (int l = 0; l < layers; l++) {
        for (int k = 0; k < d; k++) {
          mean[l][k] = sum[l][k] / count;
          double var = Math.max(0, squares[l][k] / count - mean[l][k] * mean[l][k]);
          sd[l][k] = var > 1e-24 * Math.max(1, mean[l][k] * mean[l][k]) ? Math.sqrt(var) : 1;
        }
      }
      return new Standardization(mean, sd);
    }
  }

  /** The text in standardised coordinates (a new sequence; the text is not modified). */
  public TextSequence apply(TextSequence text) {
    CloudSequence seq = text.layers();
    if (seq.size() != mean.length) {
      throw new IllegalArgumentException("the text has " + seq.size() + " layers but the standardisation "
          + mean.length);
    }
    List<CloudSequence.Entry> entries = new ArrayList<>();
    for (int l = 0; l < seq.size(); l++) {
      TokenCloud c = seq.cloud(l);
      int n = c.size();
      int d = c.dimension();
      double[] x = c.toFlatArray();
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < d; k++) {
          x[i * d + k] = (x[i * d + k] - mean[l][k]) / sd[l][k];
        }
      }
      entries.add(new CloudSequence.Entry(seq.label(l), seq.position(l),
          new TokenCloud(n, d, x, c.weights().orElse(null), c.tokens().orElse(null))));
    }
    return text.withLayers(new CloudSequence(seq.axis(), entries));
  }
}
