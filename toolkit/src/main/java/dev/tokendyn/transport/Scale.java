package dev.tokendyn.transport;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Locale;

/**
 * Checks, before any solver runs, that the ground cost between two clouds can be computed and summed in
 * double precision, so that overflow is an error that names the scale and never a wrong value (an
 * infinite cost makes exact OT report 0 and Sinkhorn NaN).
 *
 * <p>For the Euclidean costs every |x_i - y_j|^2 is at most 4 d r^2 where r is the largest absolute
 * coordinate of either cloud, and a transport value, a weighted mean of costs, is at most the largest
 * cost; both are finite when 4 d r^2 is. The geodesic cost arccos(&lt;x, y&gt;)^2 is defined on the unit
 * sphere only: a point whose norm is off 1 by more than {@value #SPHERE_TOLERANCE} is refused, since
 * clamping its inner product would give a wrong angle.
 */
final class Scale {
  /** How far from 1 a point's norm may be under the geodesic cost. */
  static final double SPHERE_TOLERANCE = 1e-6;

  private Scale() {}

  /**
   * @throws IllegalArgumentException naming the largest coordinate, or the first point off the sphere,
   *     and the fix
   */
  static void check(Cost cost, TokenCloud x, TokenCloud y) {
    if (cost == Cost.GEODESIC) {
      onSphere(x, "source");
      onSphere(y, "target");
      return;
    }
    double r = Math.max(largest(x), largest(y));
    double bound = 4.0 * x.dimension() * r * r;
    if (!Double.isFinite(bound)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the coordinates reach %.3g in absolute value,"
          + " so squared distances in d=%d overflow double precision (above %.3g); rescale both clouds by one"
          + " factor (divide every coordinate by %.0g, say) and scale the distance back", r, x.dimension(),
          Double.MAX_VALUE, Math.pow(10, Math.ceil(Math.log10(r)))));
    }
  }

  private static double largest(TokenCloud c) {
    double r = 0;
    double[] p = c.toFlatArray();
    for (double v : p) {
      r = Math.max(r, Math.abs(v));
    }
    return r;
  }

  private static void onSphere(TokenCloud c, String which) {
    int d = c.dimension();
    double[] p = c.toFlatArray();
    for (int i = 0; i < c.size(); i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += p[i * d + k] * p[i * d + k];
      }
      double norm = Math.sqrt(s);
      if (!(Math.abs(norm - 1) <= SPHERE_TOLERANCE)) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "the geodesic cost needs points on the unit"
            + " sphere, but point %d of the %s has norm %.9g (off 1 by more than %.0e); normalise every point to"
            + " norm 1 first, or use the squared Euclidean cost", i, which, norm, SPHERE_TOLERANCE));
      }
    }
  }
}
