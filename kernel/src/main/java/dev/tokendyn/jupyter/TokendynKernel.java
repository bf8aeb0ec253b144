package dev.tokendyn.jupyter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * The tokendyn Jupyter kernel: Java cells through {@link Cells}, values through {@link Displays}, and
 * errors as the compiler or the exception state them, never the kernel's stack.
 *
 * <p>JShell is built on a background thread while the kernel answers its first messages, so that
 * Jupyter sees the kernel ready at once; the first cell waits for it.
 */
public final class TokendynKernel extends BaseKernel {

  static final String NAME = "tokendyn";

  private final CompletableFuture<Cells> cells;

  private TokendynKernel() {
    super(NAME, version(), new LanguageInfo.Builder("java")
            .version(Runtime.version().toString())
            .mimetype("text/x-java-source")
            .fileExtension(".jshell")
            .pygments("java")
            .codemirror("text/x-java")
            .build(),
        List.of(), null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null,
        new MagicsRegistry(), false, plainStyler());
    // JShell's notices (not the cells' output, which goes through System.out) go to the kernel's log
    cells = CompletableFuture.supplyAsync(() -> new Cells(System.err, System.err));
  }

  /** A kernel ready to become the handler of a connection. */
  public static TokendynKernel create() {
    return new TokendynKernel();
  }

  private static String version() {
    String v = TokendynKernel.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  private static StringStyler plainStyler() {
    return new StringStyler.Builder().build();
  }

  private Cells cells() {
    return cells.join();
  }

  @Override
  public Object evalRaw(String source) {
    try {
      Optional<Object> value = cells().run(source);
      return value.orElse(null);
    } catch (CellError e) {
      throw CellFailure.of(e);
    }
  }

  @Override
  public DisplayData eval(String source) {
    Object v = evalRaw(source);
    return v == null ? null : Displays.of(v);
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    return null;
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    Cells.Completion c = cells().complete(code, at);
    return new ReplacementOptions(c.replacements(), c.start(), c.end());
  }

  @Override
  public String isComplete(String code) {
    return switch (cells().readiness(code)) {
      case COMPLETE -> IS_COMPLETE_YES;
      case INVALID -> IS_COMPLETE_BAD;
      case INCOMPLETE -> "    ";
    };
  }

  @Override
  public void interrupt() {
    if (cells.isDone()) {
      cells().stop();
    }
  }

  @Override
  public List<String> formatError(Throwable e) {
    if (e instanceof CellFailure f) {
      return f.error.lines();
    }
    List<String> lines = new ArrayList<>();
    lines.add(e.getClass().getSimpleName() + ": " + e.getMessage());
    return lines;
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    super.onShutdown(isRestarting);
    if (cells.isDone()) {
      cells().close();
    }
  }

  /**
   * A failed cell on its way through jjava's error reply, which names the error by the exception's
   * simple class name (hence one class per kind) and takes the message as the error's value.
   */
  abstract static class CellFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient CellError error;

    CellFailure(CellError error) {
      super(error.getMessage(), null, false, false);
      this.error = error;
    }

    static CellFailure of(CellError e) {
      return switch (e.kind()) {
        case COMPILE -> new CompilationError(e);
        case EXCEPTION -> new CellException(e);
        case INTERRUPTED -> new Interrupted(e);
      };
    }
  }

  /** javac rejected the cell. */
  static final class CompilationError extends CellFailure {
    private static final long serialVersionUID = 1L;

    CompilationError(CellError e) {
      super(e);
    }
  }

  /** The cell threw; the message starts with the exception's class. */
  static final class CellException extends CellFailure {
    private static final long serialVersionUID = 1L;

    CellException(CellError e) {
      super(e);
    }
  }

  /** The cell was interrupted. */
  static final class Interrupted extends CellFailure {
    private static final long serialVersionUID = 1L;

    Interrupted(CellError e) {
      super(e);
    }
  }
}
