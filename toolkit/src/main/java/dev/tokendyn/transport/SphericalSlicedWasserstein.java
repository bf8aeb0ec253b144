package dev.tokendyn.transport;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.kernel.ArrayOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The spherical sliced 2-Wasserstein distance for clouds on the unit sphere S^(d-1) (Bonet et al.,
 * Spherical sliced-Wasserstein, ICLR 2023):
 *
 * <pre>  SSW_2(a, b) = ( (1/L) sum_l W_2^2(P_l # a, P_l # b) )^(1/2) </pre>
 *
 * where P_l sends a point to its angle on the great circle of a random 2-plane U_l (uniform on the
 * Stiefel manifold): x -&gt; U_l^T x / |U_l^T x|, and W_2 is the Wasserstein distance on that circle with
 * its geodesic distance, as POT 0.9's {@code ot.sliced_wasserstein_sphere}: the circle has length one,
 * so multiply by 2 pi for radians. The circular W_2^2 is inf over alpha of int_0^1 (F^-1(t) -
 * G^-1(t + alpha))^2 dt (Delon, Salomon and Sobolevski 2010), convex in alpha and minimised here by
 * golden-section search. The points must lie on the unit sphere (norm 1 within 1e-6, else an
 * IllegalArgumentException); put them there first ({@link TokenCloud#normalizedToSphere()}). A point
 * orthogonal to a plane gets angle zero on it.
 */
public final class SphericalSlicedWasserstein implements CloudDistance {
  private final SlicedParams params;

  public SphericalSlicedWasserstein(SlicedParams params) {
    if (params == null) {
      throw new IllegalArgumentException("params must be given, found null");
    }
    this.params = params;
  }

  public SlicedParams params() {
    return params;
  }

  @Override
  public SlicedResult between(TokenCloud x, TokenCloud y) {
    return solve(x, y, x.normalizedWeights(), y.normalizedWeights());
  }

  /**
   * The estimate between xs (n x d) with weights a and xt (m x d) with weights b, d &gt;= 2.
   *
   * @throws IllegalArgumentException on a dimension or length mismatch, d &lt; 2, or invalid weights
   */
  public SlicedResult solve(TokenCloud xs, TokenCloud xt, double[] a, double[] b) {
    Slices.requireSameDimension(xs, xt);
    Scale.check(Cost.GEODESIC, xs, xt);
    int d = xs.dimension();
    if (d < 2) {
      throw new IllegalArgumentException("the spherical sliced distance needs d >= 2, found d=" + d);
    }
    List<String> warnings = new ArrayList<>();
    double[] an = Weights.normalized("a", a, xs.size(), warnings);
    double[] bn = Weights.normalized("b", b, xt.size(), warnings);
    int n = xs.size();
    int m = xt.size();
    double[] planes = planes(d, params.projections(), params.seed());
    double[] px = xs.toFlatArray();
    double[] py = xt.toFlatArray();
    double[] w2 = Slices.perSlice(params.projections(), n, m, (l, u, v, wa, wb) -> {
      angles(px, n, d, planes, 2 * l * d, u);
      angles(py, m, d, planes, 2 * l * d, v);
      System.arraycopy(an, 0, wa, 0, n);
      System.arraycopy(bn, 0, wb, 0, m);
      Slices.sortPaired(u, wa);
      Slices.sortPaired(v, wb);
      return circleW2Squared(u, wa, v, wb);
    });
    return SlicedResult.of(w2, params.seed(), warnings);
  }

  /** count orthonormal pairs (u1, u2) in R^d, each row-major as 2d values, by Gram-Schmidt on Gaussians. */
  static double[] planes(int d, int count, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] p = new double[2 * d * count];
    for (int l = 0; l < count; l++) {
      int o = 2 * l * d;
      while (true) {
        for (int k = 0; k < 2 * d; k++) {
          p[o + k] = rng.nextGaussian();
        }
        double n1 = Math.sqrt(ArrayOps.dot(p, o, p, o, d));
        if (n1 == 0) {
          continue;
        }
        for (int k = 0; k < d; k++) {
          p[o + k] /= n1;
        }
        double proj = ArrayOps.dot(p, o, p, o + d, d);
        for (int k = 0; k < d; k++) {
          p[o + d + k] -= proj * p[o + k];
        }
        double n2 = Math.sqrt(ArrayOps.dot(p, o + d, p, o + d, d));
        if (n2 < 1e-12) {
          continue;
        }
        for (int k = 0; k < d; k++) {
          p[o + d + k] /= n2;
        }
        break;
      }
    }
    return p;
  }

  /** The angle in [0, 1) (in turns) of each point's projection on the plane at planes[po..po+2d). */
  static void angles(double[] x, int n, int d, double[] planes, int po, double[] out) {
    for (int i = 0; i < n; i++) {
      double c = ArrayOps.dot(x, i * d, planes, po, d);
      double s = ArrayOps.dot(x, i * d, planes, po + d, d);
      double t = (Math.atan2(-s, -c) + Math.PI) / (2 * Math.PI);
      out[i] = t >= 1 ? 0 : t;
    }
  }

  /**
   * W_2^2 on the circle of length one between two weighted samples with positions in [0, 1), sorted, and
   * weights summing to one.
   */
  static double circleW2Squared(double[] x, double[] a, double[] y, double[] b) {
    double[] ca = cumulative(a);
    double[] cb = cumulative(b);
    double lo = -1;
    double hi = 1;
    double g = (Math.sqrt(5) - 1) / 2;
    double p = hi - g * (hi - lo);
    double q = lo + g * (hi - lo);
    double fp = shifted(x, ca, y, cb, p);
    double fq = shifted(x, ca, y, cb, q);
    for (int it = 0; it < 80 && hi - lo > 1e-13; it++) {
      if (fp <= fq) {
        hi = q;
        q = p;
        fq = fp;
        p = hi - g * (hi - lo);
        fp = shifted(x, ca, y, cb, p);
      } else {
        lo = p;
        p = q;
        fp = fq;
        q = lo + g * (hi - lo);
        fq = shifted(x, ca, y, cb, q);
      }
    }
    return Math.min(fp, fq);
  }

  private static double[] cumulative(double[] w) {
    double[] c = new double[w.length];
    double s = 0;
    for (int i = 0; i < w.length; i++) {
      s += w[i];
      c[i] = s;
    }
    c[w.length - 1] = 1;
    return c;
  }

  /** int_0^1 (F^-1(t) - G^-1(t + alpha))^2 dt with G^-1 extended by G^-1(s + 1) = G^-1(s) + 1. */
  static double shifted(double[] x, double[] ca, double[] y, double[] cb, double alpha) {
    double fl = Math.floor(alpha);
    double fr = alpha - fl;
    int k = Arrays.binarySearch(cb, fr);
    k = k >= 0 ? k + 1 : -k - 1;
    double shift = fl;
    double base = 0;
    if (k >= cb.length) {
      k = 0;
      shift += 1;
      base += 1;
    }
    double nextNu = base + cb[k] - fr;
    int i = 0;
    double nextMu = ca[0];
    double t = 0;
    double total = 0;
    while (true) {
      double tn = Math.min(nextMu, nextNu);
      double diff = x[i] - (y[k] + shift);
      total += (tn - t) * diff * diff;
      t = tn;
      if (tn == nextMu) {
        if (++i == x.length) {
          break;
        }
        nextMu = ca[i];
      }
      if (tn == nextNu) {
        if (++k == cb.length) {
          k = 0;
          shift += 1;
          base += 1;
        }
        nextNu = base + cb[k] - fr;
      }
    }
    return total;
  }
}
