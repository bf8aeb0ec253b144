package dev.tokendyn.jupyter;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Java cells evaluated by JShell in this JVM: a cell is split into snippets (declarations, statements,
 * expressions) and run one after the other, and the value of a final expression is returned for display.
 *
 * <p>The class path of the snippets is this JVM's ({@code java.class.path}); the Vector API module is
 * added to the compiler so that cells may use it too. Not thread-safe, except {@link #stop()}, which
 * another thread calls to interrupt the running cell.
 */
public final class Cells implements AutoCloseable {

  /** The imports every cell starts with: JShell's usual ones and {@link Notebook}'s display helpers. */
  static final List<String> STARTUP = List.of(
      "import java.io.*;",
      "import java.math.*;",
      "import java.net.*;",
      "import java.nio.file.*;",
      "import java.util.*;",
      "import java.util.concurrent.*;",
      "import java.util.function.*;",
      "import java.util.regex.*;",
      "import java.util.stream.*;",
      "import static dev.tokendyn.jupyter.Notebook.*;");

  private final CellExecution engine = new CellExecution();
  private final JShell shell;
  private final SourceCodeAnalysis analysis;
  /** For each snippet id, the cell number and the cell line of its first line; for stack frames. */
  private final Map<String, int[]> origins = new HashMap<>();
  private volatile boolean interrupted;
  private int cellNumber;

  /** A JShell whose snippets see this JVM's class path; {@code out} and {@code err} get JShell's own notices. */
  public Cells(PrintStream out, PrintStream err) {
    shell = JShell.builder()
        .executionEngine(new CellExecution.Provider(engine), Map.of())
        .compilerOptions("--add-modules", "jdk.incubator.vector", "-Xlint:-options")
        .out(out)
        .err(err)
        .build();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        shell.addToClasspath(entry);
      }
    }
    analysis = shell.sourceCodeAnalysis();
    for (String line : STARTUP) {
      shell.eval(line);
    }
  }

  /**
   * Runs a cell.
   *
   * @return the value of the cell's last snippet when that is an expression (not a declaration or a
   *     statement) with a non-null value
   * @throws CellError when a snippet does not compile, throws, or is interrupted; the snippets before it
   *     have run
   */
  public Optional<Object> run(String code) throws CellError {
    interrupted = false;
    cellNumber++;
    engine.clearLastValue();
    Object value = null;
    boolean show = false;
    int offset = 0;
    String rest = code;
    while (!rest.isBlank()) {
      CompletionInfo info = analysis.analyzeCompletion(rest);
      String source;
      int consumed;
      if (info.completeness() == Completeness.EMPTY) {
        break;
      }
      if (info.completeness().isComplete()) {
        source = info.source();
        consumed = rest.length() - info.remaining().length();
      } else {
        source = rest; // incomplete or unparsable: let the compiler say why
        consumed = rest.length();
      }
      int start = offset + startOf(rest.substring(0, consumed), source);
      int firstLine = lineAt(code, start);
      engine.clearLastValue();
      List<SnippetEvent> events = shell.eval(source);
      show = false;
      for (SnippetEvent e : events) {
        if (e.causeSnippet() != null) {
          continue;
        }
        Snippet s = e.snippet();
        origins.put(s.id(), new int[] {cellNumber, firstLine});
        if (interrupted) {
          throw new CellError(CellError.Kind.INTERRUPTED, "Interrupted", "the cell was interrupted",
              List.of("Interrupted: the cell was stopped at line " + firstLine));
        }
        if (e.status() == Snippet.Status.REJECTED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
          throw compileError(s, source, code, start);
        }
        if (e.exception() != null) {
          throw exceptionError(e.exception());
        }
        show = displayable(s);
        value = engine.lastValue();
      }
      offset += consumed;
      rest = rest.substring(consumed);
    }
    // printf and format hand back their stream, which has nothing to show but its identity hash
    boolean stream = value instanceof java.io.PrintStream || value instanceof java.io.PrintWriter;
    return show && !stream ? Optional.ofNullable(value) : Optional.empty();
  }

  /** Whether a cell may run as it is: {@code complete}, {@code incomplete} (with an indent), or {@code invalid}. */
  public Readiness readiness(String code) {
    String rest = code;
    while (!rest.isBlank()) {
      CompletionInfo info = analysis.analyzeCompletion(rest);
      switch (info.completeness()) {
        case EMPTY:
          return Readiness.COMPLETE;
        case DEFINITELY_INCOMPLETE:
        case CONSIDERED_INCOMPLETE:
          return Readiness.INCOMPLETE;
        case UNKNOWN:
          return Readiness.INVALID;
        default:
          rest = info.remaining();
      }
    }
    return Readiness.COMPLETE;
  }

  /** Whether a cell may run as it is. */
  public enum Readiness {
    COMPLETE, INCOMPLETE, INVALID
  }

  /** Completions of the code at {@code cursor}: the replacements and the range of {@code code} they replace. */
  public record Completion(List<String> replacements, int start, int end) {
    public Completion {
      replacements = List.copyOf(replacements);
    }
  }

  /** What may be typed at {@code cursor}, from JShell's analysis of the snippet the cursor is in. */
  public Completion complete(String code, int cursor) {
    if (cursor < 0 || cursor > code.length()) {
      throw new IllegalArgumentException("cursor must be in [0, " + code.length() + "], found " + cursor);
    }
    String before = code.substring(0, cursor);
    int chunkStart = 0;
    String rest = before;
    while (!rest.isBlank()) {
      CompletionInfo info = analysis.analyzeCompletion(rest);
      if (!info.completeness().isComplete() || info.remaining().isBlank()) {
        break;
      }
      chunkStart += rest.length() - info.remaining().length();
      rest = info.remaining();
    }
    String chunk = before.substring(chunkStart);
    int[] anchor = new int[1];
    TreeSet<String> seen = new TreeSet<>();
    List<String> out = new ArrayList<>();
    for (SourceCodeAnalysis.Suggestion s : analysis.completionSuggestions(chunk, chunk.length(), anchor)) {
      if (seen.add(s.continuation())) {
        out.add(s.continuation());
      }
    }
    return new Completion(out, chunkStart + anchor[0], cursor);
  }

  /** Interrupts the running cell, from another thread; does nothing when no cell runs. */
  public void stop() {
    interrupted = true;
    engine.stop();
  }

  @Override
  public void close() {
    shell.close();
  }

  private static boolean displayable(Snippet s) {
    return s.kind() == Snippet.Kind.EXPRESSION
        || s.kind() == Snippet.Kind.VAR && s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
  }

  private CellError compileError(Snippet s, String source, String code, int start) {
    List<String> lines = new ArrayList<>();
    String first = null;
    for (Diag d : (Iterable<Diag>) shell.diagnostics(s)::iterator) {
      if (!d.isError()) {
        continue;
      }
      long pos = Math.max(0, Math.min(d.getStartPosition(), source.length()));
      int line = lineAt(code, start + (int) pos);
      String msg = d.getMessage(Locale.ROOT);
      if (first == null) {
        first = "line " + line + ": " + firstLineOf(msg);
      }
      lines.add("line " + line + ": " + msg.replace("\n", " ").strip());
      String text = lineText(code, line);
      if (!text.isBlank()) {
        lines.add("    " + text.strip());
      }
    }
    if (shell.status(s) == Snippet.Status.RECOVERABLE_NOT_DEFINED && lines.isEmpty()) {
      List<String> missing = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) s).toList();
      first = "line " + lineAt(code, start) + ": cannot be defined until " + String.join(", ", missing) + " is";
      lines.add(first);
    }
    if (first == null) {
      first = "line " + lineAt(code, start) + ": the snippet does not compile";
      lines.add(first);
    }
    return new CellError(CellError.Kind.COMPILE, "CompilationError", first, lines);
  }

  private CellError exceptionError(JShellException ex) {
    List<String> lines = new ArrayList<>();
    String name;
    String head;
    if (ex instanceof EvalException ee) {
      name = ee.getExceptionClassName();
      head = ee.getMessage() == null ? name : name + ": " + ee.getMessage();
    } else if (ex instanceof UnresolvedReferenceException ure) {
      name = "UnresolvedReference";
      head = name + ": " + ure.getSnippet().toString() + " needs " + String.join(", ",
          shell.unresolvedDependencies(ure.getSnippet()).toList());
    } else {
      name = ex.getClass().getSimpleName();
      head = name + ": " + ex.getMessage();
    }
    lines.add(head);
    Throwable t = ex;
    while (t != null) {
      if (t != ex) {
        String cn = t instanceof EvalException ce ? ce.getExceptionClassName() : t.getClass().getName();
        lines.add("Caused by: " + cn + (t.getMessage() == null ? "" : ": " + t.getMessage()));
      }
      for (StackTraceElement f : t.getStackTrace()) {
        String frame = cellFrame(f);
        if (frame != null) {
          lines.add("    at " + frame);
        }
      }
      t = t.getCause();
    }
    if (name.equals(OutOfMemoryError.class.getName())) {
      lines.add("The cell ran out of memory and its objects were released; the kernel keeps running. For more heap,"
          + " reinstall the kernel with TOKENDYN_KERNEL_OPTS=-Xmx<size> ./tokendyn jupyter install, then restart it.");
    }
    return new CellError(CellError.Kind.EXCEPTION, shortName(name), head, lines);
  }

  /** A stack frame of a cell ("method, cell line N"), or null for frames of libraries and of the kernel. */
  private String cellFrame(StackTraceElement f) {
    String file = f.getFileName();
    if (file == null || !file.startsWith("#")) {
      return null;
    }
    int[] origin = origins.get(file.substring(1));
    String where = origin == null ? "an earlier cell"
        : (origin[0] == cellNumber ? "" : "cell " + origin[0] + ", ") + "line "
            + (origin[1] + Math.max(f.getLineNumber(), 1) - 1);
    String method = f.getMethodName().isEmpty() || f.getMethodName().startsWith("do_it$") ? "cell" : f.getMethodName();
    return method + " (" + where + ")";
  }

  private static String shortName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /** Where {@code source} (JShell's normalised snippet) begins in the raw text it came from. */
  private static int startOf(String raw, String source) {
    String probe = source.strip();
    probe = probe.substring(0, Math.min(probe.length(), 40));
    int i = probe.isEmpty() ? -1 : raw.indexOf(probe);
    if (i >= 0) {
      return i;
    }
    int k = 0;
    while (k < raw.length() && Character.isWhitespace(raw.charAt(k))) {
      k++;
    }
    return k;
  }

  /** The 1-based line of a character of the cell. */
  static int lineAt(String code, int pos) {
    int line = 1;
    for (int i = 0; i < Math.min(pos, code.length()); i++) {
      if (code.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static String lineText(String code, int line) {
    String[] lines = code.split("\n", -1);
    return line >= 1 && line <= lines.length ? lines[line - 1] : "";
  }

  private static String firstLineOf(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
