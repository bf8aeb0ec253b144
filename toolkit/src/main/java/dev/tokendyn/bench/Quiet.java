package dev.tokendyn.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The peers' discipline for timing on a shared machine, for our side of a comparison: wait (a bounded
 * time) until other processes are nearly idle, time the block, measure how much CPU other processes
 * took meanwhile, and repeat the block when that was more than max(0.05 s, 2% of its wall time), at
 * most three attempts. Reads Linux's /proc/stat; elsewhere it times once, without waiting.
 */
public final class Quiet {
  private static final Path STAT = Path.of("/proc/stat");
  private static final int MAX_ATTEMPTS = 3;

  private Quiet() {}

  /** A timing and the CPU seconds that other processes used while it ran (NaN when unknown). */
  public record Measured<T>(Timing.Result<T> timing, double otherProcsCpuSeconds, int attempts, boolean clean) {}

  /** Timing.measure(warmup, runs, work) under the peers' discipline; idle waits last at most maxWaitSeconds. */
  public static <T> Measured<T> measure(int warmup, int runs, Supplier<T> work, double maxWaitSeconds) {
    return measure(warmup, 0, runs, work, maxWaitSeconds);
  }

  /** As {@link #measure(int, int, Supplier, double)}, warming up for at least minWarmupSeconds as well. */
  public static <T> Measured<T> measure(int warmup, double minWarmupSeconds, int runs, Supplier<T> work,
      double maxWaitSeconds) {
    Measured<T> last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      waitIdle(maxWaitSeconds);
      double[] s0 = snapshot();
      Timing.Result<T> t = Timing.measure(warmup, minWarmupSeconds, runs, work);
      double[] s1 = snapshot();
      double other = othersCpuSeconds(s0, s1);
      boolean clean = isClean(other, s0, s1);
      last = new Measured<>(t, other, attempt, clean);
      if (clean) {
        break;
      }
    }
    return last;
  }

  /** CPU seconds that other processes used between two snapshots, NaN when either is missing. */
  static double othersCpuSeconds(double[] s0, double[] s1) {
    return s0 == null || s1 == null ? Double.NaN : (s1[0] - s0[0]) - (s1[1] - s0[1]);
  }

  /** Whether others used at most max(0.05 s, 2% of the wall time) between two snapshots (true when unknown). */
  static boolean isClean(double othersCpuSeconds, double[] s0, double[] s1) {
    double wall = s0 == null || s1 == null ? 0 : s1[2] - s0[2];
    return !(othersCpuSeconds > Math.max(0.05, 0.02 * wall));
  }

  /** Waits until other processes use under 10% of one core over 2 s, or maxSeconds have passed. */
  static void waitIdle(double maxSeconds) {
    long start = System.nanoTime();
    while ((System.nanoTime() - start) * 1e-9 < maxSeconds) {
      double[] s0 = snapshot();
      if (s0 == null) {
        return;
      }
      sleep(2000);
      double[] s1 = snapshot();
      if (s1 == null || (s1[0] - s0[0]) - (s1[1] - s0[1]) < 0.2) {
        return;
      }
    }
  }

  /** {system busy CPU seconds, this process's CPU seconds, wall seconds}, or null off Linux. */
  static double[] snapshot() {
    try {
      String[] f = Files.readAllLines(STAT).get(0).trim().split("\\s+");
      long busy = 0;
      for (int k : new int[] {1, 2, 3, 6, 7, 8}) {
        if (k < f.length) {
          busy += Long.parseLong(f[k]);
        }
      }
      double own = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
          .getProcessCpuTime() * 1e-9;
      return new double[] {busy / 100.0, own, System.nanoTime() * 1e-9};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
