package dev.tokendyn.cli;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --threads T}, for every command that computes: the command runs inside a fork-join pool of T
 * threads, so that every parallel loop of the library (transport chunks, distance tiles, metrics) uses
 * at most T; with a model, the engine's own thread pools get T too. Mixed into a command with
 * {@code @Mixin}; {@link Main} runs such a command through {@link #execute}.
 */
final class ThreadsOption {
  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE) CommandLine.Model.CommandSpec mixee;

  private Integer threads;

  @Option(names = "--threads", paramLabel = "T",
      description = "threads for the computation, >= 1 (default: all cores)")
  void setThreads(int t) {
    if (t < 1) {
      throw new CommandLine.ParameterException(mixee.commandLine(), "--threads must be >= 1, found " + t);
    }
    threads = t;
  }

  /** The thread count: the option, or every core. */
  int count() {
    return threads == null ? Runtime.getRuntime().availableProcessors() : threads;
  }

  /** The mixin of the command that will run, or null when it has none. */
  static ThreadsOption of(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult last = parsed;
    while (last.hasSubcommand()) {
      last = last.subcommand();
    }
    for (CommandLine.Model.CommandSpec mixin : last.commandSpec().mixins().values()) {
      if (mixin.userObject() instanceof ThreadsOption t) {
        return t;
      }
    }
    return null;
  }

  /**
   * Runs the parsed command inside a pool of {@link #count()} threads.
   *
   * @throws CommandLine.ExecutionException as the command itself would
   */
  int execute(CommandLine.ParseResult parsed) {
    int t = count();
    if (threads != null) {
      // read by the PyTorch engine when it starts (extract, analyze, fit and demo with a model)
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(t));
      System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(t));
    }
    ForkJoinPool pool = new ForkJoinPool(t);
    try {
      return pool.submit(() -> new CommandLine.RunLast().execute(parsed)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), "interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error er) {
        throw er;
      }
      throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), String.valueOf(c.getMessage()), c);
    } finally {
      pool.shutdown();
    }
  }
}
