package dev.tokendyn.bench;

import dev.tokendyn.kernel.SquaredDistances;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The rate of the squared-distance tile kernel ({@link SquaredDistances}) as Sinkhorn's online path uses
 * it: blocks of 32 rows against all columns, into a buffer reused per thread, over all rows in parallel.
 * Counted as 2 n m d flops (the X Y^T product; the norms and the clamp are lower order), to set beside a
 * GEMM's 2 n^3.
 */
public final class TileBenchmark {
  private static final int BLOCK = 32;

  private TileBenchmark() {}

  /** GFLOP/s for n = m points in dimension d, median of {@code runs} passes after a warm-up of two seconds. */
  public static double gflops(int n, int d, int runs) {
    SplittableRandom rng = new SplittableRandom(n);
    double[] x = new double[n * d];
    double[] y = new double[n * d];
    for (int k = 0; k < x.length; k++) {
      x[k] = rng.nextGaussian();
      y[k] = rng.nextGaussian();
    }
    SquaredDistances sd = SquaredDistances.between(x, n, y, n, d);
    ThreadLocal<double[]> buffers = ThreadLocal.withInitial(() -> new double[BLOCK * n]);
    int blocks = (n + BLOCK - 1) / BLOCK;
    Timing.Result<Double> t = Timing.measure(3, 2, runs, () -> {
      double[] sums = new double[blocks];
      IntStream.range(0, blocks).parallel().forEach(b -> {
        double[] buf = buffers.get();
        int i0 = b * BLOCK;
        sd.tile(i0, Math.min(n, i0 + BLOCK), 0, n, buf, 0, n);
        sums[b] = buf[0];
      });
      return sums[blocks - 1];
    });
    return 2.0 * n * n * d / t.medianSeconds() * 1e-9;
  }
}
