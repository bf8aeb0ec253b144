package dev.tokendyn.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Squared Euclidean distances between the rows of X (n x d) and the rows of Y (m x d), computed in
 * tiles as a matrix product: D_ij = max(0, |x_i|^2 + |y_j|^2 - 2 &lt;x_i, y_j&gt;), with X Y^T by the
 * register-blocked kernel of {@link MatrixProduct} (2 n m d flops), so that a tile costs what a
 * matrix product costs rather than n m separate d-length differences.
 *
 * <p>Exactness: |x_i|^2 is computed by the same chain of fused multiply-adds as the product's entries,
 * so D_ii = 0 exactly when x_i = y_i (a point and its copy), and the result is clamped at 0, so rounding
 * never makes a distance negative. Otherwise an entry differs from the direct sum of squared
 * differences by rounding only, about 1e-16 (|x|^2 + |y|^2).
 *
 * <p>Immutable and thread-safe: the constructor copies X and packs Y^T; the tile methods write only into
 * the caller's array. One instance serves many tiles (a solver's sweeps).
 */
public final class SquaredDistances {
  private static final VectorSpecies<Double> S = VectorMath.SPECIES;
  private static final int L = VectorMath.LANES;
  /** Rows of X per call of the product kernel: 32 rows of d = 64 doubles (16 KiB) stay in L1 with a strip of Y^T. */
  private static final int ROW_BLOCK = 32;

  private final int n;
  private final int m;
  private final int d;
  private final double[] x;
  /** Y packed for {@link MatrixProduct#multiplyPacked}. */
  private final double[] panel;
  /** Y, row-major, for single entries. */
  private final double[] y;
  private final double[] xNorms;
  private final double[] yNorms;

  private SquaredDistances(double[] x, int n, double[] y, int m, int d) {
    if (n < 1 || m < 1 || d < 1) {
      throw new IllegalArgumentException("need n, m, d >= 1, found n=" + n + " m=" + m + " d=" + d);
    }
    if (x.length < (long) n * d) {
      throw new IllegalArgumentException("x must hold n*d = " + n + "*" + d + " values, found " + x.length);
    }
    if (y.length < (long) m * d) {
      throw new IllegalArgumentException("y must hold m*d = " + m + "*" + d + " values, found " + y.length);
    }
    this.n = n;
    this.m = m;
    this.d = d;
    this.x = java.util.Arrays.copyOf(x, n * d);
    this.y = java.util.Arrays.copyOf(y, m * d);
    this.panel = MatrixProduct.packRows(y, m, d);
    this.xNorms = norms(this.x, n, d);
    this.yNorms = norms(y, m, d);
  }

  /**
   * The distances between the n rows of x and the m rows of y, both row-major with row length d; the
   * arrays are copied, not modified.
   *
   * @throws IllegalArgumentException when a size is below 1 or an array is shorter than its shape
   */
  public static SquaredDistances between(double[] x, int n, double[] y, int m, int d) {
    return new SquaredDistances(x, n, y, m, d);
  }

  /** |z_r|^2 for each row, by the chain of {@link MatrixProduct#dot}. */
  private static double[] norms(double[] z, int rows, int d) {
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = MatrixProduct.dot(z, r * d, z, r * d, 1, d);
    }
    return out;
  }

  public int rows() {
    return n;
  }

  public int cols() {
    return m;
  }

  public int dimension() {
    return d;
  }

  /** |x_i|^2. */
  public double rowNorm(int i) {
    return xNorms[i];
  }

  /** |y_j|^2. */
  public double colNorm(int j) {
    return yNorms[j];
  }

  /** D_ij, the same bits as the tile's entry. */
  public double get(int i, int j) {
    double dot = MatrixProduct.dot(x, i * d, y, j * d, 1, d);
    return Math.max(0, Math.fma(-2, dot, xNorms[i] + yNorms[j]));
  }

  /** &lt;x_i, y_j&gt;, the same bits as the entry of {@link #innerProducts}. */
  public double innerProduct(int i, int j) {
    return MatrixProduct.dot(x, i * d, y, j * d, 1, d);
  }

  /**
   * The tile D[i0..i1) x [j0..j1): entry (i, j) into out[off + (i - i0) * stride + (j - j0)]; nothing
   * else of out is written.
   *
   * @throws IllegalArgumentException when the ranges are empty or outside [0, n) x [0, m), or stride &lt; j1 - j0
   */
  public void tile(int i0, int i1, int j0, int j1, double[] out, int off, int stride) {
    innerProducts(i0, i1, j0, j1, out, off, stride);
    int cols = j1 - j0;
    DoubleVector minus2 = DoubleVector.broadcast(S, -2);
    for (int i = i0; i < i1; i++) {
      int o = off + (i - i0) * stride;
      DoubleVector xi = DoubleVector.broadcast(S, xNorms[i]);
      int j = 0;
      for (; j + L <= cols; j += L) {
        DoubleVector dot = DoubleVector.fromArray(S, out, o + j);
        DoubleVector sum = xi.add(DoubleVector.fromArray(S, yNorms, j0 + j));
        dot.fma(minus2, sum).max(0).intoArray(out, o + j);
      }
      if (j < cols) {
        VectorMask<Double> mask = S.indexInRange(j, cols);
        DoubleVector dot = DoubleVector.fromArray(S, out, o + j, mask);
        DoubleVector sum = xi.add(DoubleVector.fromArray(S, yNorms, j0 + j, mask));
        dot.fma(minus2, sum).max(0).intoArray(out, o + j, mask);
      }
    }
  }

  /**
   * The tile of X Y^T: &lt;x_i, y_j&gt; for i in [i0, i1), j in [j0, j1), into out as {@link #tile} places
   * it.
   *
   * @throws IllegalArgumentException when the ranges are empty or outside [0, n) x [0, m), or stride &lt; j1 - j0
   */
  public void innerProducts(int i0, int i1, int j0, int j1, double[] out, int off, int stride) {
    if (i0 < 0 || i1 > n || i0 >= i1 || j0 < 0 || j1 > m || j0 >= j1) {
      throw new IllegalArgumentException("tile [" + i0 + ", " + i1 + ") x [" + j0 + ", " + j1
          + ") must be a non-empty part of " + n + " x " + m);
    }
    if (stride < j1 - j0) {
      throw new IllegalArgumentException("stride must be >= the tile's width " + (j1 - j0) + ", found " + stride);
    }
    if (off < 0 || off + (long) (i1 - i0 - 1) * stride + (j1 - j0) > out.length) {
      throw new IllegalArgumentException("out holds " + out.length + " values, too few for a "
          + (i1 - i0) + " x " + (j1 - j0) + " tile of stride " + stride + " at " + off);
    }
    for (int r = i0; r < i1; r += ROW_BLOCK) {
      int rows = Math.min(ROW_BLOCK, i1 - r);
      MatrixProduct.multiplyPacked(x, r * d, d, rows, d, panel, j0, j1, out, off + (r - i0) * stride, stride);
    }
  }

  /** The whole n x m matrix, row-major, computed in parallel row blocks. */
  public double[] matrix() {
    if ((long) n * m > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a " + n + " x " + m + " matrix is too large for one array");
    }
    double[] out = new double[n * m];
    int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
    java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> {
      int i0 = b * ROW_BLOCK;
      tile(i0, Math.min(n, i0 + ROW_BLOCK), 0, m, out, i0 * m, m);
    });
    return out;
  }
}
