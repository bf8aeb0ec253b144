package dev.tokendyn.kernel;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Compiles the attention step's kernels on tiny inputs before a long simulation, and the Sinkhorn sweep's
 * before the pooled transport of a corpus.
 *
 * <p>Until C2 has compiled a kernel, each Vector API operation runs as an ordinary call that allocates
 * its result, and the first full-size call of a kernel runs that way from start to end: in a fresh JVM
 * the first 1024 x 1024 x 64 Gram matrix of an SA run took 0.44 s, against 2 ms warm, and the first
 * softmax and attention product 0.25 s. Called on inputs of a few dozen numbers instead, the kernels
 * reach the compiler's thresholds for a fraction of that, and the run starts on compiled code: the
 * whole SA run at n = 1024, d = 64, 500 steps went from 4.02-4.29 s to 3.55-3.90 s (4 runs each,
 * interleaved). The kernels' results do not depend on whether they are compiled, so neither does the
 * simulation's.
 */
public final class Preheat {
  /** Calls of each kernel: above C2's invocation threshold (5,000 with tiered compilation). */
  private static final int CALLS = 6000;
  private static final AtomicBoolean DONE = new AtomicBoolean();
  private static final AtomicBoolean TRANSPORT = new AtomicBoolean();

  private Preheat() {}

  /**
   * The matrix-product strips of three, two and one vectors (with and without a mask), the row maximum
   * and the scaled exponential with its sum, each {@value #CALLS} times on tiny inputs; once per process.
   */
  public static void attention() {
    if (!DONE.compareAndSet(false, true)) {
      return;
    }
    int l = VectorMath.LANES;
    int m = 2;
    double[] a = new double[4 * m];
    double[] b = new double[m * 3 * l];
    double[] c = new double[4 * 3 * l];
    double[] s = new double[2 * l];
    java.util.Arrays.fill(a, 0.5);
    java.util.Arrays.fill(b, 0.25);
    // every call writes c or s, so none can be left out
    for (int it = 0; it < CALLS; it++) {
      MatrixProduct.multiply(a, 0, m, 4, m, b, 0, 3 * l, 3 * l, c, 0, 3 * l);
      MatrixProduct.multiply(a, 0, m, 4, m, b, 0, 3 * l, 2 * l, c, 0, 3 * l);
      MatrixProduct.multiply(a, 0, m, 4, m, b, 0, 3 * l, l + 3, c, 0, 3 * l);
      java.util.Arrays.fill(s, 0.1);
      s[0] = ArrayOps.max(s, 0, 2 * l);
      s[1] = LogSumExp.expScaled(s, 0, 2 * l, 1.0, 0.5);
    }
  }

  /**
   * The kernels of a Sinkhorn sweep (the Gibbs kernel into double and float rows, the row sums and column
   * updates over both, the weighted row value and the row minimum) and the single-precision distances,
   * each {@value #CALLS} times on tiny inputs; once per process.
   */
  public static void transport() {
    if (!TRANSPORT.compareAndSet(false, true)) {
      return;
    }
    int len = 2 * VectorMath.LANES + 3;
    double[] g = new double[len];
    double[] c = new double[len];
    double[] out = new double[len];
    float[] outF = new float[len];
    double[] t = new double[len];
    java.util.Arrays.fill(c, 1.0);
    double s = 0;
    for (int it = 0; it < CALLS; it++) {
      ArrayOps.gibbs(0.0, g, c, 0, 1.0, out, 0, len);
      ArrayOps.gibbs(0.0, g, c, 0, 1.0, outF, 0, len);
      s += ArrayOps.dot(out, 0, c, 0, len) + ArrayOps.dot(outF, 0, c, 0, len);
      ArrayOps.axpy(1e-9, out, 0, t, 0, len);
      ArrayOps.axpy(1e-9, outF, 0, t, 0, len);
      s += ArrayOps.weightedDot(out, 0, c, 0, g, len) + ArrayOps.min(c, 0, len);
    }
    // the single-precision distance kernel, on a few dozen points, a cloud against itself and against
    // another in turn, in two row blocks and two column strips: its first full-size call would otherwise run
    // as ordinary calls until compiled (a 4,000 x 4,000 x 384 matrix took 0.66 s cold against 0.1 s warm, and
    // 0.18 s after 0.3 s of this), and a kernel compiled for one of the two cases only is thrown away at the
    // first call of the other
    int dim = 2 * VectorMath.LANES + 3;
    double[] x = new double[40 * dim];
    double[] y = new double[100 * dim];
    for (int i = 0; i < y.length; i++) {
      y[i] = i % 7;
      if (i < x.length) {
        x[i] = i % 5;
      }
    }
    // each call runs the row kernel on two row blocks and one to three strips: a quarter of the calls give
    // it as many runs as the other kernels get
    for (int it = 0; it < CALLS / 4; it++) {
      double[] d = it % 2 == 0 ? SingleDistances.between(x, 40, x, 40, dim) : SingleDistances.between(x, 40, y, 100, dim);
      s += d[it % 1600];
    }
    // every result feeds t, so none can be left out
    t[0] += s;
  }
}
