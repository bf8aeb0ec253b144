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
    double[] depth, double[] msd, PowerLawFit fit, double[] variance, double[] varianceGrowth, double[] entropy) {

  public Spreading {
    depth = depth.clone();
    msd = msd.clone();
    variance = variance.clone();
    varianceGrowth = varianceGrowth.clone();
    entropy = entropy.clone();
  }

  /**
   * The spreading of a sequence, with the entropy at k = {@link Entropy#DEFAULT_K}.
   *
   * @throws IllegalArgumentException when the clouds differ in shape, or have too few points for the
   *     entropy estimate
   */
  public static Spreading of(CloudSequence sequence) {
    sequence.requireSameShape();
    Entropy.requireEnoughPoints(sequence.cloud(0), Entropy.DEFAULT_K);
    double[] entropy = new double[sequence.size()];
    for (int l = 0; l < sequence.size(); l++) {
      entropy[l] = Entropy.of(sequence.cloud(l));
    }
    return of(sequence, entropy);
  }

  /** The spreading with an entropy curve already computed, one value per entry. */
  static Spreading of(CloudSequence sequence, double[] entropy) {
    sequence.requireSameShape();
    int count = sequence.size();
    TokenCloud first = sequence.cloud(0);
    double[] x0 = first.toFlatArray();
    double[] depth = new double[count];
    double[] msd = new double[count];
    double[] variance = new double[count];
    double[] growth = new double[count];
    int n = first.size();
    for (int l = 0; l < count; l++) {
      TokenCloud c = sequence.cloud(l);
      depth[l] = sequence.position(l) - sequence.position(0);
      double[] x = c.toFlatArray();
      double s = 0;
      for (int i = 0; i < x.length; i++) {
        double t = x[i] - x0[i];
        s += t * t;
      }
      msd[l] = s / n;
      variance[l] = totalVariance(c);
    }
    for (int l = 0; l < count; l++) {
      growth[l] = variance[0] == 0 ? Double.NaN : variance[l] / variance[0];
    }
    return new Spreading(depth, msd, PowerLawFit.of(depth, msd), variance, growth, entropy);
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
