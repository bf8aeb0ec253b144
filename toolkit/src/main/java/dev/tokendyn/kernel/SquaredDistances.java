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
    check(i0, i1, j0, j1, out, off, stride);
    tile(i0, i1, j0, j1, out, off, stride, Warmth.cold(work(i0, i1, j0, j1)));
  }

  /** {@link #tile} by the scalar twin or the vector kernel, as asked; the same bits either way. */
  void tile(int i0, int i1, int j0, int j1, double[] out, int off, int stride, boolean scalar) {
    int cols = j1 - j0;
    products(i0, i1, j0, j1, out, off, stride, scalar);
    if (scalar) {
      for (int i = i0; i < i1; i++) {
        int o = off + (i - i0) * stride;
        double xi = xNorms[i];
        for (int j = 0; j < cols; j++) {
          // the vector form below: max(fma(dot, -2, |x|^2 + |y|^2), 0)
          double v = Math.fma(out[o + j], -2, xi + yNorms[j0 + j]);
          out[o + j] = v > 0 ? v : 0;
        }
      }
      return;
    }
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
   * Rows [i0, i1) of the Gibbs kernel exp((f_i + g_j - D_ij) / eps) for all m columns, row i at
   * out[(i - i0) * m ..]: the same bits as {@link #tile} followed by {@link ArrayOps#gibbs} on each row, with
   * the distances never stored, so a sweep that needs only the kernel makes one pass over the tile instead of
   * two. f and g are read, not modified.
   *
   * @throws IllegalArgumentException when the rows are empty or outside [0, n), or out, f or g is too short
   */
  public void gibbsRows(int i0, int i1, double[] f, double[] g, double eps, double[] out) {
    check(i0, i1, 0, m, out, 0, m);
    if (f.length < i1 || g.length < m) {
      throw new IllegalArgumentException("f needs " + i1 + " and g " + m + " values, found " + f.length + " and "
          + g.length);
    }
    gibbsRows(i0, i1, f, g, eps, out, Warmth.cold(work(i0, i1, 0, m)));
  }

  /** {@link #gibbsRows} by the scalar twin or the vector kernel, as asked; the same bits either way. */
  void gibbsRows(int i0, int i1, double[] f, double[] g, double eps, double[] out, boolean cold) {
    products(i0, i1, 0, m, out, 0, m, cold);
    double inv = 1 / eps;
    DoubleVector minus2 = DoubleVector.broadcast(S, -2);
    DoubleVector vinv = DoubleVector.broadcast(S, inv);
    int bound = cold ? 0 : S.loopBound(m);
    for (int i = i0; i < i1; i++) {
      int o = (i - i0) * m;
      double xi = xNorms[i];
      double fi = f[i];
      int j = 0;
      if (bound > 0) {
        DoubleVector vx = DoubleVector.broadcast(S, xi);
        DoubleVector vf = DoubleVector.broadcast(S, fi);
        for (; j < bound; j += L) {
          DoubleVector dist = DoubleVector.fromArray(S, out, o + j)
              .fma(minus2, vx.add(DoubleVector.fromArray(S, yNorms, j))).max(0);
          VectorMath.exp(DoubleVector.fromArray(S, g, j).add(vf).sub(dist).mul(vinv)).intoArray(out, o + j);
        }
      }
      for (; j < m; j++) {
        double v = Math.fma(out[o + j], -2, xi + yNorms[j]);
        out[o + j] = VectorMath.exp((fi + g[j] - (v > 0 ? v : 0)) * inv);
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
    check(i0, i1, j0, j1, out, off, stride);
    products(i0, i1, j0, j1, out, off, stride, Warmth.cold(work(i0, i1, j0, j1)));
  }

  /** The multiply-adds of a tile's product. */
  private long work(int i0, int i1, int j0, int j1) {
    return (long) (i1 - i0) * (j1 - j0) * d;
  }

  private void check(int i0, int i1, int j0, int j1, double[] out, int off, int stride) {
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
  }

  /**
   * The product tile by the scalar twin while the process is cold ({@link Warmth}), else by the vector
   * kernel; the same bits either way.
   */
  private void products(int i0, int i1, int j0, int j1, double[] out, int off, int stride, boolean scalar) {
    if (scalar) {
      scalarInnerProducts(i0, i1, j0, j1, out, off, stride);
      return;
    }
    for (int r = i0; r < i1; r += ROW_BLOCK) {
      int rows = Math.min(ROW_BLOCK, i1 - r);
      MatrixProduct.multiplyPacked(x, r * d, d, rows, d, panel, j0, j1, out, off + (r - i0) * stride, stride);
    }
  }

  /**
   * The scalar twin of the product tile: each entry the same chain fma(x_ik, y_jk, s) over k in order from
   * s = 0 as {@link MatrixProduct}'s, so the same bits; two rows by four columns at a time keep eight
   * independent chains in registers.
   */
  private void scalarInnerProducts(int i0, int i1, int j0, int j1, double[] out, int off, int stride) {
    int i = i0;
    for (; i + 2 <= i1; i += 2) {
      int a0 = i * d;
      int a1 = a0 + d;
      int o = off + (i - i0) * stride;
      int j = j0;
      for (; j + 4 <= j1; j += 4) {
        int b0 = j * d;
        int b1 = b0 + d;
        int b2 = b1 + d;
        int b3 = b2 + d;
        double s00 = 0;
        double s01 = 0;
        double s02 = 0;
        double s03 = 0;
        double s10 = 0;
        double s11 = 0;
        double s12 = 0;
        double s13 = 0;
        for (int k = 0; k < d; k++) {
          double x0 = x[a0 + k];
          double x1 = x[a1 + k];
          double y0 = y[b0 + k];
          double y1 = y[b1 + k];
          double y2 = y[b2 + k];
          double y3 = y[b3 + k];
          s00 = Math.fma(x0, y0, s00);
          s01 = Math.fma(x0, y1, s01);
          s02 = Math.fma(x0, y2, s02);
          s03 = Math.fma(x0, y3, s03);
          s10 = Math.fma(x1, y0, s10);
          s11 = Math.fma(x1, y1, s11);
          s12 = Math.fma(x1, y2, s12);
          s13 = Math.fma(x1, y3, s13);
        }
        int c = o + j - j0;
        out[c] = s00;
        out[c + 1] = s01;
        out[c + 2] = s02;
        out[c + 3] = s03;
        c += stride;
        out[c] = s10;
        out[c + 1] = s11;
        out[c + 2] = s12;
        out[c + 3] = s13;
      }
      for (; j < j1; j++) {
        out[o + j - j0] = MatrixProduct.dot(x, a0, y, j * d, 1, d);
        out[o + stride + j - j0] = MatrixProduct.dot(x, a1, y, j * d, 1, d);
      }
    }
    for (; i < i1; i++) {
      int o = off + (i - i0) * stride;
      for (int j = j0; j < j1; j++) {
        out[o + j - j0] = MatrixProduct.dot(x, i * d, y, j * d, 1, d);
      }
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
