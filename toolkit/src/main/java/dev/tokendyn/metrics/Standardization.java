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
public record Standardization(double[][] mean, double[][] sd) {

  /** Running sums over the tokens of the texts added so far. */
  public static final class Moments {
    private final boolean dropSpecial;
    private double[][] sum;
    private double[][] squares;
    private long count;

    /** @param dropSpecial count only non-special tokens, as the measurements do */
    public Moments(boolean dropSpecial) {
      this.dropSpecial = dropSpecial;
    }

    /** Adds a text's measured tokens at every layer. */
    public void add(TextSequence text) {
      CloudSequence seq = text.layers();
      int layers = seq.size();
      int d = seq.cloud(0).dimension();
      if (sum == null) {
        sum = new double[layers][d];
        squares = new double[layers][d];
      } else if (sum.length != layers || sum[0].length != d) {
        throw new IllegalArgumentException("the text has " + layers + " layers of width " + d + " but the first had "
            + sum.length + " of width " + sum[0].length);
      }
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
      count += keep.length;
    }

    /**
     * The standardisation of what was added.
     *
     * @throws IllegalStateException when no token was added
     */
    public Standardization result() {
      if (count == 0) {
        throw new IllegalStateException("no token to standardise by");
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
