package dev.tokendyn.bench;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Wall-clock timing in the peers' way: {@code warmup} untimed calls, then {@code runs} timed calls,
 * reporting the median. The result of the last call is kept so that the JIT cannot drop the work.
 */
public final class Timing {
  private Timing() {}

  /** Median and all run times in seconds, and the last result. */
  public record Result<T>(double medianSeconds, double[] runSeconds, T last) {}

  public static <T> Result<T> measure(int warmup, int runs, Supplier<T> work) {
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be >= 1, found " + runs);
    }
    T last = null;
    for (int i = 0; i < warmup; i++) {
      last = work.get();
    }
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      last = work.get();
      t[i] = (System.nanoTime() - t0) * 1e-9;
    }
    double[] s = t.clone();
    Arrays.sort(s);
    double median = runs % 2 == 1 ? s[runs / 2] : 0.5 * (s[runs / 2 - 1] + s[runs / 2]);
    return new Result<>(median, t, last);
  }
}
