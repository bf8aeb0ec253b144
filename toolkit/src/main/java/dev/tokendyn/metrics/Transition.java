package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.transport.Transport;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The step between two consecutive clouds of the same tokens (depth l to l+1): how far the tokens move
 * along their own map, and how far the cloud moves as a distribution.
 *
 * <ul>
 *   <li>{@code identityCost}: {@link IdentityCost}, sum_i a_i |x_i^{l+1} - x_i^l|^2.</li>
 *   <li>{@code w2}: the exact Wasserstein-2 distance between the clouds (squared-Euclidean cost,
 *       normalised weights), from {@link Transport#w2}.</li>
 *   <li>{@code rotationalShare} and {@code affineR2}: {@link RotationalShare} of the step, in the top
 *       {@link TransitionParams#rotationComponents()} principal components.</li>
 *   <li>{@code sinkhornDivergence}: {@link Transport#sinkhornDivergence} at reg = sinkhornScale x the
 *       median squared distance between the points of the two clouds ({@link TransitionParams}).</li>
 *   <li>{@code sliced}: {@link Transport#sliced} with the given projections and seed.</li>
 * </ul>
 * The transport values are NaN when {@link TransitionParams#transport()} is false.
 *
 * @param from the index of the first cloud in its sequence
 * @param to the index of the second
 * @param identityCost the mean squared displacement of the tokens
 * @param w2 exact W2, or NaN when transport is off
 * @param rotationalShare {@link RotationalShare.Result#share()}, NaN where undefined
 * @param affineR2 {@link RotationalShare.Result#affineR2()}, NaN where undefined
 * @param sinkhornDivergence the Sinkhorn divergence, or NaN when transport is off
 * @param sinkhornReg the regularisation it used, or NaN when transport is off
 * @param sliced the sliced distance, or NaN when transport is off
 */
public record Transition(
    int from,
    int to,
    double identityCost,
    double w2,
    double rotationalShare,
    double affineR2,
    double sinkhornDivergence,
    double sinkhornReg,
    double sliced) {

  /** Above this many pairs the median squared distance is taken over a seeded sample of pairs. */
  static final int MEDIAN_PAIRS = 1 << 20;

  /**
   * {@link TransportEfficiency} of the step, w2^2 / identityCost; NaN when transport is off. About 1 for any
   * smooth flow, so it does not tell dynamics apart and no report carries it; kept for comparison with
   * earlier work.
   */
  public double transportEfficiency() {
    return hasTransport() ? TransportEfficiency.of(w2, identityCost) : Double.NaN;
  }

  /** Whether the transport values were computed. */
  public boolean hasTransport() {
    return !Double.isNaN(w2);
  }

  /**
   * Measures the step from {@code x} (index {@code from}) to {@code y} (index {@code to}).
   *
   * @throws IllegalArgumentException when the clouds differ in shape, or both carry token labels that
   *     differ
   */
  public static Transition between(int from, int to, TokenCloud x, TokenCloud y, TransitionParams params) {
    IdentityCost.requireSameTokens(x, y);
    requireSameLabels(from, to, x, y);
    double identity = IdentityCost.of(x, y);
    RotationalShare.Result rot = RotationalShare.of(x, y, params.rotationComponents());
    if (!params.transport()) {
      return new Transition(from, to, identity, Double.NaN, rot.share(), rot.affineR2(), Double.NaN, Double.NaN,
          Double.NaN);
    }
    double w2 = Transport.w2(x, y);
    double median = medianSquaredDistance(x, y, params.seed());
    double reg = params.sinkhornScale() * (median > 0 ? median : 1.0);
    double sinkhorn = Transport.sinkhornDivergence(x, y, reg);
    double sliced = Transport.sliced(x, y, params.slicedProjections(), params.seed());
    return new Transition(from, to, identity, w2, rot.share(), rot.affineR2(), sinkhorn, reg, sliced);
  }

  private static void requireSameLabels(int from, int to, TokenCloud x, TokenCloud y) {
    Optional<List<String>> a = x.tokens();
    Optional<List<String>> b = y.tokens();
    if (a.isPresent() && b.isPresent()) {
      for (int i = 0; i < a.get().size(); i++) {
        if (!a.get().get(i).equals(b.get().get(i))) {
          throw new IllegalArgumentException("the step from cloud " + from + " to " + to
              + " needs the same tokens, but token " + i + " is \"" + a.get().get(i) + "\" in cloud " + from
              + " and \"" + b.get().get(i) + "\" in cloud " + to);
        }
      }
    }
  }

  /**
   * The median of |x_i - y_j|^2 over all pairs, or over {@link #MEDIAN_PAIRS} pairs drawn with the seed
   * when there are more. When the median is 0 (most points coincide), the Sinkhorn regularisation falls
   * back to sinkhornScale x 1.
   */
  static double medianSquaredDistance(TokenCloud x, TokenCloud y, long seed) {
    int n = x.size();
    int m = y.size();
    int d = x.dimension();
    double[] a = x.toFlatArray();
    double[] b = y.toFlatArray();
    long pairs = (long) n * m;
    double[] c;
    if (pairs <= MEDIAN_PAIRS) {
      c = new double[(int) pairs];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          c[i * m + j] = squaredDistance(a, i * d, b, j * d, d);
        }
      }
    } else {
      SplittableRandom rng = new SplittableRandom(seed);
      c = new double[MEDIAN_PAIRS];
      for (int s = 0; s < c.length; s++) {
        c[s] = squaredDistance(a, rng.nextInt(n) * d, b, rng.nextInt(m) * d, d);
      }
    }
    Arrays.sort(c);
    int h = c.length / 2;
    return c.length % 2 == 1 ? c[h] : 0.5 * (c[h - 1] + c[h]);
  }

  private static double squaredDistance(double[] a, int oa, double[] b, int ob, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      double t = a[oa + k] - b[ob + k];
      s += t * t;
    }
    return s;
  }
}
