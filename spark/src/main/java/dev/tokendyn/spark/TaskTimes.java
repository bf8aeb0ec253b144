package dev.tokendyn.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * How long a job's units of work took where they ran (a sweep's runs, a corpus's texts), measured inside
 * the tasks, beside the job's wall time on the driver: the per-unit costs from which a larger cluster's
 * time can be estimated (units / executors x mean, plus the fixed overhead that wall - sum / slots shows).
 *
 * @param units units of work
 * @param medianSeconds the median time of one unit
 * @param meanSeconds the mean time of one unit
 * @param sumSeconds the sum over units (the work, in one core's seconds)
 * @param wallSeconds the job's wall time on the driver, start of the session excluded
 */
public record TaskTimes(int units, double medianSeconds, double meanSeconds, double sumSeconds,
                        double wallSeconds) implements Serializable {
  /** From each unit's time in nanoseconds (not modified) and the job's wall time. */
  public static TaskTimes of(long[] unitNanos, long wallNanos) {
    long[] s = unitNanos.clone();
    Arrays.sort(s);
    double sum = 0;
    for (long v : s) {
      sum += v / 1e9;
    }
    double median = s.length == 0 ? Double.NaN
        : s.length % 2 == 1 ? s[s.length / 2] / 1e9 : (s[s.length / 2 - 1] + s[s.length / 2]) / 2e9;
    return new TaskTimes(s.length, median, s.length == 0 ? Double.NaN : sum / s.length, sum, wallNanos / 1e9);
  }

  /** One line: "304 runs: median 85.1 ms, mean 90.2 ms, sum 27.4 s; job 15.3 s". */
  public String describe(String unit) {
    return String.format(Locale.ROOT, "%d %s: median %.1f ms, mean %.1f ms, sum %.1f s; job %.1f s", units, unit,
        medianSeconds * 1e3, meanSeconds * 1e3, sumSeconds, wallSeconds);
  }
}
