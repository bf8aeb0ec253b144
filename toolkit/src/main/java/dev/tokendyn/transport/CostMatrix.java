package dev.tokendyn.transport;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.kernel.SquaredDistances;
import java.util.Arrays;

/**
 * An n x m cost matrix M, M[i][j] = c(x_i, y_j), held either in memory (row-major) or implicitly as two
 * clouds and a {@link Cost}, so that a solver can compute rows on the fly when n*m is too large to hold.
 * Rows are computed in blocks as a matrix product, |x|^2 + |y|^2 - 2 X Y^T ({@link SquaredDistances}),
 * for every cost: the Euclidean cost is its square root, the geodesic one arccos of the clamped X Y^T.
 *
 * <p>Immutable: factories copy their input and {@link #toFlatArray()} returns a copy.
 */
public final class CostMatrix {
  /** Rows per block of {@link #rows} calls when the whole matrix is computed. */
  static final int ROW_BLOCK = 32;
  private final int n;
  private final int m;
  private final double[] values;
  private final Cost cost;
  private final double[] x;
  private final double[] y;
  private final int d;
  /** The tile kernel over x and y; null when the values are held. */
  private final SquaredDistances tiles;

  private CostMatrix(int n, int m, double[] values, Cost cost, double[] x, double[] y, int d) {
    this.n = n;
    this.m = m;
    this.values = values;
    this.cost = cost;
    this.x = x;
    this.y = y;
    this.d = d;
    this.tiles = values == null ? SquaredDistances.between(x, n, y, m, d) : null;
  }

