package dev.tokendyn.transport;

import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The sliced 2-Wasserstein distance (Rabin et al. 2011; Bonneel et al. 2015):
 *
 * <pre>  SW_2(a, b) = ( (1/L) sum_l W_2^2(theta_l # a, theta_l # b) )^(1/2) </pre>
 *
 * over L directions theta_l drawn uniformly on the unit sphere of R^d, where theta # a is the weighted
 * cloud projected on theta, and the one-dimensional W_2^2 is computed exactly from the quantile
 * functions. This is POT's {@code ot.sliced_wasserstein_distance(X_s, X_t, a, b, n_projections, p=2,
 * seed)}: the same estimator, with directions from this package's own seeded generator, so values agree
 * with POT within Monte Carlo error (the result carries its standard error). In d = 1 it equals the exact
 * W_2. Projections are processed in parallel; the value does not depend on the number of cores.
 */
public final class SlicedWasserstein implements CloudDistance {
  private final SlicedParams params;

  public SlicedWasserstein(SlicedParams params) {
    if (params == null) {
      throw new IllegalArgumentException("params must be given, found null");
    }
    this.params = params;
  }

  public SlicedParams params() {
    return params;
  }

  /** The {@code count} unit directions in R^d, row-major, that this estimator draws for {@code seed}. */
  public static double[] directions(int d, int count, long seed) {
    return Slices.directions(d, count, seed);
  }

  @Override
  public SlicedResult between(TokenCloud x, TokenCloud y) {
    return solve(x, y, x.normalizedWeights(), y.normalizedWeights());
  }

  /**
   * The estimate between the points of xs (n x d) with weights a and of xt (m x d) with weights b, in
   * POT's argument order. Nothing is modified.
   *
   * @throws IllegalArgumentException on a dimension or length mismatch or invalid weights
   */
  public SlicedResult solve(TokenCloud xs, TokenCloud xt, double[] a, double[] b) {
    Slices.requireSameDimension(xs, xt);
    Scale.check(Cost.SQEUCLIDEAN, xs, xt);
    List<String> warnings = new ArrayList<>();
    double[] an = Weights.normalized("a", a, xs.size(), warnings);
    double[] bn = Weights.normalized("b", b, xt.size(), warnings);
    int n = xs.size();
    int m = xt.size();
    int d = xs.dimension();
    double[] theta = Slices.directions(d, params.projections(), params.seed());
    double[] px = xs.toFlatArray();
    double[] py = xt.toFlatArray();
    boolean uni = Slices.uniform(an) && Slices.uniform(bn);
    double[] w2 = Slices.perSlice(params.projections(), n, m, (l, u, v, wa, wb) -> {
      Slices.project(px, n, d, theta, l * d, u);
      Slices.project(py, m, d, theta, l * d, v);
      if (uni) {
        Arrays.sort(u);
        Arrays.sort(v);
        return n == m ? equalUniform(u, v) : Slices.w2SquaredSorted(u, an, v, bn);
      }
      System.arraycopy(an, 0, wa, 0, n);
      System.arraycopy(bn, 0, wb, 0, m);
      Slices.sortPaired(u, wa);
      Slices.sortPaired(v, wb);
      return Slices.w2SquaredSorted(u, wa, v, wb);
    });
    return SlicedResult.of(w2, params.seed(), warnings);
  }

  /**
   * The sorted projections of a uniformly weighted cloud on this estimate's directions, [direction][point],
   * for {@link #betweenSorted}: a cloud compared with several others (a layer with the layers on either
   * side) is then projected and sorted once instead of once per comparison.
   *
   * @throws IllegalArgumentException on an empty cloud or non-finite coordinates
   */
  public double[][] sortedProjections(TokenCloud x) {
    Scale.check(Cost.SQEUCLIDEAN, x, x);
    int n = x.size();
    int d = x.dimension();
    int count = params.projections();
    double[] theta = Slices.directions(d, count, params.seed());
    double[] px = x.toFlatArray();
    double[][] out = new double[count][n];
    int chunks = Math.min(count, 8);
    Chunks.run(chunks, ch -> {
      int end = Chunks.start(ch + 1, chunks, count);
      for (int l = Chunks.start(ch, chunks, count); l < end; l++) {
        Slices.project(px, n, d, theta, l * d, out[l]);
        Arrays.sort(out[l]);
      }
    });
    return out;
  }

  /**
   * The estimate between two uniformly weighted clouds of the same size from their {@link #sortedProjections}:
   * the same value, to the bit, as {@link #between} on the clouds.
   *
   * @throws IllegalArgumentException when the two differ in directions or points
   */
  public SlicedResult betweenSorted(double[][] u, double[][] v) {
    if (u.length != params.projections() || v.length != u.length || u.length == 0 || v[0].length != u[0].length) {
      throw new IllegalArgumentException("sorted projections must have " + params.projections()
          + " directions of the same number of points, found " + u.length + " x " + (u.length == 0 ? 0 : u[0].length)
          + " and " + v.length + " x " + (v.length == 0 ? 0 : v[0].length));
    }
    double[] w2 = new double[u.length];
    for (int l = 0; l < u.length; l++) {
      w2[l] = equalUniform(u[l], v[l]);
    }
    return SlicedResult.of(w2, params.seed(), new ArrayList<>());
  }

  private static double equalUniform(double[] u, double[] v) {
    double s = 0;
    for (int i = 0; i < u.length; i++) {
      double diff = u[i] - v[i];
      s += diff * diff;
    }
    return s / u.length;
  }
}
