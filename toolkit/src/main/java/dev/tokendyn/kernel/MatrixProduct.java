package dev.tokendyn.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense product C = A B of row-major double matrices, A (rows x m) and B (m x cols), as a
 * register-blocked SIMD kernel: four rows of A by three vectors of B's row (4 x 24 doubles with AVX-512)
 * are held in twelve accumulators (two or one vectors for the last columns), each element of A is
 * broadcast against the vectors of B, and the loop over column strips is the outer one, so that a strip
 * of B (m x 24 doubles) stays in the first-level cache while every row of A passes over it.
 *
 * <p>Determinism: every entry is one chain of fused multiply-adds over k = 0 .. m-1 in order, started
 * from zero, c = fma(a_k, b_k, c), whatever the blocking, the thread split or the JIT state. So
 * {@link #dot} on a row of A and a column of B gives the same bits as the product's entry, which the
 * squared distances rely on to give exactly 0 for a point and itself.
 */
public final class MatrixProduct {
  private static final VectorSpecies<Double> S = VectorMath.SPECIES;
  private static final int L = VectorMath.LANES;

  private MatrixProduct() {}

  /** Rounds up to a multiple of {@link VectorMath#LANES}. */
  public static int padded(int x) {
    return (x + L - 1) / L * L;
  }

  /**
   * C[r, c] = sum_{k &lt; m} A[r, k] B[k, c] for r &lt; rows, c &lt; cols. The cols entries of each row of C
   * are overwritten and nothing else; A and B are not modified.
   *
   * @param a A's storage; row r starts at {@code aOff + r * aStride}
   * @param b B's storage; row k starts at {@code k * bStride}, and column 0 of the product is B's column
   *     {@code bOff}; each row of B must be readable for cols rounded up to a multiple of
   *     {@link VectorMath#LANES} (zero padding), the extra columns are not written to C
   * @param c C's storage; row r starts at {@code cOff + r * cStride}
   * @throws IndexOutOfBoundsException when an array is too short for the given shape
   */
  public static void multiply(double[] a, int aOff, int aStride, int rows, int m,
                              double[] b, int bOff, int bStride, int cols,
                              double[] c, int cOff, int cStride) {
    int col = 0;
    for (; col + 3 * L <= cols; col += 3 * L) {
      strip3(a, aOff, aStride, rows, m, b, bOff + col, bStride, c, cOff + col, cStride);
    }
    if (col + 2 * L <= cols) {
      // two vectors left (d = 64 with AVX-512: 3 + 3 + 2): eight accumulators instead of two passes of four
      strip2(a, aOff, aStride, rows, m, b, bOff + col, bStride, c, cOff + col, cStride);
      col += 2 * L;
    }
    for (; col < cols; col += L) {
      VectorMask<Double> mask = col + L <= cols ? null : S.indexInRange(col, cols);
      strip1(a, aOff, aStride, rows, m, b, bOff + col, bStride, c, cOff + col, cStride, mask);
    }
  }

  /** Columns [0, 3L) of the product, from B's column bo, into C's column co. */
  private static void strip3(double[] a, int aOff, int aStride, int rows, int m, double[] b, int bo,
                             int bStride, double[] c, int co, int cStride) {
    final int l = L;
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int a0 = aOff + r * aStride;
      int a1 = a0 + aStride;
      int a2 = a1 + aStride;
      int a3 = a2 + aStride;
      DoubleVector s00 = DoubleVector.zero(S);
      DoubleVector s01 = s00;
      DoubleVector s02 = s00;
      DoubleVector s10 = s00;
      DoubleVector s11 = s00;
      DoubleVector s12 = s00;
      DoubleVector s20 = s00;
      DoubleVector s21 = s00;
      DoubleVector s22 = s00;
      DoubleVector s30 = s00;
      DoubleVector s31 = s00;
      DoubleVector s32 = s00;
      for (int k = 0, o = bo; k < m; k++, o += bStride) {
        DoubleVector b0 = DoubleVector.fromArray(S, b, o);
        DoubleVector b1 = DoubleVector.fromArray(S, b, o + l);
        DoubleVector b2 = DoubleVector.fromArray(S, b, o + 2 * l);
        DoubleVector x = DoubleVector.broadcast(S, a[a0 + k]);
        s00 = b0.fma(x, s00);
        s01 = b1.fma(x, s01);
        s02 = b2.fma(x, s02);
        x = DoubleVector.broadcast(S, a[a1 + k]);
        s10 = b0.fma(x, s10);
        s11 = b1.fma(x, s11);
        s12 = b2.fma(x, s12);
        x = DoubleVector.broadcast(S, a[a2 + k]);
        s20 = b0.fma(x, s20);
        s21 = b1.fma(x, s21);
        s22 = b2.fma(x, s22);
        x = DoubleVector.broadcast(S, a[a3 + k]);
        s30 = b0.fma(x, s30);
        s31 = b1.fma(x, s31);
        s32 = b2.fma(x, s32);
      }
      int o = co + r * cStride;
      s00.intoArray(c, o);
      s01.intoArray(c, o + l);
      s02.intoArray(c, o + 2 * l);
      o += cStride;
      s10.intoArray(c, o);
      s11.intoArray(c, o + l);
      s12.intoArray(c, o + 2 * l);
      o += cStride;
      s20.intoArray(c, o);
      s21.intoArray(c, o + l);
      s22.intoArray(c, o + 2 * l);
      o += cStride;
      s30.intoArray(c, o);
      s31.intoArray(c, o + l);
      s32.intoArray(c, o + 2 * l);
    }
    if (r < rows) {
      strip3Rows(a, aOff, aStride, r, rows, m, b, bo, bStride, c, co, cStride);
    }
  }

  /**
   * Rows [r0, rows) of {@link #strip3}, one at a time: a method of its own, so that the JIT's code for the
   * four-row loop is not thrown away the first time a block ends with fewer than four rows.
   */
  private static void strip3Rows(double[] a, int aOff, int aStride, int r0, int rows, int m, double[] b, int bo,
                                 int bStride, double[] c, int co, int cStride) {
    final int l = L;
    for (int r = r0; r < rows; r++) {
      int a0 = aOff + r * aStride;
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      for (int k = 0, o = bo; k < m; k++, o += bStride) {
        DoubleVector x = DoubleVector.broadcast(S, a[a0 + k]);
        s0 = DoubleVector.fromArray(S, b, o).fma(x, s0);
        s1 = DoubleVector.fromArray(S, b, o + l).fma(x, s1);
        s2 = DoubleVector.fromArray(S, b, o + 2 * l).fma(x, s2);
      }
      int o = co + r * cStride;
      s0.intoArray(c, o);
      s1.intoArray(c, o + l);
      s2.intoArray(c, o + 2 * l);
    }
  }

  /** Columns [0, 2L) of the product, from B's column bo, into C's column co: four rows by two vectors. */
  private static void strip2(double[] a, int aOff, int aStride, int rows, int m, double[] b, int bo,
                             int bStride, double[] c, int co, int cStride) {
    final int l = L;
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int a0 = aOff + r * aStride;
      int a1 = a0 + aStride;
      int a2 = a1 + aStride;
      int a3 = a2 + aStride;
      DoubleVector s00 = DoubleVector.zero(S);
      DoubleVector s01 = s00;
      DoubleVector s10 = s00;
      DoubleVector s11 = s00;
      DoubleVector s20 = s00;
      DoubleVector s21 = s00;
      DoubleVector s30 = s00;
      DoubleVector s31 = s00;
      for (int k = 0, o = bo; k < m; k++, o += bStride) {
        DoubleVector b0 = DoubleVector.fromArray(S, b, o);
        DoubleVector b1 = DoubleVector.fromArray(S, b, o + l);
        DoubleVector x = DoubleVector.broadcast(S, a[a0 + k]);
        s00 = b0.fma(x, s00);
        s01 = b1.fma(x, s01);
        x = DoubleVector.broadcast(S, a[a1 + k]);
        s10 = b0.fma(x, s10);
        s11 = b1.fma(x, s11);
        x = DoubleVector.broadcast(S, a[a2 + k]);
        s20 = b0.fma(x, s20);
        s21 = b1.fma(x, s21);
        x = DoubleVector.broadcast(S, a[a3 + k]);
        s30 = b0.fma(x, s30);
        s31 = b1.fma(x, s31);
      }
      int o = co + r * cStride;
      s00.intoArray(c, o);
      s01.intoArray(c, o + l);
      o += cStride;
      s10.intoArray(c, o);
      s11.intoArray(c, o + l);
      o += cStride;
      s20.intoArray(c, o);
      s21.intoArray(c, o + l);
      o += cStride;
      s30.intoArray(c, o);
      s31.intoArray(c, o + l);
    }
    for (; r < rows; r++) {
      int a0 = aOff + r * aStride;
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = s0;
      for (int k = 0, o = bo; k < m; k++, o += bStride) {
        DoubleVector x = DoubleVector.broadcast(S, a[a0 + k]);
        s0 = DoubleVector.fromArray(S, b, o).fma(x, s0);
        s1 = DoubleVector.fromArray(S, b, o + l).fma(x, s1);
      }
      int o = co + r * cStride;
      s0.intoArray(c, o);
      s1.intoArray(c, o + l);
    }
  }

  /** One vector of columns of the product; with a mask, only its set lanes are written. */
  private static void strip1(double[] a, int aOff, int aStride, int rows, int m, double[] b, int bo,
                             int bStride, double[] c, int co, int cStride, VectorMask<Double> mask) {
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int a0 = aOff + r * aStride;
      int a1 = a0 + aStride;
      int a2 = a1 + aStride;
      int a3 = a2 + aStride;
      DoubleVector s0 = DoubleVector.zero(S);
      DoubleVector s1 = s0;
      DoubleVector s2 = s0;
      DoubleVector s3 = s0;
      for (int k = 0, o = bo; k < m; k++, o += bStride) {
        DoubleVector b0 = DoubleVector.fromArray(S, b, o);
        s0 = b0.fma(DoubleVector.broadcast(S, a[a0 + k]), s0);
        s1 = b0.fma(DoubleVector.broadcast(S, a[a1 + k]), s1);
        s2 = b0.fma(DoubleVector.broadcast(S, a[a2 + k]), s2);
        s3 = b0.fma(DoubleVector.broadcast(S, a[a3 + k]), s3);
      }
      int o = co + r * cStride;
      store(s0, c, o, mask);
      store(s1, c, o + cStride, mask);
      store(s2, c, o + 2 * cStride, mask);
      store(s3, c, o + 3 * cStride, mask);
    }
    for (; r < rows; r++) {
      int a0 = aOff + r * aStride;
      DoubleVector s0 = DoubleVector.zero(S);
      for (int k = 0, o = bo; k < m; k++, o += bStride) {
        s0 = DoubleVector.fromArray(S, b, o).fma(DoubleVector.broadcast(S, a[a0 + k]), s0);
      }
      store(s0, c, co + r * cStride, mask);
    }
  }

  private static void store(DoubleVector v, double[] c, int o, VectorMask<Double> mask) {
    if (mask == null) {
      v.intoArray(c, o);
    } else {
      v.intoArray(c, o, mask);
    }
  }

  /** Columns of the product per strip of a packed panel: three vectors. */
  public static final int STRIP = 3 * L;

  /**
   * Y (m x d, row-major) packed as the right operand of {@link #multiplyPacked}: Y^T cut into strips of
   * {@link #STRIP} columns, each strip d x STRIP row-major and contiguous, so that the kernel streams it
   * from memory in order; the last strip is zero-padded. y is not modified.
   */
  public static double[] packRows(double[] y, int m, int d) {
    int strips = (m + STRIP - 1) / STRIP;
    double[] p = new double[strips * STRIP * d];
    for (int j = 0; j < m; j++) {
      int base = (j / STRIP) * STRIP * d + j % STRIP;
      int o = j * d;
      for (int k = 0; k < d; k++) {
        p[base + k * STRIP] = y[o + k];
      }
    }
    return p;
  }

  /**
   * C[r, j - j0] = sum_{k &lt; d} A[r, k] Y[j, k] for r &lt; rows and j in [j0, j1): the tile of A Y^T, with
   * Y given as {@link #packRows}'s panel. Only those entries of C are written; A and the panel are not
   * modified. The same bits as {@link #multiply} on Y^T.
   *
   * @param a A's storage; row r starts at {@code aOff + r * aStride}
   * @param c C's storage; row r starts at {@code cOff + r * cStride}
   */
  public static void multiplyPacked(double[] a, int aOff, int aStride, int rows, int d, double[] panel,
                                    int j0, int j1, double[] c, int cOff, int cStride) {
    for (int s = j0 / STRIP; s * STRIP < j1; s++) {
      int start = s * STRIP;
      if (start >= j0 && start + STRIP <= j1) {
        strip3(a, aOff, aStride, rows, d, panel, start * d, STRIP, c, cOff + start - j0, cStride);
      } else {
        stripPart(a, aOff, aStride, rows, d, panel, start, j0, j1, c, cOff, cStride);
      }
    }
  }

  /** A strip that is only partly inside [j0, j1): computed whole, stored through masks. */
  private static void stripPart(double[] a, int aOff, int aStride, int rows, int d, double[] panel, int start,
                                int j0, int j1, double[] c, int cOff, int cStride) {
    int lo = Math.max(j0, start);
    int hi = Math.min(j1, start + STRIP);
    double[] t = new double[STRIP];
    for (int r = 0; r < rows; r++) {
      int a0 = aOff + r * aStride;
      for (int v = 0; v < 3; v++) {
        DoubleVector s0 = DoubleVector.zero(S);
        for (int k = 0, o = start * d + v * L; k < d; k++, o += STRIP) {
          s0 = DoubleVector.fromArray(S, panel, o).fma(DoubleVector.broadcast(S, a[a0 + k]), s0);
        }
        s0.intoArray(t, v * L);
      }
      System.arraycopy(t, lo - start, c, cOff + r * cStride + lo - j0, hi - lo);
    }
  }

  /**
   * A B^T for row-major a (n x d) and b (m x d), as a new row-major n x m array: b packed by
   * {@link #packRows}, then {@link #timesTransposedPacked}.
   */
  public static double[] timesTransposed(double[] a, int n, double[] b, int m, int d) {
    return timesTransposedPacked(a, n, packRows(b, m, d), m, d);
  }

  /**
   * A B^T for row-major a (n x d) and B given as {@link #packRows}'s panel of its m rows, as a new
   * row-major n x m array. Every strip of the panel runs through the register-blocked path into a
   * buffer as wide as the padded panel (the padding's columns are dropped), rows of A 32 at a time; of the
   * last strip, only the vectors that hold real columns (for a text of 32 tokens with 8 lanes, one of
   * three). Entry (i, j) is the same chain as {@link #dot}, so A A^T is exactly symmetric. While the process
   * is cold ({@link Warmth}) a plain loop computes the same chains.
   */
  public static double[] timesTransposedPacked(double[] a, int n, double[] panel, int m, int d) {
    if (Warmth.cold((long) n * m * d)) {
      // the same chains of fused multiply-adds as the vector kernel, without its warm-up (Warmth)
      double[] out = new double[n * m];
      for (int j = 0; j < m; j++) {
        int base = (j / STRIP) * STRIP * d + j % STRIP;
        for (int i = 0; i < n; i++) {
          int o = i * d;
          double c = 0;
          for (int k = 0; k < d; k++) {
            c = Math.fma(a[o + k], panel[base + k * STRIP], c);
          }
          out[i * m + j] = c;
        }
      }
      return out;
    }
    int width = (m + STRIP - 1) / STRIP * STRIP;
    double[] wide = new double[n * width];
    for (int r = 0; r < n; r += 32) {
      int rows = Math.min(32, n - r);
      for (int start = 0; start < m; start += STRIP) {
        // a last strip with at most two vectors of real columns skips the padding's vectors
        int real = Math.min(STRIP, m - start);
        int co = r * width + start;
        if (real > 2 * L) {
          strip3(a, r * d, d, rows, d, panel, start * d, STRIP, wide, co, width);
        } else if (real > L) {
          strip2(a, r * d, d, rows, d, panel, start * d, STRIP, wide, co, width);
        } else {
          strip1(a, r * d, d, rows, d, panel, start * d, STRIP, wide, co, width, null);
        }
      }
    }
    if (width == m) {
      return wide;
    }
    double[] out = new double[n * m];
    for (int i = 0; i < n; i++) {
      System.arraycopy(wide, i * width, out, i * m, m);
    }
    return out;
  }

  /**
   * sum_{k &lt; len} x[xo + k] y[yo + k * yStride] as one chain of fused multiply-adds in k order, the same
   * bits as an entry of {@link #multiply}.
   */
  public static double dot(double[] x, int xo, double[] y, int yo, int yStride, int len) {
    double s = 0;
    for (int k = 0; k < len; k++) {
      s = Math.fma(x[xo + k], y[yo + k * yStride], s);
    }
    return s;
  }

  /**
   * The transpose of the rows x cols row-major matrix x (row stride {@code cols}), as a cols x width
   * row-major matrix, width &gt;= rows; columns rows .. width-1 are zero. x is not modified.
   */
  public static double[] transposed(double[] x, int rows, int cols, int width) {
    if (width < rows) {
      throw new IllegalArgumentException("width must be >= rows = " + rows + ", found " + width);
    }
    double[] t = new double[cols * width];
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      for (int k = 0; k < cols; k++) {
        t[k * width + r] = x[o + k];
      }
    }
    return t;
  }

  /**
   * The 4 x 4 dot products sum_{i &lt; len} q[(j0 + a) nl + i] q[(k0 + b) nl + i] of rows j0..j0+3 and
   * k0..k0+3 of q (row stride nl; len a multiple of {@link VectorMath#LANES}) into dots[4 a + b]: a tile of
   * Q Q^T with the lanes along the rows, each sum's lanes added in order by {@link VectorMath#sumLanes}.
   * {@code lanes} is scratch of at least LANES doubles; q is not modified.
   */
  public static void rowDots4x4(double[] qt, int nl, int j0, int k0, int len, double[] dots, double[] lanes) {
    DoubleVector s00 = DoubleVector.zero(S);
    DoubleVector s01 = s00;
    DoubleVector s02 = s00;
    DoubleVector s03 = s00;
    DoubleVector s10 = s00;
    DoubleVector s11 = s00;
    DoubleVector s12 = s00;
    DoubleVector s13 = s00;
    DoubleVector s20 = s00;
    DoubleVector s21 = s00;
    DoubleVector s22 = s00;
    DoubleVector s23 = s00;
    DoubleVector s30 = s00;
    DoubleVector s31 = s00;
    DoubleVector s32 = s00;
    DoubleVector s33 = s00;
    int x0 = j0 * nl;
    int y0 = k0 * nl;
    for (int i = 0; i < len; i += L) {
      DoubleVector x = DoubleVector.fromArray(S, qt, x0 + i);
      DoubleVector y = DoubleVector.fromArray(S, qt, y0 + i);
      s00 = x.fma(y, s00);
      DoubleVector y1 = DoubleVector.fromArray(S, qt, y0 + nl + i);
      s01 = x.fma(y1, s01);
      DoubleVector y2 = DoubleVector.fromArray(S, qt, y0 + 2 * nl + i);
      s02 = x.fma(y2, s02);
      DoubleVector y3 = DoubleVector.fromArray(S, qt, y0 + 3 * nl + i);
      s03 = x.fma(y3, s03);
      x = DoubleVector.fromArray(S, qt, x0 + nl + i);
      s10 = x.fma(y, s10);
      s11 = x.fma(y1, s11);
      s12 = x.fma(y2, s12);
      s13 = x.fma(y3, s13);
      x = DoubleVector.fromArray(S, qt, x0 + 2 * nl + i);
      s20 = x.fma(y, s20);
      s21 = x.fma(y1, s21);
      s22 = x.fma(y2, s22);
      s23 = x.fma(y3, s23);
      x = DoubleVector.fromArray(S, qt, x0 + 3 * nl + i);
      s30 = x.fma(y, s30);
      s31 = x.fma(y1, s31);
      s32 = x.fma(y2, s32);
      s33 = x.fma(y3, s33);
    }
    // one call per accumulator: an array of vectors would keep the JIT from holding them in registers
    dots[0] = VectorMath.sumLanes(s00, lanes);
    dots[1] = VectorMath.sumLanes(s01, lanes);
    dots[2] = VectorMath.sumLanes(s02, lanes);
    dots[3] = VectorMath.sumLanes(s03, lanes);
    dots[4] = VectorMath.sumLanes(s10, lanes);
    dots[5] = VectorMath.sumLanes(s11, lanes);
    dots[6] = VectorMath.sumLanes(s12, lanes);
    dots[7] = VectorMath.sumLanes(s13, lanes);
    dots[8] = VectorMath.sumLanes(s20, lanes);
    dots[9] = VectorMath.sumLanes(s21, lanes);
    dots[10] = VectorMath.sumLanes(s22, lanes);
    dots[11] = VectorMath.sumLanes(s23, lanes);
    dots[12] = VectorMath.sumLanes(s30, lanes);
    dots[13] = VectorMath.sumLanes(s31, lanes);
    dots[14] = VectorMath.sumLanes(s32, lanes);
    dots[15] = VectorMath.sumLanes(s33, lanes);
  }
}
