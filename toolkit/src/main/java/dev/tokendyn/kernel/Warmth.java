package dev.tokendyn.kernel;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether this process has done enough work for a vector kernel's warm-up to pay.
 *
 * <p>The Vector API runs as ordinary method calls, allocating an object per operation, until the C2
 * compiler has compiled the kernel that uses it; in a fresh JVM that costs a fixed 0.2 to 0.5
 * CPU-seconds per kernel (measured: the first 1000 x 1000 x 64 squared-distance matrix took 0.25 s of the
 * calling thread and 0.2 s of the compiler, against 0.003 s warm), while a plain loop over the same fused
 * multiply-adds, compiled by C1 within milliseconds, took 0.02 s. So the kernels that have a scalar twin
 * with the same bits run it for the first {@link #BUDGET} multiply-adds of a process, and the vector
 * kernel from then on: a short command never pays the warm-up, and a long one pays it once, after at
 * most about half a CPU-second spent on the slower loops (a whole Sinkhorn solve at n = m = 4000 fits).
 *
 * <p>The counter is the only state, and it changes speed, never a result: each scalar twin computes the
 * same chain of rounded operations as its vector kernel, which the tests check bit for bit.
 */
public final class Warmth {
  /** Multiply-adds run by scalar twins before the vector kernels take over: about half a second of one core. */
  public static final long BUDGET = 1L << 31;

  private static final AtomicLong SCALAR_WORK = new AtomicLong();
  /** A choice made for the calling thread by the tests, which compare the two paths bit for bit. */
  private static final ThreadLocal<Boolean> FORCED = new ThreadLocal<>();
  /** Whether any thread was ever forced: until then {@link #cold} skips the thread-local lookup. */
  private static volatile boolean forcing;
  /** Whether the budget is spent: from then on {@link #cold} is one volatile read. */
  private static volatile boolean warm;

  private Warmth() {}

  /**
   * Whether a call of {@code work} multiply-adds should run the scalar twin; counts the work when it
   * should. Thread-safe.
   */
  public static boolean cold(long work) {
    if (forcing) {
      Boolean forced = FORCED.get();
      if (forced != null) {
        return forced;
      }
    }
    if (warm) {
      return false;
    }
    if (SCALAR_WORK.get() < BUDGET && SCALAR_WORK.getAndAdd(work) < BUDGET) {
      return true;
    }
    warm = true;
    return false;
  }

  /**
   * Ends the cold start of this process now: the vector kernels run from the next call on, as after
   * {@link #BUDGET}. For a process that will run long anyway, such as an in-process benchmark's warm-up.
   */
  public static void endColdStart() {
    SCALAR_WORK.accumulateAndGet(BUDGET, Math::max);
    warm = true;
  }

  /** Makes {@link #cold} answer {@code cold} on this thread, or as the counter says again for null; for tests. */
  static void force(Boolean cold) {
    if (cold == null) {
      FORCED.remove();
    } else {
      forcing = true;
      FORCED.set(cold);
    }
  }
}
