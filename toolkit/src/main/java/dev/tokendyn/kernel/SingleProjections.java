package dev.tokendyn.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Projections of points on a fixed set of directions in single precision, for values that only have to
 * land in the right bin of a histogram: twice the lanes of the double product, and each projection written
 * straight into the buffer of its direction, without a points x directions matrix to transpose. Each value
 * is one chain of fused multiply-adds in float over the coordinates in order, rounded from the doubles
 * given, so the result is the same bit for bit compiled or not, and on any thread.
 *
 * <pre>{@code
 * float[] panel = SingleProjections.pack(directions, 64, 384);  // row-major 64 x 384
 * SingleProjections.project(points, 384, keep, 0, keep.length, panel, 64, buffers, 0);
 * }</pre>
 */
public final class SingleProjections {
  static final VectorSpecies<Float> S = ArrayOps.F;
  private static final int L = S.length();
  /** Column vectors per block: four, for two rows in eight accumulators. */
  private static final int BLOCK = 4 * L;

  private SingleProjections() {}

  /** The directions (row-major m x d) as the kernel's panel: d rows of m columns, padded to the lanes. */
  public static float[] pack(double[] directions, int m, int d) {
    if (m < 1 || d < 1 || directions.length < (long) m * d) {
      throw new IllegalArgumentException("need m, d >= 1 and m*d directions' entries, found m=" + m + " d=" + d
          + " and " + directions.length);
    }
    int width = width(m);
    float[] panel = new float[d * width];
    for (int j = 0; j < m; j++) {
      for (int k = 0; k < d; k++) {
        panel[k * width + j] = (float) directions[j * d + k];
      }
    }
    return panel;
  }

  private static int width(int m) {
    return (m + L - 1) / L * L;
  }

  /**
   * out[j][at + t] = sum_k x[rows[from + t] d + k] dir_j[k] for t &lt; count, in float (the coordinates rounded to
   * float first), stored as doubles.
   *
   * @param x points, row-major with row length d
   * @param rows the rows of x to project, in output order, from index {@code from}
   * @param panel {@link #pack}ed directions of length d
   * @param m the number of directions
   * @param out one buffer per direction, each with room from {@code at} for count values
   */
  public static void project(double[] x, int d, int[] rows, int from, int count, float[] panel, int m, double[][] out,
                             int at) {
    int width = width(m);
    if (panel.length != d * width) {
      throw new IllegalArgumentException("the panel holds " + panel.length + " values, not " + d * width
          + " for " + m + " directions of length " + d);
    }
    float[] a = new float[2 * d];
    if (Warmth.cold((long) count * m * d)) {
      for (int t = 0; t < count; t++) {
        load(x, rows[from + t] * d, a, 0, d);
        for (int j = 0; j < m; j++) {
          float s = 0;
          for (int k = 0; k < d; k++) {
            s = Math.fma(panel[k * width + j], a[k], s);
          }
          out[j][at + t] = s;
        }
      }
      return;
    }
    float[] tile = new float[2 * BLOCK];
    for (int t = 0; t < count; t += 2) {
      boolean two = t + 1 < count;
      load(x, rows[from + t] * d, a, 0, d);
      load(x, rows[from + (two ? t + 1 : t)] * d, a, d, d);
      for (int c0 = 0; c0 < width; c0 += BLOCK) {
        int vectors = Math.min(BLOCK, width - c0) / L;
        pair(a, d, panel, width, c0, vectors, tile);
        int real = Math.min(BLOCK, m - c0);
        for (int j = 0; j < real; j++) {
          out[c0 + j][at + t] = tile[j];
          if (two) {
            out[c0 + j][at + t + 1] = tile[BLOCK + j];
          }
        }
      }
    }
  }

  private static void load(double[] x, int from, float[] a, int to, int d) {
    for (int k = 0; k < d; k++) {
      a[to + k] = (float) x[from + k];
    }
  }

  /**
   * Two rows (a[0..d) and a[d..2d)) against columns c0 .. c0 + vectors L of the panel, into tile rows 0
   * and 1 (each {@link #BLOCK} wide): the accumulators of the vectors past {@code vectors} stay zero.
   */
  private static void pair(float[] a, int d, float[] panel, int width, int c0, int vectors, float[] tile) {
    FloatVector s00 = FloatVector.zero(S);
    FloatVector s01 = s00;
    FloatVector s02 = s00;
    FloatVector s03 = s00;
    FloatVector s10 = s00;
    FloatVector s11 = s00;
    FloatVector s12 = s00;
    FloatVector s13 = s00;
    if (vectors == 4) {
      for (int k = 0, o = c0; k < d; k++, o += width) {
        FloatVector b0 = FloatVector.fromArray(S, panel, o);
        FloatVector b1 = FloatVector.fromArray(S, panel, o + L);
        FloatVector b2 = FloatVector.fromArray(S, panel, o + 2 * L);
        FloatVector b3 = FloatVector.fromArray(S, panel, o + 3 * L);
        FloatVector v = FloatVector.broadcast(S, a[k]);
        s00 = b0.fma(v, s00);
        s01 = b1.fma(v, s01);
        s02 = b2.fma(v, s02);
        s03 = b3.fma(v, s03);
        v = FloatVector.broadcast(S, a[d + k]);
        s10 = b0.fma(v, s10);
        s11 = b1.fma(v, s11);
        s12 = b2.fma(v, s12);
        s13 = b3.fma(v, s13);
      }
    } else {
      // the last block of fewer than four vectors, one vector at a time
      for (int k = 0, o = c0; k < d; k++, o += width) {
        FloatVector v0 = FloatVector.broadcast(S, a[k]);
        FloatVector v1 = FloatVector.broadcast(S, a[d + k]);
        FloatVector b0 = FloatVector.fromArray(S, panel, o);
        s00 = b0.fma(v0, s00);
        s10 = b0.fma(v1, s10);
        if (vectors > 1) {
          FloatVector b1 = FloatVector.fromArray(S, panel, o + L);
          s01 = b1.fma(v0, s01);
          s11 = b1.fma(v1, s11);
        }
        if (vectors > 2) {
          FloatVector b2 = FloatVector.fromArray(S, panel, o + 2 * L);
          s02 = b2.fma(v0, s02);
          s12 = b2.fma(v1, s12);
        }
      }
    }
    s00.intoArray(tile, 0);
    s01.intoArray(tile, L);
    s02.intoArray(tile, 2 * L);
    s03.intoArray(tile, 3 * L);
    s10.intoArray(tile, BLOCK);
    s11.intoArray(tile, BLOCK + L);
    s12.intoArray(tile, BLOCK + 2 * L);
    s13.intoArray(tile, BLOCK + 3 * L);
  }
}
