package dev.tokendyn.kernel;

import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * All squared Euclidean distances between the rows of X (n x d) and Y (m x d), with the matrix product in
 * single precision: twice the lanes of {@link SquaredDistances}'s double kernel, which on a 4,000 x 4,000 x
 * 384 matrix took 0.07 s against 0.18 s (two cores). For cost matrices too large to be cheap, whose every
 * entry a solver reads many times but whose value only needs to be right to about 1e-6: a Sinkhorn
 * divergence stopped at a marginal error of 1e-5, or the pricing of a network simplex whose plan is then
 * costed exactly.
 *
 * <p>Precision: both clouds are first shifted by the mean of all their points (in double; distances do
 * not change), so that the single-precision norms are those of centred points, then rounded to float.
 * D_ij = max(0, |x_i|^2 + |y_j|^2 - 2 &lt;x_i, y_j&gt;) with the three terms in float, each one chain of
 * fused multiply-adds in k order: an entry's error is a few float roundings of |x_i|^2 + |y_j|^2 (centred),
 * about 1e-7 of the typical distance for a cloud of tokens, and D_ii = 0 exactly for a point and its copy.
 * The result has the same bits on any number of threads, and for X against itself it is exactly symmetric.
 */
public final class SingleDistances {
  static final VectorSpecies<Float> S = ArrayOps.F;
  private static final int L = S.length();
  /** Columns per strip of the packed panel: three vectors. */
  private static final int STRIP = 3 * L;
  /** Rows of X per task: four at a time in the kernel. */
  private static final int ROW_BLOCK = 32;

  private SingleDistances() {}

  /**
   * The n x m squared distances, row-major, as doubles. x and y are row-major with row length d and are
   * not modified; passing the same array for both (with n = m) gives the symmetric matrix for half the
   * products.
   *
   * @throws IllegalArgumentException when a size is below 1, an array is shorter than its shape, n*m does
   *     not fit an array, or a centred norm overflows single precision (or is NaN)
   */
  public static double[] between(double[] x, int n, double[] y, int m, int d) {
    if (n < 1 || m < 1 || d < 1) {
      throw new IllegalArgumentException("need n, m, d >= 1, found n=" + n + " m=" + m + " d=" + d);
    }
    if (x.length < (long) n * d || y.length < (long) m * d) {
      throw new IllegalArgumentException("x must hold n*d = " + (long) n * d + " and y m*d = " + (long) m * d
          + " values, found " + x.length + " and " + y.length);
    }
    if ((long) n * m > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a " + n + "x" + m + " matrix is too large to hold in memory");
    }
    boolean symmetric = x == y && n == m;
    double[] mean = new double[d];
    add(x, n, d, mean);
    if (!symmetric) {
      add(y, m, d, mean);
    }
    int count = symmetric ? n : n + m;
    for (int k = 0; k < d; k++) {
      mean[k] /= count;
    }
    float[] xs = centred(x, n, d, mean);
    float[] ys = symmetric ? xs : centred(y, m, d, mean);
    float[] xn = norms(xs, n, d);
    float[] yn = symmetric ? xn : norms(ys, m, d);
    for (float[] norms : new float[][] {xn, yn}) {
      for (float v : norms) {
        if (!(v < Float.MAX_VALUE / 4)) {
          throw new IllegalArgumentException("a squared norm of the centred points is " + v + ", beyond what single"
              + " precision holds; rescale both clouds by one factor or compute the distances in double");
        }
      }
    }
    float[] panel = pack(ys, m, d);
    double[] out = new double[n * m];
    int blocks = (n + ROW_BLOCK - 1) / ROW_BLOCK;
    int strips = (m + STRIP - 1) / STRIP;
    // each task writes only its own rows: the order the tasks run in changes no bit
    IntStream.range(0, blocks).parallel().forEach(b -> {
      int r0 = b * ROW_BLOCK;
      int r1 = Math.min(n, r0 + ROW_BLOCK);
      float[] tile = new float[4 * STRIP];
      // X against itself: the strips from the diagonal on; the rest is mirrored below
      for (int s = symmetric ? r0 / STRIP : 0; s < strips; s++) {
        rows(xs, r0, r1, d, panel, s, m, xn, yn, tile, out);
      }
    });
    if (symmetric) {
      IntStream.range(0, blocks).parallel().forEach(b -> {
        int r0 = b * ROW_BLOCK;
        int r1 = Math.min(n, r0 + ROW_BLOCK);
        int below = r0 / STRIP * STRIP;
        for (int i = r0; i < r1; i++) {
          for (int j = 0; j < below; j++) {
            out[i * m + j] = out[j * m + i];
          }
        }
      });
    }
    return out;
  }

