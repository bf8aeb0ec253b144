package dev.tokendyn.transport;

import java.util.List;

/**
 * A sliced Wasserstein estimate, sqrt(mean_l W_2^2(projection l)).
 *
 * @param value the estimate
 * @param projections the number of projections L
 * @param seed the seed of the projections
 * @param standardError the Monte Carlo standard error of the value: sd_l(W_2^2) / sqrt(L), divided by
 *     2 value (delta method); 0 when L = 1 or the value is 0
 * @param warnings e.g. weights that were normalised
 */
public record SlicedResult(double value, int projections, long seed, double standardError, List<String> warnings)
    implements TransportResult {
  public SlicedResult {
    warnings = List.copyOf(warnings);
  }

  @Override
  public long iterations() {
    return 0;
  }

  @Override
  public boolean converged() {
    return true;
  }

  /** The result for per-projection squared distances w2sq. */
  static SlicedResult of(double[] w2sq, long seed, List<String> warnings) {
    int l = w2sq.length;
    double mean = 0;
    for (double w : w2sq) {
      mean += w;
    }
    mean /= l;
    double var = 0;
    for (double w : w2sq) {
      var += (w - mean) * (w - mean);
    }
    double value = Math.sqrt(Math.max(mean, 0));
    double se = l > 1 && value > 0 ? Math.sqrt(var / (l - 1) / l) / (2 * value) : 0;
    return new SlicedResult(value, l, seed, se, warnings);
  }
}
