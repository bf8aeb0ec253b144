package dev.tokendyn.transport;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Splits a row range into a number of chunks that depends on the problem size only, never on the
 * machine, and runs them in parallel; per-chunk partial sums are then combined in chunk order, so a
 * result has the same bits on any number of cores.
 */
final class Chunks {
  private Chunks() {}

  /** Rows per chunk such that each chunk carries at least about 2^15 cost entries, at most 16 chunks. */
  static int count(int rows, long entriesPerRow) {
    long total = rows * Math.max(1, entriesPerRow);
    long byWork = total >> 15;
    return (int) Math.max(1, Math.min(Math.min(16, rows), byWork));
  }

  static int start(int chunk, int chunks, int rows) {
    return (int) ((long) rows * chunk / chunks);
  }

  /** Runs body(chunk) for chunk in [0, chunks), in parallel when there is more than one. */
  static void run(int chunks, IntConsumer body) {
    if (chunks == 1) {
      body.accept(0);
    } else {
      IntStream.range(0, chunks).parallel().forEach(body);
    }
  }
}
