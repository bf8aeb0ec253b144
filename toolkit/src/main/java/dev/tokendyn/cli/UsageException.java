package dev.tokendyn.cli;

/** A mistake in what the user gave (an option, a value, an input file): exit code 2, message shown as is. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }

  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