  /**
   * A cost matrix from n rows of length m; copied.
   *
   * @throws IllegalArgumentException when it is empty, ragged or holds a non-finite value
   */
  public static CostMatrix of(double[][] rows) {
    if (rows.length == 0 || rows[0].length == 0) {
      throw new IllegalArgumentException("a cost matrix needs at least one row and one column, found "
          + rows.length + "x" + (rows.length == 0 ? 0 : rows[0].length));
    }
    int m = rows[0].length;
    double[] flat = new double[rows.length * m];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != m) {
        throw new IllegalArgumentException("cost matrix rows must have equal length: row 0 has " + m
            + ", row " + i + " has " + rows[i].length);
      }
      System.arraycopy(rows[i], 0, flat, i * m, m);
    }
    return ofFlat(rows.length, m, flat);
  }

  /** A cost matrix from row-major values of length n*m; copied. */
  public static CostMatrix ofFlat(int n, int m, double[] values) {
    if (n < 1 || m < 1) {
      throw new IllegalArgumentException("a cost matrix needs n, m >= 1, found " + n + "x" + m);
    }
    if (values.length != (long) n * m) {
      throw new IllegalArgumentException("cost values must have length n*m = " + n + "*" + m + ", found " + values.length);
    }
    for (int k = 0; k < values.length; k++) {
      if (!Double.isFinite(values[k])) {
        throw new IllegalArgumentException("cost[" + (k / m) + "][" + (k % m) + "] is " + values[k] + "; costs must be finite");
      }
    }
    return new CostMatrix(n, m, values.clone(), null, null, null, 0);
  }

  /**
   * The cost between the points of two clouds, not yet computed: rows are computed when asked for.
   *
   * @throws IllegalArgumentException when the dimensions differ, the costs would overflow, or (geodesic)
   *     a point is off the unit sphere ({@link Scale})
   */
  public static CostMatrix between(Cost cost, TokenCloud x, TokenCloud y) {
    if (x.dimension() != y.dimension()) {
      throw new IllegalArgumentException("clouds must have the same dimension, found d=" + x.dimension()
          + " (source) vs d=" + y.dimension() + " (target)");
    }
    Scale.check(cost, x, y);
    double[] xf = x.toFlatArray();
    // a cloud against itself shares its points, which lets materialize compute half the matrix
    return new CostMatrix(x.size(), y.size(), null, cost, xf, x == y ? xf : y.toFlatArray(), x.dimension());
  }

  /**
   * The squared Euclidean cost between the points of two clouds, all computed now with the products in
   * single precision ({@link dev.tokendyn.kernel.SingleDistances}): an entry is within about 1e-7 of the
   * typical distance of the exact one, for about 0.4 of the time. For large problems whose solvers need
   * costs right to about 1e-6 only (a Sinkhorn divergence stopped at a marginal error of 1e-5), or that
   * cost their result exactly afterwards. The same cloud twice gives the symmetric matrix, with a zero
   * diagonal, for half the products.
   *
   * @throws IllegalArgumentException when the dimensions differ or the matrix is too large to hold
   */
  public static CostMatrix squaredEuclideanInSingle(TokenCloud x, TokenCloud y) {
    if (x.dimension() != y.dimension()) {
      throw new IllegalArgumentException("clouds must have the same dimension, found d=" + x.dimension()
          + " (source) vs d=" + y.dimension() + " (target)");
    }
    Scale.check(Cost.SQEUCLIDEAN, x, y);
    double[] xf = x.toFlatArray();
    double[] yf = x == y ? xf : y.toFlatArray();
    double[] v = dev.tokendyn.kernel.SingleDistances.between(xf, x.size(), yf, y.size(), x.dimension());
    return new CostMatrix(x.size(), y.size(), v, null, null, null, 0);
  }

  /** Number of rows n (source points). */
  public int rows() {
    return n;
  }

  /** Number of columns m (target points). */
  public int cols() {
    return m;
  }

  /** Whether the n*m values are held in memory. */
  public boolean isMaterialized() {
    return values != null;
  }

  /** M[i][j]; the same bits as the entry of {@link #rows}. */
  public double get(int i, int j) {
    if (values != null) {
      return values[i * m + j];
    }
    return cost.fromTile(cost.tiledByInnerProducts() ? tiles.innerProduct(i, j) : tiles.get(i, j));
  }

  /** Writes row i into out[off..off+m). */
  void row(int i, double[] out, int off) {
    rows(i, i + 1, out, off);
  }

  /** Writes rows [i0, i1) into out, row i at off + (i - i0) * m. */
  void rows(int i0, int i1, double[] out, int off) {
    if (values != null) {
      System.arraycopy(values, i0 * m, out, off, (i1 - i0) * m);
      return;
    }
    if (cost.tiledByInnerProducts()) {
      tiles.innerProducts(i0, i1, 0, m, out, off, m);
    } else {
      tiles.tile(i0, i1, 0, m, out, off, m);
    }
    if (cost != Cost.SQEUCLIDEAN) {
      int end = off + (i1 - i0) * m;
      for (int k = off; k < end; k++) {
        out[k] = cost.fromTile(out[k]);
      }
    }
  }

  /** Whether {@link #gibbsRows} is available: squared Euclidean costs computed on the fly. */
  boolean fusesGibbs() {
    return values == null && cost == Cost.SQEUCLIDEAN;
  }

  /**
   * Rows [i0, i1) of the Gibbs kernel exp((f_i + g_j - M_ij) / eps) into out (row i at (i - i0) * m), the same
   * bits as {@link #rows} followed by the kernel, in one pass over the tile; only when {@link #fusesGibbs}.
   */
  void gibbsRows(int i0, int i1, double[] f, double[] g, double eps, double[] out) {
    if (!fusesGibbs()) {
      throw new IllegalStateException("the fused kernel needs squared Euclidean costs computed on the fly");
    }
    tiles.gibbsRows(i0, i1, f, g, eps, out);
  }

  /** The dimension of the points, 0 for a matrix given by its values. */
  int dimension() {
    return d;
  }

  /**
   * The submatrix of the given rows and columns (each strictly increasing): a copy when this one is held
   * in memory, otherwise again computed on the fly; this matrix itself when all rows and columns are kept.
   */
  CostMatrix restrict(int[] keepRows, int[] keepCols) {
    if (keepRows.length == n && keepCols.length == m) {
      return this;
    }
    int n2 = keepRows.length;
    int m2 = keepCols.length;
    if (values != null) {
      double[] v = new double[n2 * m2];
      for (int r = 0; r < n2; r++) {
        for (int s = 0; s < m2; s++) {
          v[r * m2 + s] = values[keepRows[r] * m + keepCols[s]];
        }
      }
      return new CostMatrix(n2, m2, v, null, null, null, 0);
    }
    double[] x2 = new double[n2 * d];
    double[] y2 = new double[m2 * d];
    for (int r = 0; r < n2; r++) {
      System.arraycopy(x, keepRows[r] * d, x2, r * d, d);
    }
    for (int s = 0; s < m2; s++) {
      System.arraycopy(y, keepCols[s] * d, y2, s * d, d);
    }
    return new CostMatrix(n2, m2, null, cost, x2, y2, d);
  }

  /** The values in memory, not copied; only for a materialized matrix. */
  double[] values() {
    return values;
  }

  /** This matrix with all n*m values computed and held in memory (this one when already so). */
  public CostMatrix materialize() {
    if (values != null) {
      return this;
    }
    if ((long) n * m > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a " + n + "x" + m + " cost matrix is too large to hold in memory");
    }
    double[] v = new double[n * m];
    if (x == y) {
      materializeSymmetric(v);
      return new CostMatrix(n, m, v, null, null, null, 0);
    }
    int chunks = Chunks.count(n, (long) m * d);
    Chunks.run(chunks, c -> {
      int end = Chunks.start(c + 1, chunks, n);
      for (int i = Chunks.start(c, chunks, n); i < end; i += ROW_BLOCK) {
        int i1 = Math.min(end, i + ROW_BLOCK);
        rows(i, i1, v, i * m);
      }
    });
    return new CostMatrix(n, m, v, null, null, null, 0);
  }

  /**
   * The cost of a cloud against itself: the blocks on and above the diagonal, each of {@value #ROW_BLOCK}
   * rows, then the rest as their transposes. An entry of the tile kernel has the same bits as its mirror
   * (the products are the same chain of fused multiply-adds, the norms' sum commutes), so the matrix is the
   * one a full computation gives, for about half the arithmetic.
   */
  private void materializeSymmetric(double[] v) {
    int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
    // each block row writes only its own entries: the order the blocks run in changes no bit
    Chunks.run(blocks, b -> {
      int i0 = b * ROW_BLOCK;
      int i1 = Math.min(n, i0 + ROW_BLOCK);
      if (cost.tiledByInnerProducts()) {
        tiles.innerProducts(i0, i1, i0, m, v, i0 * m + i0, m);
      } else {
        tiles.tile(i0, i1, i0, m, v, i0 * m + i0, m);
      }
      if (cost != Cost.SQEUCLIDEAN) {
        for (int i = i0; i < i1; i++) {
          for (int j = i0; j < m; j++) {
            v[i * m + j] = cost.fromTile(v[i * m + j]);
          }
        }
      }
    });
    // below the diagonal blocks, block by block so that both sides stay in cache
    Chunks.run(blocks, b -> {
      int i0 = b * ROW_BLOCK;
      int i1 = Math.min(n, i0 + ROW_BLOCK);
      for (int j0 = 0; j0 < i0; j0 += ROW_BLOCK) {
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j0 + ROW_BLOCK; j++) {
            v[i * m + j] = v[j * m + i];
          }
        }
      }
    });
  }

  /** A copy of the row-major values (computed now when not held). */
  public double[] toFlatArray() {
    return materialize().values.clone();
  }

  /**
   * The median of M, exact when n*m &lt;= 2^12, otherwise the median of a fixed, evenly strided sample of
   * 2^12 entries (the same entries on every call).
   */
  public double median() {
    long total = (long) n * m;
    int k = (int) Math.min(total, 1 << 12);
    double[] s = new double[k];
    for (int t = 0; t < k; t++) {
      long idx = total == k ? t : (long) ((double) t * total / k);
      s[t] = get((int) (idx / m), (int) (idx % m));
    }
    Arrays.sort(s);
    return k % 2 == 1 ? s[k / 2] : 0.5 * (s[k / 2 - 1] + s[k / 2]);
  }

  @Override
  public String toString() {
    return "CostMatrix[" + n + "x" + m + (values != null ? "" : ", " + cost + " on the fly") + "]";
  }
}
