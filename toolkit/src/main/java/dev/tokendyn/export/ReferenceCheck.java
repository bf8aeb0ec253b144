package dev.tokendyn.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Compares the text outputs of a run (JSON, Markdown, CSV) with a reference folder of the same files, the
 * way the notebooks' outputs are compared with their committed ones: the words must be identical, and each
 * number must agree within a given relative tolerance or one unit of its last printed digit, whichever is
 * larger. This is what "the same result" means across processors: PyTorch's and the JVM's SIMD paths differ
 * in the last bits from one processor to another. Plots are drawn from the same numbers and are not compared.
 */
public final class ReferenceCheck {
  private static final Pattern NUMBER = Pattern.compile("[-+]?(?:\\d+\\.\\d*|\\.\\d+|\\d+)(?:[eE][-+]?\\d+)?");
  private static final List<String> TEXT = List.of(".json", ".md", ".csv", ".tsv", ".txt", ".jsonl");

  /** The outcome: how many files and numbers were compared, and the differences found (empty when they agree). */
  public record Result(int files, long numbers, List<String> differences) {
    public boolean agrees() {
      return differences.isEmpty();
    }
  }

  private ReferenceCheck() {
  }

  /**
   * Compares every text file of {@code reference} with the file of the same relative name under {@code actual}.
   * A reference file missing from {@code actual}, and a text file of {@code actual} missing from the reference,
   * are differences.
   */
  public static Result compare(Path actual, Path reference, double relative) throws IOException {
    List<String> diffs = new ArrayList<>();
    List<Path> refs = textFiles(reference);
    long numbers = 0;
    for (Path rel : refs) {
      Path a = actual.resolve(rel.toString());
      if (!Files.isRegularFile(a)) {
        diffs.add(rel + ": missing");
        continue;
      }
      String[] out = new String[1];
      numbers += compareText(Files.readString(reference.resolve(rel.toString()), StandardCharsets.UTF_8),
          Files.readString(a, StandardCharsets.UTF_8), relative, out);
      if (out[0] != null) {
        diffs.add(rel + ": " + out[0]);
      }
    }
    for (Path rel : textFiles(actual)) {
      if (!refs.contains(rel)) {
        diffs.add(rel + ": not in the reference");
      }
    }
    return new Result(refs.size(), numbers, List.copyOf(diffs));
  }

  /**
   * Compares two texts; returns the count of numbers compared, and puts the first difference (or null) in
   * {@code difference[0]}.
   */
  static long compareText(String expected, String actual, double relative, String[] difference) {
    difference[0] = null;
    Matcher me = NUMBER.matcher(expected);
    Matcher ma = NUMBER.matcher(actual);
    int pe = 0;
    int pa = 0;
    long count = 0;
    int line = 1;
    while (true) {
      boolean fe = me.find();
      boolean fa = ma.find();
      String we = expected.substring(pe, fe ? me.start() : expected.length());
      String wa = actual.substring(pa, fa ? ma.start() : actual.length());
      if (!we.equals(wa)) {
        int common = 0;
        while (common < Math.min(we.length(), wa.length()) && we.charAt(common) == wa.charAt(common)) {
          common++;
        }
        int at = line + (int) we.substring(0, common).chars().filter(c -> c == '\n').count();
        difference[0] = String.format(Locale.ROOT, "line %d: the words differ (%s against %s)", at,
            clip(we), clip(wa));
        return count;
      }
      line += (int) we.chars().filter(c -> c == '\n').count();
      if (fe != fa) {
        difference[0] = String.format(Locale.ROOT, "line %d: %s", line,
            fe ? "number " + me.group() + " is missing" : "an extra number " + ma.group());
        return count;
      }
      if (!fe) {
        return count;
      }
      String x = me.group();
      String y = ma.group();
      double fx = Double.parseDouble(x);
      double fy = Double.parseDouble(y);
      double allowed = Math.max(relative * Math.max(Math.abs(fx), Math.abs(fy)), Math.max(unit(x), unit(y)));
      if (!(Math.abs(fx - fy) <= allowed * 1.000001)) {
        difference[0] = String.format(Locale.ROOT, "line %d: number %s is now %s", line, x, y);
        return count;
      }
      count++;
      pe = me.end();
      pa = ma.end();
    }
  }

  /** One unit of a printed number's last digit: 0.125 gives 0.001, 3e-05 gives 1e-05, 12 gives 1. */
  static double unit(String token) {
    int e = Math.max(token.indexOf('e'), token.indexOf('E'));
    String mantissa = e >= 0 ? token.substring(0, e) : token;
    int exp = e >= 0 ? Integer.parseInt(token.substring(e + 1).replace("+", "")) : 0;
    int dot = mantissa.indexOf('.');
    int decimals = dot >= 0 ? mantissa.length() - dot - 1 : 0;
    return Math.pow(10, exp - decimals);
  }

  private static String clip(String s) {
    String t = s.replace("\n", "\\n");
    return "'" + (t.length() > 60 ? t.substring(0, 60) + "..." : t) + "'";
  }

  private static List<Path> textFiles(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> TEXT.stream().anyMatch(ext -> p.getFileName().toString().endsWith(ext)))
          .map(root::relativize).sorted().toList();
    }
  }
}
