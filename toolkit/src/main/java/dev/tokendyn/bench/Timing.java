package dev.tokendyn.bench;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Wall-clock timing in the peers' way: {@code warmup} untimed calls, then {@code runs} timed calls,
 * reporting the median. The result of the last call is kept so that the JIT cannot drop the work. An
 * in-process figure is that of a warm process, so the warm-up begins by ending the cold start of the
 * kernels ({@link dev.tokendyn.kernel.Warmth#endColdStart}): the vector kernels are compiled during the
 * warm-up calls and timed after them, as in a long-running process.
 */
public final class Timing {
  private Timing() {}

  /** Median and all run times in seconds, and the last result. */
  public record Result<T>(double medianSeconds, double[] runSeconds, T last) {}

  public static <T> Result<T> measure(int warmup, int runs, Supplier<T> work) {
    return measure(warmup, 0, runs, work);
  }

  /**
   * As {@link #measure(int, int, Supplier)}, with warm-up calls repeated until at least
   * {@code minWarmupSeconds} have passed as well: a short call needs many calls before the JIT has
   * compiled its hot paths (JMH warms up by time for the same reason).
   */
  public static <T> Result<T> measure(int warmup, double minWarmupSeconds, int runs, Supplier<T> work) {
    if (runs < 1) {
      throw new IllegalArgumentException("runs must be >= 1, found " + runs);
    }
    dev.tokendyn.kernel.Warmth.endColdStart();
    T last = null;
    long start = System.nanoTime();
    for (int i = 0; i < warmup || (System.nanoTime() - start) * 1e-9 < minWarmupSeconds; i++) {
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