  private static void add(double[] z, int rows, int d, double[] sum) {
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < d; k++) {
        sum[k] += z[r * d + k];
      }
    }
  }

  private static float[] centred(double[] z, int rows, int d, double[] mean) {
    float[] out = new float[rows * d];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < d; k++) {
        out[r * d + k] = (float) (z[r * d + k] - mean[k]);
      }
    }
    return out;
  }

  /** |z_r|^2 in float, the same chain of fused multiply-adds as an entry of the product. */
  private static float[] norms(float[] z, int rows, int d) {
    float[] out = new float[rows];
    for (int r = 0; r < rows; r++) {
      float s = 0;
      for (int k = 0; k < d; k++) {
        s = Math.fma(z[r * d + k], z[r * d + k], s);
      }
      out[r] = s;
    }
    return out;
  }

  /** Y^T in strips of {@link #STRIP} columns, each d x STRIP row-major and contiguous; the last zero-padded. */
  private static float[] pack(float[] y, int m, int d) {
    int strips = (m + STRIP - 1) / STRIP;
    float[] p = new float[strips * STRIP * d];
    for (int j = 0; j < m; j++) {
      int base = (j / STRIP) * STRIP * d + j % STRIP;
      for (int k = 0; k < d; k++) {
        p[base + k * STRIP] = y[j * d + k];
      }
    }
    return p;
  }

  /**
   * Rows [r0, r1) against the columns of strip s: four rows by three vectors in twelve accumulators, each
   * entry fma(y_jk, x_ik, acc) over k in order from zero; then the distances, stored as doubles.
   */
  private static void rows(float[] a, int r0, int r1, int d, float[] panel, int s, int m, float[] xn, float[] yn,
                           float[] tile, double[] out) {
    int bo = s * STRIP * d;
    int c0 = s * STRIP;
    int real = Math.min(STRIP, m - c0);
    for (int r = r0; r < r1; r += 4) {
      int a0 = r * d;
      int a1 = r + 1 < r1 ? a0 + d : a0;
      int a2 = r + 2 < r1 ? a0 + 2 * d : a0;
      int a3 = r + 3 < r1 ? a0 + 3 * d : a0;
      FloatVector s00 = FloatVector.zero(S);
      FloatVector s01 = s00;
      FloatVector s02 = s00;
      FloatVector s10 = s00;
      FloatVector s11 = s00;
      FloatVector s12 = s00;
      FloatVector s20 = s00;
      FloatVector s21 = s00;
      FloatVector s22 = s00;
      FloatVector s30 = s00;
      FloatVector s31 = s00;
      FloatVector s32 = s00;
      for (int k = 0, o = bo; k < d; k++, o += STRIP) {
        FloatVector b0 = FloatVector.fromArray(S, panel, o);
        FloatVector b1 = FloatVector.fromArray(S, panel, o + L);
        FloatVector b2 = FloatVector.fromArray(S, panel, o + 2 * L);
        FloatVector v = FloatVector.broadcast(S, a[a0 + k]);
        s00 = b0.fma(v, s00);
        s01 = b1.fma(v, s01);
        s02 = b2.fma(v, s02);
        v = FloatVector.broadcast(S, a[a1 + k]);
        s10 = b0.fma(v, s10);
        s11 = b1.fma(v, s11);
        s12 = b2.fma(v, s12);
        v = FloatVector.broadcast(S, a[a2 + k]);
        s20 = b0.fma(v, s20);
        s21 = b1.fma(v, s21);
        s22 = b2.fma(v, s22);
        v = FloatVector.broadcast(S, a[a3 + k]);
        s30 = b0.fma(v, s30);
        s31 = b1.fma(v, s31);
        s32 = b2.fma(v, s32);
      }
      s00.intoArray(tile, 0);
      s01.intoArray(tile, L);
      s02.intoArray(tile, 2 * L);
      s10.intoArray(tile, STRIP);
      s11.intoArray(tile, STRIP + L);
      s12.intoArray(tile, STRIP + 2 * L);
      s20.intoArray(tile, 2 * STRIP);
      s21.intoArray(tile, 2 * STRIP + L);
      s22.intoArray(tile, 2 * STRIP + 2 * L);
      s30.intoArray(tile, 3 * STRIP);
      s31.intoArray(tile, 3 * STRIP + L);
      s32.intoArray(tile, 3 * STRIP + 2 * L);
      for (int q = 0; q < 4 && r + q < r1; q++) {
        int i = r + q;
        float ni = xn[i];
        int o = i * m + c0;
        for (int j = 0; j < real; j++) {
          float v = Math.fma(-2f, tile[q * STRIP + j], ni + yn[c0 + j]);
          out[o + j] = v > 0 ? v : 0;
        }
      }
    }
  }
}
