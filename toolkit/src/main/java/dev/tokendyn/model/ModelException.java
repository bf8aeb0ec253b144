package dev.tokendyn.model;

/**
 * A model that cannot be loaded or run: a missing, truncated or corrupt weight file, a configuration
 * that tokendyn does not support, or a failure of the native engine. The message names the file or
 * the model.
 */
public final class ModelException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
