package dev.tokendyn.sphere;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads for short parallel loops that repeat many times a second (one per
 * integrator stage). The caller runs share 0 itself and {@code size - 1} workers run the others. Between
 * loops the workers spin for a short while before parking, so that the next loop, which usually
 * follows within microseconds, does not pay a thread wake-up; a pool that parks its threads at once
 * spends about as long waking them as a 256-token step computes.
 *
 * <p>Not reentrant; one caller at a time. Close it to stop the workers.
 */
final class Team implements AutoCloseable {
  /** Work for share {@code index} of {@code shares}. */
  @FunctionalInterface
  interface Share {
    void run(int index);
  }

  private static final int SPINS = 1 << 16;

  private final Thread[] workers;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile int generation;
  private volatile boolean closed;
  private volatile Share work;
  private volatile Throwable failure;

  /** @param size the number of shares, &gt;= 1; size - 1 worker threads are started */
  Team(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a team needs at least one thread, found " + size);
    }
    workers = new Thread[size - 1];
    for (int w = 0; w < workers.length; w++) {
      int index = w + 1;
      workers[w] = new Thread(() -> loop(index), "tokendyn-team-" + index);
      workers[w].setDaemon(true);
      workers[w].start();
    }
  }

  int size() {
    return workers.length + 1;
  }

  /** Runs share 0 here and the others on the workers; returns when all are done. */
  void run(Share share) {
    if (workers.length == 0) {
      share.run(0);
      return;
    }
    work = share;
    failure = null;
    pending.set(workers.length);
    generation++;
    for (Thread t : workers) {
      LockSupport.unpark(t);
    }
    Throwable mine = null;
    try {
      share.run(0);
    } catch (RuntimeException | Error e) {
      mine = e;
    }
    int spins = 0;
    while (pending.get() > 0) {
      if (++spins < SPINS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    Throwable f = mine != null ? mine : failure;
    if (f instanceof RuntimeException re) {
      throw re;
    }
    if (f instanceof Error er) {
      throw er;
    }
  }

  private void loop(int index) {
    int seen = 0;
    while (true) {
      int spins = 0;
      while (generation == seen && !closed) {
        if (++spins < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      if (closed) {
        return;
      }
      seen = generation;
      try {
        work.run(index);
      } catch (RuntimeException | Error e) {
        failure = e;
      } finally {
        pending.decrementAndGet();
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : workers) {
      LockSupport.unpark(t);
    }
  }
}
