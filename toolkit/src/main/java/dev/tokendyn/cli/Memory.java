package dev.tokendyn.cli;

import java.util.Locale;

/** Checks a run's estimated memory against the Java heap before any work, with the fix in the message. */
final class Memory {
  private Memory() {}

  /**
   * @param bytes the estimate
   * @param what the run, in the user's words ("simulate --n 10000000 --d 64")
   * @throws UsageException when the estimate exceeds nine tenths of the heap
   */
  static void require(long bytes, String what) {
    long max = Runtime.getRuntime().maxMemory();
    if (bytes < 0 || bytes > max / 10 * 9) {
      String need = bytes < 0 ? "more than 8 EiB" : "about " + human(bytes);
      long gib = bytes < 0 ? Long.MAX_VALUE : (long) Math.ceil(bytes * 1.25 / (1L << 30)) + 1;
      throw new UsageException(what + " needs " + need + " of memory, more than the " + human(max)
          + " that the Java heap may use; give it more with TOKENDYN_JAVA_OPTS=-Xmx" + gib + "g (the machine must have"
          + " it), or make the problem smaller");
    }
  }

  static String human(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    return String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
  }
}
