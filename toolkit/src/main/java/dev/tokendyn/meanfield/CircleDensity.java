package dev.tokendyn.meanfield;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A probability density on the circle, as cell averages on a uniform grid: cell i is centred at
 * theta_i = 2 pi i / N and has width h = 2 pi / N, and sum_i h rho_i = 1. N is at least {@value #MIN_GRID}
 * (the velocity field's resolution); any such N is accepted (the mean-field solver's FFT is radix-2 for a power
 * of two and Bluestein's otherwise). The values are copied on the way in and out.
 */
public record CircleDensity(double[] values) {
  /** The smallest grid accepted. */
  public static final int MIN_GRID = 16;

  public CircleDensity {
    values = values.clone();
    int n = values.length;
    if (n < MIN_GRID) {
      throw new IllegalArgumentException("the grid must have at least " + MIN_GRID + " points, found " + n
          + "; use --grid 16 or more (1024 resolves beta = 64)");
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(values[i]) || values[i] < 0) {
        throw new IllegalArgumentException("a density must be finite and >= 0, found " + values[i] + " at point "
            + i);
      }
    }
  }

  /**
   * The density given by values at the grid points, scaled so that it integrates to one.
   *
   * @throws IllegalArgumentException when a value is negative or not finite, or the integral is not positive
   */
  public static CircleDensity normalised(double[] values) {
    CircleDensity raw = new CircleDensity(values);
    double mass = raw.mass();
    if (!(mass > 0) || !Double.isFinite(mass)) {
      throw new IllegalArgumentException("a density must integrate to a positive number, found " + mass);
    }
    double[] v = raw.values;
    for (int i = 0; i < v.length; i++) {
      v[i] /= mass;
    }
    return new CircleDensity(v);
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /** N. */
  public int size() {
    return values.length;
  }

  /** The cell width 2 pi / N. */
  public double cellWidth() {
    return 2 * Math.PI / values.length;
  }

  /** The cell centres theta_i = 2 pi i / N. */
  public double[] grid() {
    double[] g = new double[values.length];
    for (int i = 0; i < g.length; i++) {
      g[i] = 2 * Math.PI * i / g.length;
    }
    return g;
  }

  /** sum_i h rho_i. */
  public double mass() {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s * cellWidth();
  }

  /**
   * The mean cosine int int cos(theta - theta') rho(theta) rho(theta') = |int e^{i theta} rho|^2, with the
   * cell averages integrated exactly against e^{i theta} (the factor sin(h/2) / (h/2)).
   */
  public double meanCosine() {
    double c = 0;
    double s = 0;
    double h = cellWidth();
    for (int i = 0; i < values.length; i++) {
      double t = i * h;
      c += values[i] * Math.cos(t);
      s += values[i] * Math.sin(t);
    }
    double sinc = Math.sin(h / 2) / (h / 2);
    c *= h * sinc;
    s *= h * sinc;
    return c * c + s * s;
  }

  /** The cumulative mass at the cell boundaries -h/2 + i h, i = 0..N (0 first, the mass last). */
  double[] cumulative() {
    double h = cellWidth();
    double[] c = new double[values.length + 1];
    for (int i = 0; i < values.length; i++) {
      c[i + 1] = c[i] + h * values[i];
    }
    return c;
  }

  /**
   * n independent angles drawn from the density (uniform within a cell), in [0, 2 pi), from the seed.
   */
  public double[] sample(int n, long seed) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, found " + n);
    }
    double[] c = cumulative();
    double total = c[c.length - 1];
    double h = cellWidth();
    SplittableRandom rng = new SplittableRandom(seed);
    double[] out = new double[n];
    for (int k = 0; k < n; k++) {
      double u = rng.nextDouble() * total;
      int i = Arrays.binarySearch(c, u);
      i = i >= 0 ? Math.min(i, values.length - 1) : -i - 2;
      while (values[i] == 0 && i + 1 < values.length) {
        i++;
      }
      double within = values[i] > 0 ? (u - c[i]) / (h * values[i]) : 0.5;
      double theta = (i - 0.5 + Math.min(1, Math.max(0, within))) * h;
      out[k] = theta - 2 * Math.PI * Math.floor(theta / (2 * Math.PI));
    }
    return out;
  }

  /** Angles as unit vectors (cos, sin) of the plane: the same tokens for the particle simulator. */
  public static TokenCloud onCircle(double[] angles) {
    double[] x = new double[2 * angles.length];
    for (int i = 0; i < angles.length; i++) {
      x[2 * i] = Math.cos(angles[i]);
      x[2 * i + 1] = Math.sin(angles[i]);
    }
    return TokenCloud.ofFlat(angles.length, 2, x);
  }

  /** The angles in [0, 2 pi) of a cloud in the plane. */
  public static double[] angles(TokenCloud cloud) {
    if (cloud.dimension() != 2) {
      throw new IllegalArgumentException("angles need points in the plane, found d=" + cloud.dimension());
    }
    double[] a = new double[cloud.size()];
    for (int i = 0; i < a.length; i++) {
      double t = Math.atan2(cloud.get(i, 1), cloud.get(i, 0));
      a[i] = t < 0 ? t + 2 * Math.PI : t;
    }
    return a;
  }

  /** The mean cosine |(1/n) sum_i e^{i theta_i}|^2 of n angles, the same functional on their empirical measure. */
  public static double meanCosine(double[] angles) {
    double c = 0;
    double s = 0;
    for (double t : angles) {
      c += Math.cos(t);
      s += Math.sin(t);
    }
    c /= angles.length;
    s /= angles.length;
    return c * c + s * s;
  }
}
