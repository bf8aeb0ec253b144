package dev.tokendyn.sphere;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads for short parallel loops that repeat many times a second (one per
 * integrator stage). A loop is cut into shares; the caller and {@code size - 1} workers claim shares
 * one at a time until none is left, so a worker that the operating system has not scheduled (the
 * other core busy with another program) delays nothing: the caller runs its shares too. Between
 * loops, and while the caller waits for shares still running, a thread spins for at most
 * {@value #SPIN_NANOS} ns and then parks, so an idle team costs no processor time and a busy
 * machine's other programs are not starved by spinning.
 *
 * <p>Not reentrant; one caller at a time. Close it to stop the workers.
 */
final class Team implements AutoCloseable {
  /** Work for share {@code index} of {@code shares}. */
  @FunctionalInterface
  interface Share {
    void run(int index);
  }

  /** How long a thread spins for the next loop or for the last share before it parks. */
  static final long SPIN_NANOS = 50_000;

  /** One loop: the shares still to claim, those done, and the first failure. */
  private static final class Job {
    final Share work;
    final int shares;
    final Thread caller;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger done = new AtomicInteger();
    volatile Throwable failure;

    Job(Share work, int shares, Thread caller) {
      this.work = work;
      this.shares = shares;
      this.caller = caller;
    }

    /** Claims and runs shares until none is left. */
    void help() {
      int s;
      while ((s = next.getAndIncrement()) < shares) {
        try {
          work.run(s);
        } catch (RuntimeException | Error e) {
          if (failure == null) {
            failure = e;
          }
        } finally {
          if (done.incrementAndGet() == shares) {
            LockSupport.unpark(caller);
          }
        }
      }
    }
  }

  private final Thread[] workers;
  private volatile Job current;
  private volatile boolean closed;

  /** @param size the number of threads, &gt;= 1; size - 1 worker threads are started */
  Team(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a team needs at least one thread, found " + size);
    }
    workers = new Thread[size - 1];
    for (int w = 0; w < workers.length; w++) {
      workers[w] = new Thread(this::loop, "tokendyn-team-" + (w + 1));
      workers[w].setDaemon(true);
      workers[w].start();
    }
  }

  int size() {
    return workers.length + 1;
  }

  /**
   * Runs share.run(s) for s in [0, shares), on this thread and the workers; returns when all are done,
   * rethrowing the first failure.
   */
  void run(int shares, Share share) {
    if (workers.length == 0 || shares <= 1) {
      for (int s = 0; s < shares; s++) {
        share.run(s);
      }
      return;
    }
    Job job = new Job(share, shares, Thread.currentThread());
    current = job;
    for (Thread t : workers) {
      LockSupport.unpark(t);
    }
    job.help();
    long start = System.nanoTime();
    while (job.done.get() < shares) {
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
    Throwable f = job.failure;
    if (f instanceof RuntimeException re) {
      throw re;
    }
    if (f instanceof Error er) {
      throw er;
    }
  }

  private void loop() {
    Job seen = null;
    while (true) {
      long start = System.nanoTime();
      Job job;
      while ((job = current) == seen && !closed) {
        if (System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
      }
      if (closed) {
        return;
      }
      seen = job;
      job.help();
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
