package dev.tokendyn.cli;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Puts a library message in the user's words: the parameter names of the library's records
 * ({@code recordEvery}, {@code maxIter}, {@code stopThr}) become the options that set them
 * ({@code --record-every}, {@code --max-iter}, {@code --tol}). A parameter is known by the camel-case
 * form of its option's name and by the Java field that the option fills; a plain word such as {@code n}
 * or {@code reg} is replaced only where it opens the message ("n must be >= 1") or names a fix
 * ("increase maxIter or reg").
 */
final class OptionNames {
  private OptionNames() {}

  static String inUserWords(String message, CommandLine cl) {
    if (message == null) {
      return null;
    }
    Map<String, String> words = new LinkedHashMap<>();
    for (OptionSpec o : cl.getCommandSpec().options()) {
      String name = o.longestName();
      if (!name.startsWith("--")) {
        continue;
      }
      String bare = name.substring(2);
      words.put(camel(bare), name);
      words.put(bare.replace('-', '_'), name);
      words.put(bare.replace('-', ' '), name); // "batch size must be >= 1"
      if (o.userObject() instanceof Field f) {
        words.put(f.getName(), name);
      }
    }
    String out = message;
    for (Map.Entry<String, String> w : words.entrySet()) {
      String key = w.getKey();
      if ((key.equals(w.getValue().substring(2)) || key.contains(" ")) && !key.contains("_")) {
        // a plain word: only as the subject that opens the message
        if (out.startsWith(key + " must ") || out.startsWith(key + " ")
            && out.substring(key.length() + 1).matches("(is|are|has|needs) .*")) {
          out = w.getValue() + out.substring(key.length());
        }
        // and as the object of a fix: "increase maxIter or reg"
        out = Pattern.compile("(?<=\\b(?:increase|lower|raise|decrease|or) )" + Pattern.quote(key) + "(?![\\w-])")
            .matcher(out).replaceAll(Matcher.quoteReplacement(w.getValue()));
        continue;
      }
      if (!key.chars().anyMatch(c -> Character.isUpperCase(c) || c == '_')) {
        continue;
      }
      out = Pattern.compile("(?<![\\w-])" + Pattern.quote(key) + "(?![\\w-])").matcher(out)
          .replaceAll(Matcher.quoteReplacement(w.getValue()));
    }
    return out;
  }

  private static String camel(String dashed) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : dashed.toCharArray()) {
      if (c == '-') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }
}
