package dev.tokendyn.transport;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.kernel.ArrayOps;

/**
 * The ground cost c(x, y) between a point of one cloud and a point of the other.
 *
 * <ul>
 *   <li>{@link #SQEUCLIDEAN}: |x - y|^2, POT's {@code ot.dist(x, y)} default (metric 'sqeuclidean');</li>
 *   <li>{@link #EUCLIDEAN}: |x - y|, POT's {@code ot.dist(x, y, metric='euclidean')};</li>
 *   <li>{@link #GEODESIC}: the squared great-circle angle arccos(&lt;x, y&gt;)^2, for points on the unit
 *       sphere (the solvers refuse a point whose norm is off 1 by more than 1e-6); the inner product is
 *       clamped to [-1, 1] so that rounding cannot give NaN.</li>
 * </ul>
 */
public enum Cost {
  /** |x - y|^2. */
  SQEUCLIDEAN {
    @Override
    double between(double[] x, int xo, double[] y, int yo, int d) {
      return ArrayOps.squaredDistance(x, xo, y, yo, d);
    }
  },
  /** |x - y|. */
  EUCLIDEAN {
    @Override
    double between(double[] x, int xo, double[] y, int yo, int d) {
      return Math.sqrt(ArrayOps.squaredDistance(x, xo, y, yo, d));
    }
  },
  /** arccos(clamp(&lt;x, y&gt;, -1, 1))^2. */
  GEODESIC {
    @Override
    double between(double[] x, int xo, double[] y, int yo, int d) {
      double ip = Math.max(-1.0, Math.min(1.0, ArrayOps.dot(x, xo, y, yo, d)));
      double angle = Math.acos(ip);
      return angle * angle;
    }
  };

  /**
   * Whether a tile of this cost is computed from the inner products X Y^T (geodesic) rather than from the
   * squared distances |x|^2 + |y|^2 - 2 X Y^T.
   */
  boolean tiledByInnerProducts() {
    return this == GEODESIC;
  }

  /** The cost from a tile entry: a squared distance, or an inner product for {@link #GEODESIC}. */
  double fromTile(double v) {
    switch (this) {
      case SQEUCLIDEAN:
        return v;
      case EUCLIDEAN:
        return Math.sqrt(v);
      default:
        double angle = Math.acos(Math.max(-1.0, Math.min(1.0, v)));
        return angle * angle;
    }
  }

  /** The cost between x[xo..xo+d) and y[yo..yo+d); neither array is modified. */
  abstract double between(double[] x, int xo, double[] y, int yo, int d);

  /**
   * The cost between two points of the same dimension.
   *
   * @throws IllegalArgumentException when the lengths differ
   */
  public double between(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("points must have the same dimension, found " + x.length + " vs " + y.length);
    }
    return between(x, 0, y, 0, x.length);
  }

  /** The n x m cost matrix between the points of two clouds, computed now and held in memory. */
  public CostMatrix matrix(TokenCloud x, TokenCloud y) {
    return CostMatrix.between(this, x, y).materialize();
  }
}
