package dev.tokendyn.sphere;

import dev.tokendyn.kernel.VectorMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernels of the particle simulation: the dense product C = A B for row-major A (rows x m)
 * and B (m x cols), register-blocked four rows by two vectors, broadcasting elements of A against rows
 * of B, and a row maximum. (The exponential is {@link VectorMath#exp}.)
 *
 * <p>Determinism: every result here is built from IEEE operations that are exact or correctly rounded
 * (add, multiply, fused multiply-add, bit shifts), in a fixed order. So the bits do not depend on the
 * blocking, the thread split, or whether the JIT has compiled the code yet. (The Vector API's own
 * transcendental and reduction operations do not promise that: their compiled and interpreted forms
 * may differ in the last bit.)
 */
final class Kernels {
  static final VectorSpecies<Double> SPECIES = VectorMath.SPECIES;
  /** Doubles per SIMD vector on this machine. */
  static final int LANES = VectorMath.LANES;

  private Kernels() {}

  /** Rounds up to a multiple of {@link #LANES}. */
  static int padded(int x) {
    return (x + LANES - 1) / LANES * LANES;
  }

  /**
   * C[r, c] = sum_{k < m} A[r, k] B[k, c] for r < rows, c < cols. C is overwritten; A and B are not
   * modified.
   *
   * @param a A's storage; row r starts at {@code aOff + r * aStride}
   * @param b B's storage; row k starts at {@code k * bStride}, and column 0 of the product is B's column
   *     {@code bOff}
   * @param cols a multiple of {@link #LANES}, at most bStride - bOff and cStride
   * @param c C's storage; row r starts at {@code cOff + r * cStride}
   */
  static void multiply(double[] a, int aOff, int aStride, int rows, int m,
                       double[] b, int bOff, int bStride, int cols,
                       double[] c, int cOff, int cStride) {
    final int l = LANES;
    int r = 0;
    for (; r + 4 <= rows; r += 4) {
      int a0 = aOff + r * aStride;
      int a1 = a0 + aStride;
      int a2 = a1 + aStride;
      int a3 = a2 + aStride;
      int c0 = cOff + r * cStride;
      int col = 0;
      for (; col + 2 * l <= cols; col += 2 * l) {
        DoubleVector s00 = DoubleVector.zero(SPECIES);
        DoubleVector s01 = DoubleVector.zero(SPECIES);
        DoubleVector s10 = DoubleVector.zero(SPECIES);
        DoubleVector s11 = DoubleVector.zero(SPECIES);
        DoubleVector s20 = DoubleVector.zero(SPECIES);
        DoubleVector s21 = DoubleVector.zero(SPECIES);
        DoubleVector s30 = DoubleVector.zero(SPECIES);
        DoubleVector s31 = DoubleVector.zero(SPECIES);
        for (int k = 0, bo = bOff + col; k < m; k++, bo += bStride) {
          DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bo);
          DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bo + l);
          DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + k]);
          s00 = b0.fma(x, s00);
          s01 = b1.fma(x, s01);
          x = DoubleVector.broadcast(SPECIES, a[a1 + k]);
          s10 = b0.fma(x, s10);
          s11 = b1.fma(x, s11);
          x = DoubleVector.broadcast(SPECIES, a[a2 + k]);
          s20 = b0.fma(x, s20);
          s21 = b1.fma(x, s21);
          x = DoubleVector.broadcast(SPECIES, a[a3 + k]);
          s30 = b0.fma(x, s30);
          s31 = b1.fma(x, s31);
        }
        int o = c0 + col;
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
      for (; col < cols; col += l) {
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        DoubleVector s1 = DoubleVector.zero(SPECIES);
        DoubleVector s2 = DoubleVector.zero(SPECIES);
        DoubleVector s3 = DoubleVector.zero(SPECIES);
        for (int k = 0, bo = bOff + col; k < m; k++, bo += bStride) {
          DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bo);
          s0 = b0.fma(DoubleVector.broadcast(SPECIES, a[a0 + k]), s0);
          s1 = b0.fma(DoubleVector.broadcast(SPECIES, a[a1 + k]), s1);
          s2 = b0.fma(DoubleVector.broadcast(SPECIES, a[a2 + k]), s2);
          s3 = b0.fma(DoubleVector.broadcast(SPECIES, a[a3 + k]), s3);
        }
        int o = c0 + col;
        s0.intoArray(c, o);
        s1.intoArray(c, o + cStride);
        s2.intoArray(c, o + 2 * cStride);
        s3.intoArray(c, o + 3 * cStride);
      }
    }
    for (; r < rows; r++) {
      int a0 = aOff + r * aStride;
      int c0 = cOff + r * cStride;
      for (int col = 0; col < cols; col += l) {
        DoubleVector s0 = DoubleVector.zero(SPECIES);
        for (int k = 0, bo = bOff + col; k < m; k++, bo += bStride) {
          s0 = DoubleVector.fromArray(SPECIES, b, bo).fma(DoubleVector.broadcast(SPECIES, a[a0 + k]), s0);
        }
        s0.intoArray(c, c0 + col);
      }
    }
  }

  /** The maximum of x[off .. off + len), len a multiple of LANES. */
  static double max(double[] x, int off, int len) {
    DoubleVector acc = DoubleVector.broadcast(SPECIES, Double.NEGATIVE_INFINITY);
    for (int j = 0; j < len; j += LANES) {
      acc = acc.max(DoubleVector.fromArray(SPECIES, x, off + j));
    }
    return acc.reduceLanes(VectorOperators.MAX);
  }
}
