package dev.tokendyn.metrics;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.util.Arrays;

/**
 * How a sequence of clouds of the same tokens spreads with depth.
 *
 * <ul>
 *   <li>Mean squared displacement of the tracked tokens from the first cloud,
 *       {@code MSD(l) = (1/n) sum_i |x_i^l - x_i^0|^2}, against the depth t_l = position(l) - position(0)
 *       (the layer offset, or the elapsed time), and the exponent of MSD ~ t^alpha from a log-log
 *       least-squares fit over the entries with t &gt; 0 and MSD &gt; 0 ({@link PowerLawFit}): alpha = 1 is
 *       diffusive (a random walk), alpha = 2 ballistic (constant velocity).</li>
 *   <li>Variance of each cloud, the total variance {@code (1/n) sum_i |x_i - xbar|^2} (the trace of the
 *       covariance), and its growth {@code variance(l) / variance(0)} (NaN when the first cloud has zero
 *       variance).</li>
 *   <li>The MSD's ceiling, {@code (1/n) sum_i (|x_i^l|^2 + |x_i^0|^2)}, the MSD of states uncorrelated with
 *       the first; {@code msdSaturation = msd / ceiling} near 1 means the displacement is bounded by the
 *       norms (as after a LayerNorm), so an exponent below 1 reflects confinement, not subdiffusion.</li>
 *   <li>{@link Persistence} at each inner entry l (cos(delta_{l-1}, delta_l); NaN at the ends) and its mean.</li>
 *   <li>{@link GeodesicRatio} of the sequence, from the exact W2 of each step and of the ends (NaN when
 *       transport was off).</li>
 *   <li>The entropy curve: the {@link Entropy} estimate of each cloud, in nats (NaN where undefined).</li>
 * </ul>
 * Unweighted. The sequence is not modified.
 *
 * @param depth t_l for each entry, starting at 0
 * @param msd MSD(l) for each entry, starting at 0
 * @param fit the power-law fit of MSD against depth
 * @param variance the total variance of each cloud
 * @param varianceGrowth variance(l) / variance(0)
 * @param entropy the entropy estimate of each cloud, nats
 */
public record Spreading(
    double[] depth, double[] msd, PowerLawFit fit, double[] variance, double[] varianceGrowth, double[] entropy,
    double[] msdCeiling, double[] persistence, double meanPersistence, double geodesicRatio) {

  public Spreading {
    depth = depth.clone();
    msd = msd.clone();
    msdCeiling = msdCeiling.clone();
    persistence = persistence.clone();
    variance = variance.clone();
    varianceGrowth = varianceGrowth.clone();
    entropy = entropy.clone();
  }

  /**
   * The spreading of a sequence, with the entropy at k = {@link Entropy#DEFAULT_K} where
   * {@link CloudMetrics} gives it (NaN elsewhere), and no geodesic ratio.
   *
   * @throws IllegalArgumentException when the clouds differ in shape
   */
  public static Spreading of(CloudSequence sequence) {
    sequence.requireSameShape();
    double[] entropy = new double[sequence.size()];
    for (int l = 0; l < sequence.size(); l++) {
      entropy[l] = CloudMetrics.of(sequence.cloud(l), Clusters.DEFAULT_THRESHOLD).entropy();
    }
    return of(sequence, entropy, Double.NaN);
  }

  /**
   * The spreading with an entropy curve already computed, one value per entry, and the geodesic ratio
   * (NaN when not computed).
   */
  static Spreading of(CloudSequence sequence, double[] entropy, double geodesicRatio) {
    sequence.requireSameShape();
    int count = sequence.size();
    TokenCloud first = sequence.cloud(0);
    double[] x0 = first.toFlatArray();
    double[] depth = new double[count];
    double[] msd = new double[count];
    double[] variance = new double[count];
    double[] growth = new double[count];
    int n = first.size();
    int d = first.dimension();
    double[] ceiling = new double[count];
    double[] persistence = new double[count];
    java.util.Arrays.fill(persistence, Double.NaN);
    double norm0 = UnitRows.squaredNorm(x0);
    double[][] flat = new double[count][];
    for (int l = 0; l < count; l++) {
      TokenCloud c = sequence.cloud(l);
      depth[l] = sequence.position(l) - sequence.position(0);
      double[] x = c.toFlatArray();
      flat[l] = x;
      double s = 0;
      for (int i = 0; i < x.length; i++) {
        double t = x[i] - x0[i];
        s += t * t;
      }
      msd[l] = s / n;
      ceiling[l] = (UnitRows.squaredNorm(x) + norm0) / n;
      variance[l] = totalVariance(c);
    }
    double ps = 0;
    int pc = 0;
    for (int l = 1; l + 1 < count; l++) {
      persistence[l] = Persistence.of(flat[l - 1], flat[l], flat[l + 1], n, d);
      if (!Double.isNaN(persistence[l])) {
        ps += persistence[l];
        pc++;
      }
    }
    for (int l = 0; l < count; l++) {
      growth[l] = variance[0] == 0 ? Double.NaN : variance[l] / variance[0];
    }
    return new Spreading(depth, msd, PowerLawFit.of(depth, msd), variance, growth, entropy, ceiling, persistence,
        pc == 0 ? Double.NaN : ps / pc, geodesicRatio);
  }

  /** The total variance (1/n) sum_i |x_i - xbar|^2 of a cloud. */
  public static double totalVariance(TokenCloud cloud) {
    return UnitRows.squaredNorm(Centred.points(cloud)) / cloud.size();
  }

  @Override
  public double[] depth() {
    return depth.clone();
  }

  @Override
  public double[] msd() {
    return msd.clone();
  }

  @Override
  public double[] msdCeiling() {
    return msdCeiling.clone();
  }

  @Override
  public double[] persistence() {
    return persistence.clone();
  }

  @Override
  public double[] variance() {
    return variance.clone();
  }

  @Override
  public double[] varianceGrowth() {
    return varianceGrowth.clone();
  }

  @Override
  public double[] entropy() {
    return entropy.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Spreading s && Arrays.equals(s.depth, depth) && Arrays.equals(s.msd, msd)
        && s.fit.equals(fit) && Arrays.equals(s.variance, variance) && Arrays.equals(s.varianceGrowth, varianceGrowth)
        && Arrays.equals(s.entropy, entropy);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(msd) * 31 + fit.hashCode();
  }

  @Override
  public String toString() {
    return "Spreading[msd=" + Arrays.toString(msd) + ", fit=" + fit + ", variance=" + Arrays.toString(variance) + "]";
  }
}
