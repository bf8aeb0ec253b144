package dev.tokendyn.jupyter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a JShell notebook of the project's style into a Jupyter notebook (nbformat 4) on the tokendyn
 * kernel, without outputs.
 *
 * <p>The style: a header of {@code //} lines (becomes the title cell), imports and set-up, then steps that
 * each open with a comment line {@code // 1. What the step does.} (becomes a markdown cell before the
 * step's code cell). JShell commands ({@code /exit}) are dropped. Relative paths ({@code Path.of("results/...")}),
 * which the JShell runner resolved from the project's root, are made relative to {@code notebooks-java/},
 * where Jupyter runs the notebook. Each plot saved with
 * {@code Plots.save(chart, path.png)} is also displayed inline, so are the plots of a folder written with
 * {@code AtomicFiles.writeFolder(folder, ...)}, and a report written with
 * {@code Files.writeString(...README.md..., text)} is displayed as markdown.
 */
public final class JshNotebooks {

  private static final Pattern STEP = Pattern.compile("^// ?(\\d+)\\. (.*)$");
  /** A path relative to the project's root, as the JShell runner resolved them. */
  private static final Pattern RELATIVE_PATH = Pattern.compile("Path\\.of\\(\"(?![/.~])");

  private JshNotebooks() {
  }

  /**
   * The notebook for a JShell script.
   *
   * @param name the notebook's name (for the title when the header has none), such as {@code 01-clusters}
   * @param jsh the script's text
   */
  public static ObjectNode convert(String name, String jsh) {
    List<String> lines = List.of(jsh.replace("\r\n", "\n").split("\n", -1));
    int i = 0;
    List<String> header = new ArrayList<>();
    while (i < lines.size() && lines.get(i).startsWith("//")) {
      header.add(stripComment(lines.get(i)));
      i++;
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode nb = f.objectNode();
    ArrayNode cells = nb.putArray("cells");
    cells.add(markdownCell(title(name, header)));

    List<String> code = new ArrayList<>();
    for (; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("/") && !line.startsWith("//") && !line.startsWith("/*")) {
        continue; // a JShell command such as /exit
      }
      Matcher step = STEP.matcher(line);
      if (step.matches()) {
        addCode(cells, code);
        List<String> text = new ArrayList<>();
        text.add(stripComment(line));
        while (i + 1 < lines.size() && lines.get(i + 1).startsWith("//")) {
          text.add(stripComment(lines.get(++i)));
        }
        cells.add(markdownCell("**" + step.group(1) + ".** " + String.join(" ", text).substring(
            step.group(1).length() + 2).strip()));
        continue;
      }
      code.add(RELATIVE_PATH.matcher(line).replaceAll("Path.of(\"../"));
    }
    addCode(cells, code);

    ObjectNode meta = nb.putObject("metadata");
    ObjectNode spec = meta.putObject("kernelspec");
    spec.put("name", TokendynKernel.NAME);
    spec.put("display_name", KernelSpec.DISPLAY_NAME);
    spec.put("language", "java");
    ObjectNode lang = meta.putObject("language_info");
    lang.put("name", "java");
    lang.put("file_extension", ".jshell");
    lang.put("mimetype", "text/x-java-source");
    lang.put("pygments_lexer", "java");
    lang.put("codemirror_mode", "text/x-java");
    nb.put("nbformat", 4);
    nb.put("nbformat_minor", 5);
    int n = 0;
    for (var c : cells) {
      ((ObjectNode) c).put("id", name.replaceAll("[^A-Za-z0-9-]", "-") + "-" + n++);
    }
    return nb;
  }

  private static String title(String name, List<String> header) {
    String text = String.join(" ", header).replaceAll("\\s*Run: \\S+ \\S+\\s*$", "").strip();
    int colon = text.indexOf(": ");
    if (colon > 0 && colon < 80) {
      return "# " + name + ": " + text.substring(0, colon) + "\n\n" + text.substring(colon + 2);
    }
    return "# " + name + (text.isEmpty() ? "" : "\n\n" + text);
  }

  private static void addCode(ArrayNode cells, List<String> code) {
    while (!code.isEmpty() && code.get(0).isBlank()) {
      code.remove(0);
    }
    while (!code.isEmpty() && code.get(code.size() - 1).isBlank()) {
      code.remove(code.size() - 1);
    }
    if (code.isEmpty()) {
      return;
    }
    String src = showOutputs(String.join("\n", code));
    code.clear();
    ObjectNode cell = JsonNodeFactory.instance.objectNode();
    cell.put("cell_type", "code");
    cell.putNull("execution_count");
    cell.putObject("metadata");
    cell.putArray("outputs");
    source(cell, src);
    cells.add(cell);
  }

  /**
   * The code with a display after each statement that writes something worth seeing: a PNG plot, a folder of
   * plots, a README. Inserted right after the statement, so that it sees the same variables (a loop's too).
   */
  static String showOutputs(String src) {
    java.util.TreeMap<Integer, String> inserts = new java.util.TreeMap<>();
    for (Call c : callSites(src, "Plots.save")) {
      String path = c.args().get(c.args().size() - 1);
      if (c.args().size() >= 2 && (path.endsWith(".png\")") || path.endsWith(".png\"))"))) {
        inserts.merge(c.statementEnd(), " display(image(" + path + "));", String::concat);
      }
    }
    for (Call c : callSites(src, "FitReport.writePlot")) {
      if (!c.args().isEmpty() && c.args().get(0).endsWith(".png\")")) {
        inserts.merge(c.statementEnd(), " display(image(" + c.args().get(0) + "));", String::concat);
      }
    }
    List<Call> folders = callSites(src, "AtomicFiles.writeFolder");
    List<Call> reports = new ArrayList<>();
    for (Call c : callSites(src, "Files.writeString")) {
      if (c.args().size() >= 2 && c.args().get(0).endsWith("README.md\")")) {
        reports.add(c);
      }
    }
    for (Call c : folders) {
      String shown = "\ndisplayImages(" + c.args().get(0) + ");";
      // a README written inside the folder's lambda is shown once the folder is in place
      if (reports.stream().anyMatch(c::encloses)) {
        shown += "\ndisplay(report(Files.readString(" + c.args().get(0) + ".resolve(\"README.md\"))));";
      }
      inserts.merge(c.statementEnd(), shown, String::concat);
    }
    for (Call c : reports) {
      if (folders.stream().noneMatch(f -> f.encloses(c))) {
        inserts.merge(c.statementEnd(), "\ndisplay(report(Files.readString(" + c.args().get(0) + ")));", String::concat);
      }
    }
    StringBuilder b = new StringBuilder(src);
    for (var e : inserts.descendingMap().entrySet()) {
      b.insert(e.getKey(), e.getValue());
    }
    return b.toString();
  }

  /** The path argument of each {@code Plots.save(chart, path)} call whose path names a PNG file. */
  static List<String> savedPngs(String src) {
    List<String> out = new ArrayList<>();
    for (List<String> args : calls(src, "Plots.save")) {
      String path = args.get(args.size() - 1);
      if (args.size() >= 2 && (path.endsWith(".png\")") || path.endsWith(".png\"))"))) {
        out.add(path);
      }
    }
    return out;
  }

  /** The path argument of each {@code Files.writeString(path, text)} that writes a README.md. */
  static List<String> writtenReports(String src) {
    List<String> out = new ArrayList<>();
    for (List<String> args : calls(src, "Files.writeString")) {
      if (args.size() >= 2 && args.get(0).endsWith("README.md\")")) {
        out.add(args.get(0));
      }
    }
    return out;
  }

  /** The folder argument of each {@code AtomicFiles.writeFolder(folder, ...)}: a report with its plots. */
  static List<String> writtenFolders(String src) {
    List<String> out = new ArrayList<>();
    for (List<String> args : calls(src, "AtomicFiles.writeFolder")) {
      out.add(args.get(0));
    }
    return out;
  }

  /**
   * A call in the source: its top-level arguments, where it starts and where its closing parenthesis is, and
   * where the statement it ends ends (after its ';').
   */
  record Call(List<String> args, int start, int close, int statementEnd) {
    /** Whether {@code other} lies inside this call's arguments (such as a call in a lambda passed to it). */
    boolean encloses(Call other) {
      return other.start > start && other.close < close;
    }
  }

  /** The top-level arguments of each call of {@code callee} in the source, strings and nesting respected. */
  static List<List<String>> calls(String src, String callee) {
    List<List<String>> out = new ArrayList<>();
    for (Call c : callSites(src, callee)) {
      out.add(c.args());
    }
    return out;
  }

  /** Each call of {@code callee}, with its arguments and the end of its statement. */
  static List<Call> callSites(String src, String callee) {
    List<Call> out = new ArrayList<>();
    int from = 0;
    while (true) {
      int at = src.indexOf(callee + "(", from);
      if (at < 0) {
        return out;
      }
      int open = at + callee.length();
      int depth = 0;
      int argStart = open + 1;
      List<String> args = new ArrayList<>();
      int close = -1;
      for (int k = open; k < src.length() && close < 0; k++) {
        char c = src.charAt(k);
        if (c == '"') {
          if (src.startsWith("\"\"\"", k)) {
            k = src.indexOf("\"\"\"", k + 3);
            if (k < 0) {
              return out;
            }
            k += 2;
          } else {
            k = src.indexOf('"', k + 1);
            if (k < 0) {
              return out;
            }
          }
        } else if (c == '(' || c == '{' || c == '[') {
          depth++;
        } else if (c == ')' || c == '}' || c == ']') {
          if (--depth == 0) {
            close = k;
            args.add(src.substring(argStart, k).strip());
          }
        } else if (c == ',' && depth == 1) {
          args.add(src.substring(argStart, k).strip());
          argStart = k + 1;
        }
      }
      if (close < 0) {
        return out;
      }
      int semi = src.indexOf(';', close);
      out.add(new Call(args, at, close, semi < 0 ? src.length() : semi + 1));
      from = close;
    }
  }

  private static ObjectNode markdownCell(String text) {
    ObjectNode cell = JsonNodeFactory.instance.objectNode();
    cell.put("cell_type", "markdown");
    cell.putObject("metadata");
    source(cell, text);
    return cell;
  }

  /** nbformat's multi-line string: a list of lines, each but the last ending in a newline. */
  private static void source(ObjectNode cell, String text) {
    ArrayNode a = cell.putArray("source");
    String[] parts = text.split("\n", -1);
    for (int k = 0; k < parts.length; k++) {
      if (k < parts.length - 1) {
        a.add(parts[k] + "\n");
      } else if (!parts[k].isEmpty()) {
        a.add(parts[k]);
      }
    }
  }

  private static String stripComment(String line) {
    return line.replaceFirst("^//\\s?", "");
  }
}
