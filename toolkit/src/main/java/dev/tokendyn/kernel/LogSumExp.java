package dev.tokendyn.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Log-sum-exp and Gibbs kernels on rows and columns of logits, the softmax and Sinkhorn steps of the
 * attention dynamics: with a row s (or column) of logits, a scale beta and potentials, each computes
 * max-shifted sums of {@link VectorMath#exp} so that a large beta neither overflows nor loses every weight.
 *
 * <p>Lane sums are added in lane order ({@link VectorMath#sumLanes(DoubleVector)}) and the exponential is
 * the library's own, so every result is the same bit for bit whatever the JIT state or the thread that
 * computes it. Nothing is modified but what a method names as its output.
 */
public final class LogSumExp {
  private static final VectorSpecies<Double> S = VectorMath.SPECIES;
  private static final int L = VectorMath.LANES;

  private LogSumExp() {}

  /**
   * log sum_{j &lt; len} exp(beta s[off+j] + g[j]), shifted by the largest term: the row potential of an
   * entropic attention is minus this. s and g are read only.
   */
  public static double row(double[] s, int off, int len, double beta, double[] g) {
    DoubleVector bv = DoubleVector.broadcast(S, beta);
    int full = len / L * L;
    DoubleVector mv = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
    for (int j = 0; j < full; j += L) {
      mv = mv.max(DoubleVector.fromArray(S, s, off + j).fma(bv, DoubleVector.fromArray(S, g, j)));
    }
    double m = mv.reduceLanes(VectorOperators.MAX);
    for (int j = full; j < len; j++) {
      m = Math.max(m, Math.fma(s[off + j], beta, g[j]));
    }
    DoubleVector acc = DoubleVector.zero(S);
    for (int j = 0; j < full; j += L) {
      acc = acc.add(VectorMath.exp(DoubleVector.fromArray(S, s, off + j).fma(bv, DoubleVector.fromArray(S, g, j))
          .sub(m)));
    }
    double sum = VectorMath.sumLanes(acc);
    for (int j = full; j < len; j++) {
      sum += VectorMath.exp(Math.fma(s[off + j], beta, g[j]) - m);
    }
    return m + Math.log(sum);
  }

  /**
   * For each column c in [c0, c1) of the rows x stride matrix s (row-major): out[c] = -log sum_{i &lt; rows}
   * exp(beta s[i stride + c] + f[i]), shifted by the column's largest term. c0 and c1 - c0 must be multiples
   * of {@link VectorMath#LANES}, and stride at least c1. s and f are read only.
   */
  public static void negativeColumns(double[] s, int rows, int stride, int c0, int c1, double beta, double[] f,
      double[] out) {
    DoubleVector bv = DoubleVector.broadcast(S, beta);
    double[] mt = new double[L];
    double[] st = new double[L];
    for (int c = c0; c < c1; c += L) {
      DoubleVector m = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
      for (int i = 0; i < rows; i++) {
        m = m.max(DoubleVector.fromArray(S, s, i * stride + c).fma(bv, DoubleVector.broadcast(S, f[i])));
      }
      DoubleVector acc = DoubleVector.zero(S);
      for (int i = 0; i < rows; i++) {
        acc = acc.add(VectorMath.exp(DoubleVector.fromArray(S, s, i * stride + c).fma(bv,
            DoubleVector.broadcast(S, f[i])).sub(m)));
      }
      m.intoArray(mt, 0);
      acc.intoArray(st, 0);
      for (int l = 0; l < L; l++) {
        out[c + l] = -(mt[l] + Math.log(st[l]));
      }
    }
  }

  /** s[off+j] &lt;- exp(beta s[off+j] + g[j] + f) for j &lt; len, in place: a row of a Sinkhorn-scaled kernel. */
  public static void gibbsInPlace(double[] s, int off, int len, double beta, double[] g, double f) {
    DoubleVector bv = DoubleVector.broadcast(S, beta);
    int full = len / L * L;
    for (int j = 0; j < full; j += L) {
      VectorMath.exp(DoubleVector.fromArray(S, s, off + j).fma(bv, DoubleVector.fromArray(S, g, j)).add(f))
          .intoArray(s, off + j);
    }
    for (int j = full; j < len; j++) {
      s[off + j] = VectorMath.exp(Math.fma(s[off + j], beta, g[j]) + f);
    }
  }

  /**
   * s[off+j] &lt;- exp(scale s[off+j] - shift) for j &lt; len, in place; returns their sum, the lanes added in
   * order and then the tail: a softmax row before its normalisation.
   */
  public static double expScaled(double[] s, int off, int len, double scale, double shift) {
    int full = len / L * L;
    DoubleVector acc = DoubleVector.zero(S);
    for (int j = 0; j < full; j += L) {
      DoubleVector e = VectorMath.exp(DoubleVector.fromArray(S, s, off + j).fma(scale, -shift));
      e.intoArray(s, off + j);
      acc = acc.add(e);
    }
    double sum = VectorMath.sumLanes(acc);
    for (int j = full; j < len; j++) {
      s[off + j] = VectorMath.exp(Math.fma(s[off + j], scale, -shift));
      sum += s[off + j];
    }
    return sum;
  }
}
