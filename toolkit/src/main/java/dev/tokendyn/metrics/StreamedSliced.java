package dev.tokendyn.metrics;

import dev.tokendyn.kernel.SingleProjections;
import dev.tokendyn.transport.SlicedWasserstein;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The sliced W2 between the layers of a whole corpus, with the tokens streamed through once: every token
 * of every layer is projected on the same seeded unit directions as {@link SlicedWasserstein} draws, and
 * each projection lands in a {@link DyadicHistogram} of its layer and direction. Memory is fixed
 * (layers x directions x {@link DyadicHistogram#BINS} counts) whatever the number of tokens, and merging
 * two of these gives exactly the state of one that saw both streams.
 *
 * <p>The distance is sqrt(mean over directions of W2^2 between the two layers' projected distributions),
 * as POT's {@code sliced_wasserstein_distance} computes it on the points themselves; each 1-D W2 is taken
 * between the histograms, whose bins are narrower than 2/{@link DyadicHistogram#BINS} of the range of the
 * projections. The projections are made in single precision ({@link SingleProjections}): their rounding,
 * about 1e-7 of a token's norm, is thousands of times finer than a bin, and it halves the largest per-text
 * cost of a corpus analysis.
 */
public final class StreamedSliced implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final int layers;
  private final int d;
  private final int directions;
  private final float[] panel;
  private final DyadicHistogram[][] histograms;
  /**
   * Projections not yet in the histograms, per layer and direction: they are added a few thousand at a time,
   * so that each histogram's counts are in cache for many values instead of a text's few (the state does not
   * depend on when they are added). Flushed before anything reads or writes the counts.
   */
  private transient double[][][] pending;
  private transient int[] fill;
  /** Tokens a layer's pending buffer holds before it is added. */
  static final int PENDING = 2048;

  /**
   * @param layers layers to track, at least 1
   * @param d the tokens' dimension
   * @param directions projections, at least 1
   * @param seed the directions' seed, as {@link SlicedWasserstein}'s
   */
  public StreamedSliced(int layers, int d, int directions, long seed) {
    if (layers < 1 || d < 1 || directions < 1) {
      throw new IllegalArgumentException("layers, dimension and directions must be >= 1, found " + layers + ", "
          + d + ", " + directions);
    }
    this.layers = layers;
    this.d = d;
    this.directions = directions;
    this.panel = SingleProjections.pack(SlicedWasserstein.directions(d, directions, seed), directions, d);
    this.histograms = new DyadicHistogram[layers][directions];
    for (DyadicHistogram[] row : histograms) {
      for (int k = 0; k < directions; k++) {
        row[k] = new DyadicHistogram();
      }
    }
  }

  /**
   * Adds the tokens {@code keep} of one text's layer.
   *
   * @param flat the text's tokens, row-major with row length d
   * @param keep the rows to add
   */
  public void add(int layer, double[] flat, int[] keep) {
    if (keep.length == 0) {
      return;
    }
    if (pending == null) {
      pending = new double[layers][][];
      fill = new int[layers];
    }
    if (pending[layer] == null) {
      pending[layer] = new double[directions][PENDING];
    }
    double[][] buf = pending[layer];
    int at = 0;
    while (at < keep.length) {
      int take = Math.min(keep.length - at, PENDING - fill[layer]);
      SingleProjections.project(flat, d, keep, at, take, panel, directions, buf, fill[layer]);
      fill[layer] += take;
      at += take;
      if (fill[layer] == PENDING) {
        flush(layer);
      }
    }
  }

  private void flush(int layer) {
    if (fill == null || fill[layer] == 0) {
      return;
    }
    for (int k = 0; k < directions; k++) {
      histograms[layer][k].addAll(pending[layer][k], 0, fill[layer]);
    }
    fill[layer] = 0;
  }

  private void flush() {
    for (int l = 0; l < layers; l++) {
      flush(l);
    }
  }

  private void writeObject(java.io.ObjectOutputStream out) throws IOException {
    flush();
    out.defaultWriteObject();
  }

  /** Adds everything {@code other} holds; it must track the same layers and directions. */
  public void merge(StreamedSliced other) {
    if (other.layers != layers || other.d != d || other.directions != directions) {
      throw new IllegalArgumentException("sliced sketches of different shapes: " + layers + "x" + directions
          + " in d=" + d + " and " + other.layers + "x" + other.directions + " in d=" + other.d);
    }
    flush();
    other.flush();
    for (int l = 0; l < layers; l++) {
      for (int k = 0; k < directions; k++) {
        histograms[l][k].merge(other.histograms[l][k]);
      }
    }
  }

  /** Tokens added to a layer. */
  public long count(int layer) {
    flush(layer);
    return histograms[layer][0].count();
  }

  /** The sliced W2 between layers l and m over all their tokens; NaN when either is empty. */
  public double distance(int l, int m) {
    flush(l);
    flush(m);
    if (count(l) == 0 || count(m) == 0) {
      return Double.NaN;
    }
    double s = 0;
    for (int k = 0; k < directions; k++) {
      s += histograms[l][k].w2Squared(histograms[m][k]);
    }
    return Math.sqrt(s / directions);
  }

  /** Writes the counts; {@link #read} into a sketch of the same shape restores them exactly. */
  public void write(DataOutputStream out) throws IOException {
    flush();
    for (DyadicHistogram[] row : histograms) {
      for (DyadicHistogram h : row) {
        h.write(out);
      }
    }
  }

  /** Replaces the counts with what {@link #write} wrote. */
  public void read(DataInputStream in) throws IOException {
    if (fill != null) {
      java.util.Arrays.fill(fill, 0);
    }
    for (DyadicHistogram[] row : histograms) {
      for (int k = 0; k < directions; k++) {
        row[k] = DyadicHistogram.read(in);
      }
    }
  }
}
