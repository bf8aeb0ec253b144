package dev.tokendyn.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A progress bar over the stages of a long command, shown only on a terminal. */
final class Stages implements AutoCloseable {
  private final ProgressBar bar;

  Stages(String task, int stages) {
    this(task, stages, true);
  }

  /** @param worthShowing false keeps the bar hidden even on a terminal (for short runs) */
  Stages(String task, int stages, boolean worthShowing) {
    this(task, stages, worthShowing, null);
  }

  /**
   * @param unit the name of what is counted ("texts"), to show the rate in units per second; null for none
   */
  Stages(String task, int stages, boolean worthShowing, String unit) {
    ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(stages);
    if (unit != null) {
      b = b.setUnit(" " + unit, 1).showSpeed();
    }
    bar = worthShowing && System.console() != null ? b.build() : null;
  }

  /**
   * A bar for work whose length is not known ahead: on a terminal it shows the time elapsed, updated
   * every second, so that a long run is seen to be alive.
   */
  static Stages elapsed(String task) {
    return new Stages(task, -1, true);
  }

  void step() {
    if (bar != null) {
      bar.step();
    }
  }

  /** Moves the bar to {@code done} stages (callable from any thread). */
  synchronized void stepTo(int done) {
    if (bar != null) {
      bar.stepTo(done);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
