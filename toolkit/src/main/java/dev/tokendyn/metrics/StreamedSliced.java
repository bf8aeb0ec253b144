package dev.tokendyn.metrics;

import dev.tokendyn.kernel.MatrixProduct;
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
 * projections.
 */
public final class StreamedSliced implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private final int layers;
  private final int d;
  private final int directions;
  private final double[] panel;
  private final DyadicHistogram[][] histograms;

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
    this.panel = MatrixProduct.packRows(SlicedWasserstein.directions(d, directions, seed), directions, d);
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
   * @param flat the text's tokens, row-major, {@code rows} x d
   * @param keep the rows to add
   */
  public void add(int layer, double[] flat, int rows, int[] keep) {
    if (keep.length == 0) {
      return;
    }
    double[] p = MatrixProduct.timesTransposedPacked(flat, rows, panel, directions, d);
    DyadicHistogram[] row = histograms[layer];
    // direction by direction, so that one histogram's counts stay in cache over the text's tokens
    for (int k = 0; k < directions; k++) {
      DyadicHistogram h = row[k];
      for (int j : keep) {
        h.add(p[j * directions + k]);
      }
    }
  }

  /** Adds everything {@code other} holds; it must track the same layers and directions. */
  public void merge(StreamedSliced other) {
    if (other.layers != layers || other.d != d || other.directions != directions) {
      throw new IllegalArgumentException("sliced sketches of different shapes: " + layers + "x" + directions
          + " in d=" + d + " and " + other.layers + "x" + other.directions + " in d=" + other.d);
    }
    for (int l = 0; l < layers; l++) {
      for (int k = 0; k < directions; k++) {
        histograms[l][k].merge(other.histograms[l][k]);
      }
    }
  }

  /** Tokens added to a layer. */
  public long count(int layer) {
    return histograms[layer][0].count();
  }

  /** The sliced W2 between layers l and m over all their tokens; NaN when either is empty. */
  public double distance(int l, int m) {
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
    for (DyadicHistogram[] row : histograms) {
      for (DyadicHistogram h : row) {
        h.write(out);
      }
    }
  }

  /** Replaces the counts with what {@link #write} wrote. */
  public void read(DataInputStream in) throws IOException {
    for (DyadicHistogram[] row : histograms) {
      for (int k = 0; k < directions; k++) {
        row[k] = DyadicHistogram.read(in);
      }
    }
  }
}
