package dev.tokendyn.spark;

import java.io.Serializable;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's failure, naming the unit of work (a sweep's run, a corpus's text) and the cause. Spark retries a
 * failed task ({@code spark.task.maxFailures}) and fails the job when every attempt failed; the driver then
 * reports it with {@link #describe}.
 */
public final class TaskFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A unit of work of a task. */
  @FunctionalInterface
  public interface Work<T> extends Callable<T>, Serializable {}

  public TaskFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Runs {@code work} on an executor: checks the Vector API first, and wraps a failure with {@code what}.
   *
   * @param what the unit of work, as the user knows it ("text 17", "run 3 (beta=1, d=8, start 0)")
   */
  public static <T> T attempt(String what, Work<T> work) {
    VectorApi.require("executor");
    try {
      return work.call();
    } catch (RuntimeException e) {
      throw new TaskFailure(what + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
    } catch (Exception e) {
      throw new TaskFailure(what + ": " + e, e);
    }
  }

  /**
   * What a command throws for an exception out of a Spark action: a failed job becomes an
   * {@link java.io.UncheckedIOException} with {@link #describe}; anything else passes unchanged (or wrapped when
   * checked).
   */
  public static RuntimeException ofJob(Exception e) {
    if (e instanceof org.apache.spark.SparkException || e.getCause() instanceof org.apache.spark.SparkException) {
      // a failed run, reported as one (exit 1, the message as is), like a failed read or write
      return new java.io.UncheckedIOException(describe(e), new java.io.IOException(describe(e), e));
    }
    return e instanceof RuntimeException re ? re : new IllegalStateException(e);
  }

  private static final Pattern ATTEMPTS = Pattern.compile("failed (\\d+) times");

  /**
   * The one-line account of a failed job: how many attempts the task had and what the last one threw,
   * from the first line of Spark's message and the deepest {@link TaskFailure} or other cause.
   */
  public static String describe(Throwable jobFailure) {
    String m = jobFailure.getMessage() == null ? jobFailure.toString() : jobFailure.getMessage();
    String first = m.lines().findFirst().orElse(m);
    String cause = null;
    for (Throwable t = jobFailure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof TaskFailure || t instanceof IllegalStateException && t.getMessage() != null
          && t.getMessage().contains(VectorApi.MODULE)) {
        cause = t.getMessage();
        break;
      }
    }
    Matcher a = ATTEMPTS.matcher(first);
    String attempts = a.find() ? "a task failed " + a.group(1) + (a.group(1).equals("1") ? " time" : " times")
        : "the job failed";
    if (cause == null) {
      int colon = first.indexOf("): ");
      cause = colon >= 0 ? first.substring(colon + 3) : first;
    }
    return "the Spark job failed and wrote nothing: " + attempts + "; the last attempt: " + cause;
  }
}
