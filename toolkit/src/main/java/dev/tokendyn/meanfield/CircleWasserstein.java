package dev.tokendyn.meanfield;

import java.util.Arrays;

/**
 * The quadratic Wasserstein distance on the circle (geodesic cost |theta - phi|^2, the shorter arc), between
 * an empirical measure of n angles and a density, or between two sets of weighted angles.
 *
 * <p>On the circle the optimal plans are monotone after a shift of the cumulative functions (Delon, Salomon,
 * Sobolevski 2010; Rabin, Delon, Gousseau 2011): with F, G the lifted cumulative functions
 * (F(theta + 2 pi) = F(theta) + 1) and their quantiles,
 * <pre>  W2^2 = min_alpha int_0^1 |F^{-1}(u) - G^{-1}(u + alpha)|^2 du,</pre>
 * a convex function of alpha. Both quantiles are piecewise linear in u (constant for atoms, linear within
 * a cell for a density), so the integral is exact by two-point Gauss-Legendre on the merged pieces; alpha
 * is found by a scan over [-1, 1] and golden-section refinement.
 */
public final class CircleWasserstein {
  private CircleWasserstein() {}

  /** A lifted quantile function on [0, 1): breakpoints and the value inside each piece. */
  private interface Quantile {
    /** Ascending levels in [0, 1], 0 first and 1 last. */
    double[] levels();

    /** F^{-1}(u) for u in [0, 1), in [0, 2 pi) up to the lift convention. */
    double at(double u);

    default double lifted(double u) {
      double f = Math.floor(u);
      return at(u - f) + 2 * Math.PI * f;
    }
  }

  /** W2 between n equally weighted angles and a density. */
  public static double w2(double[] angles, CircleDensity rho) {
    return distance(atoms(angles, null), density(rho));
  }

  /** W2 between two sets of weighted angles (weights normalised; null is uniform). */
  public static double w2(double[] a, double[] wa, double[] b, double[] wb) {
    return distance(atoms(a, wa), atoms(b, wb));
  }

  /** W2 between two densities on grids (of any sizes). */
  public static double w2(CircleDensity a, CircleDensity b) {
    return distance(density(a), density(b));
  }

  private static double distance(Quantile f, Quantile g) {
    int scan = 64;
    double best = Double.POSITIVE_INFINITY;
    int arg = 0;
    double[] cost = new double[scan + 1];
    for (int k = 0; k <= scan; k++) {
      cost[k] = cost(f, g, -1 + 2.0 * k / scan);
      if (cost[k] < best) {
        best = cost[k];
        arg = k;
      }
    }
    double lo = -1 + 2.0 * Math.max(0, arg - 1) / scan;
    double hi = -1 + 2.0 * Math.min(scan, arg + 1) / scan;
    double r = (Math.sqrt(5) - 1) / 2;
    double x1 = hi - r * (hi - lo);
    double x2 = lo + r * (hi - lo);
    double c1 = cost(f, g, x1);
    double c2 = cost(f, g, x2);
    for (int it = 0; it < 80 && hi - lo > 1e-13; it++) {
      if (c1 < c2) {
        hi = x2;
        x2 = x1;
        c2 = c1;
        x1 = hi - r * (hi - lo);
        c1 = cost(f, g, x1);
      } else {
        lo = x1;
        x1 = x2;
        c1 = c2;
        x2 = lo + r * (hi - lo);
        c2 = cost(f, g, x2);
      }
    }
    best = Math.min(best, Math.min(c1, c2));
    return Math.sqrt(Math.max(0, best));
  }

  /** int_0^1 |F^{-1}(u) - G^{-1}(u + alpha)|^2 du, exactly on the merged pieces. */
  private static double cost(Quantile f, Quantile g, double alpha) {
    double[] lf = f.levels();
    double[] lg = g.levels();
    double[] cuts = new double[lf.length + 2 * lg.length];
    int m = 0;
    for (double u : lf) {
      cuts[m++] = u;
    }
    for (double u : lg) {
      double s = u - alpha;
      s -= Math.floor(s);
      cuts[m++] = s;
    }
    Arrays.sort(cuts, 0, m);
    double g1 = 0.5 - 0.5 / Math.sqrt(3);
    double g2 = 0.5 + 0.5 / Math.sqrt(3);
    double sum = 0;
    double prev = 0;
    for (int i = 0; i <= m; i++) {
      double next = i < m ? cuts[i] : 1.0;
      double w = next - prev;
      if (w > 0) {
        double u1 = prev + g1 * w;
        double u2 = prev + g2 * w;
        double d1 = f.lifted(u1) - g.lifted(u1 + alpha);
        double d2 = f.lifted(u2) - g.lifted(u2 + alpha);
        sum += 0.5 * w * (d1 * d1 + d2 * d2);
      }
      prev = Math.max(prev, next);
    }
    return sum;
  }

  private static Quantile atoms(double[] angles, double[] weights) {
    int n = angles.length;
    if (n == 0) {
      throw new IllegalArgumentException("a measure needs at least one angle");
    }
    Integer[] order = new Integer[n];
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      double t = angles[i] - 2 * Math.PI * Math.floor(angles[i] / (2 * Math.PI));
      a[i] = t;
    }
    Arrays.sort(order, (x, y) -> Double.compare(a[x], a[y]));
    double[] sorted = new double[n];
    double[] levels = new double[n + 1];
    double total = 0;
    for (int i = 0; i < n; i++) {
      double w = weights == null ? 1 : weights[order[i]];
      if (!(w >= 0) || !Double.isFinite(w)) {
        throw new IllegalArgumentException("weights must be finite and >= 0, found " + w);
      }
      total += w;
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("the weights must have a positive sum, found " + total);
    }
    double c = 0;
    for (int i = 0; i < n; i++) {
      sorted[i] = a[order[i]];
      c += (weights == null ? 1 : weights[order[i]]) / total;
      levels[i + 1] = Math.min(1, c);
    }
    levels[n] = 1;
    return new Quantile() {
      @Override
      public double[] levels() {
        return levels;
      }

      @Override
      public double at(double u) {
        int k = Arrays.binarySearch(levels, u);
        int piece = k >= 0 ? k : -k - 2;
        return sorted[Math.min(n - 1, Math.max(0, piece))];
      }
    };
  }

  /** Cells [theta_i - h/2, theta_i + h/2) with the lift starting at -h/2. */
  private static Quantile density(CircleDensity rho) {
    double[] c = rho.cumulative();
    double total = c[c.length - 1];
    double[] levels = new double[c.length];
    for (int i = 0; i < c.length; i++) {
      levels[i] = c[i] / total;
    }
    levels[c.length - 1] = 1;
    double h = rho.cellWidth();
    int n = rho.size();
    return new Quantile() {
      @Override
      public double[] levels() {
        return levels;
      }

      @Override
      public double at(double u) {
        int k = Arrays.binarySearch(levels, u);
        int i = k >= 0 ? k : -k - 2;
        i = Math.min(n - 1, Math.max(0, i));
        double width = levels[i + 1] - levels[i];
        double within = width > 0 ? (u - levels[i]) / width : 0.5;
        return (i - 0.5 + within) * h;
      }
    };
  }
}
