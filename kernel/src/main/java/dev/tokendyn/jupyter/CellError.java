package dev.tokendyn.jupyter;

import java.util.List;

/**
 * A cell that did not run to the end: it did not compile, it threw, or it was interrupted. The lines
 * are what the notebook shows: the compiler's message with the cell's line, or the exception's message
 * and the cell's own stack frames; never the kernel's stack.
 */
public final class CellError extends Exception {
  private static final long serialVersionUID = 1L;

  /** What stopped the cell. */
  public enum Kind {
    /** javac rejected a snippet. */
    COMPILE,
    /** a snippet threw. */
    EXCEPTION,
    /** the user interrupted the cell. */
    INTERRUPTED
  }

  private final Kind kind;
  private final String name;
  private final transient List<String> lines;

  CellError(Kind kind, String name, String message, List<String> lines) {
    super(message, null, false, false);
    this.kind = kind;
    this.name = name;
    this.lines = List.copyOf(lines);
  }

  public Kind kind() {
    return kind;
  }

  /** The error's name as the notebook shows it: {@code CompilationError}, an exception's class, {@code Interrupted}. */
  public String name() {
    return name;
  }

  /** The lines shown in the notebook, without newlines. */
  public List<String> lines() {
    return lines;
  }
}
