package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README's synopsis of each command ({@code ./tokendyn CMD ...} lines in its code blocks) names every
 * option that {@code tokendyn CMD --help} lists, and no option the command lacks. A command or an option
 * added without its README line fails here, whoever adds it.
 */
public class ReadmeSynopsisTest {

  private static final Pattern FENCE = Pattern.compile("```\\w*\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9-]*");
  /**
   * Options that every command writing files shares, described once among the output rules above the
   * command table rather than in each synopsis.
   */
  private static final List<String> SHARED = List.of("--parents");
  /** {@code SWEEP-OPTIONS} in a synopsis: the options of the synopsis of {@code sweep}. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\b([A-Z]+)-OPTIONS\\b");

  /** Each command path ("ot", "bench ot") with the text of its synopsis lines in the README. */
  public static Map<String, String> synopses(String readme) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher f = FENCE.matcher(readme);
    while (f.find()) {
      String current = null;
      for (String line : f.group(1).split("\n")) {
        String code = line.replaceFirst("\\s+#.*$", "");
        if (code.startsWith("./tokendyn ")) {
          current = commandPath(code.substring("./tokendyn ".length()));
          out.merge(current, code, (a, b) -> a + "\n" + b);
        } else if (current != null && !code.isEmpty() && Character.isWhitespace(code.charAt(0))) {
          out.merge(current, code, (a, b) -> a + "\n" + b);
        } else {
          current = null;
        }
      }
    }
    return out;
  }

  private static String commandPath(String rest) {
    List<String> words = new ArrayList<>();
    for (String w : rest.strip().split("\\s+")) {
      if (w.startsWith("-") || w.startsWith("[") || w.startsWith("(") || !w.matches("[a-z]+")) {
        break;
      }
      words.add(w);
    }
    return String.join(" ", words);
  }

  /** Every command that does something (not 'help', not a parent of subcommands) by its path. */
  static Map<String, CommandLine> leaves(CommandLine cl, String prefix, Map<String, CommandLine> out) {
    for (var e : cl.getSubcommands().entrySet()) {
      String path = (prefix.isEmpty() ? "" : prefix + " ") + e.getKey();
      if (e.getKey().equals("help")) {
        continue;
      }
      if (e.getValue().getSubcommands().isEmpty()) {
        out.put(path, e.getValue());
      } else {
        leaves(e.getValue(), path, out);
      }
    }
    return out;
  }

  @Test
  void everyCommandsOptionsAreTheReadmeSynopsisOptions() throws Exception {
    CommandLine root = Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    assertThat(problems(readme(), "", root)).as("README synopses against --help").isEmpty();
  }

  /** The project's README, read from a module's folder. */
  public static String readme() throws java.io.IOException {
    return Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
  }

  /**
   * What the README's synopses get wrong about the commands under {@code root}, which the synopses call
   * {@code prefix} ("" for tokendyn's own, "jupyter", "spark"): a command without a synopsis line, an
   * option that its synopsis lacks, or one that the command lacks. A placeholder such as
   * {@code SWEEP-OPTIONS} in a synopsis stands for the options of the README's synopsis of that command
   * ({@code sweep}); they count as named, and need not all apply.
   */
  public static List<String> problems(String readme, String prefix, CommandLine root) {
    Map<String, String> synopses = synopses(readme);
    Map<String, CommandLine> commands = leaves(root, prefix, new LinkedHashMap<>());
    List<String> problems = new ArrayList<>();
    for (String shared : SHARED) {
      if (!readme.contains("`" + shared + "`")) {
        problems.add("README does not describe the shared option " + shared);
      }
    }
    for (var e : commands.entrySet()) {
      String synopsis = synopses.get(e.getKey());
      if (synopsis == null) {
        problems.add("README has no synopsis line './tokendyn " + e.getKey() + " ...'");
        continue;
      }
      TreeSet<String> options = new TreeSet<>();
      TreeSet<String> names = new TreeSet<>();
      for (OptionSpec o : e.getValue().getCommandSpec().options()) {
        if (o.hidden() || o.usageHelp() || o.versionHelp() || SHARED.contains(o.longestName())) {
          continue;
        }
        options.add(o.longestName());
        names.addAll(List.of(o.names()));
      }
      TreeSet<String> written = optionsIn(synopsis);
      TreeSet<String> unknown = new TreeSet<>(written);
      unknown.removeAll(names);
      Matcher placeholder = PLACEHOLDER.matcher(synopsis);
      while (placeholder.find()) {
        String other = synopses.get(placeholder.group(1).toLowerCase(java.util.Locale.ROOT));
        if (other == null) {
          problems.add("README synopsis of '" + e.getKey() + "' names " + placeholder.group()
              + ", but README has no synopsis of " + placeholder.group(1).toLowerCase(java.util.Locale.ROOT));
        } else {
          written.addAll(optionsIn(other));
        }
      }
      TreeSet<String> missing = new TreeSet<>(options);
      missing.removeAll(written);
      if (!missing.isEmpty()) {
        problems.add("README synopsis of '" + e.getKey() + "' lacks " + missing);
      }
      if (!unknown.isEmpty()) {
        problems.add("README synopsis of '" + e.getKey() + "' names options the command lacks: " + unknown);
      }
    }
    return problems;
  }

  private static TreeSet<String> optionsIn(String synopsis) {
    TreeSet<String> written = new TreeSet<>();
    Matcher m = OPTION.matcher(synopsis);
    while (m.find()) {
      written.add(m.group());
    }
    return written;
  }

  @CommandLine.Command(name = "job")
  static final class Job {
    @CommandLine.Option(names = "--master") String master;
    @CommandLine.Option(names = "--n") int n;
    @CommandLine.Option(names = "--seed") long seed;
  }

  @CommandLine.Command(name = "x", subcommands = {Job.class})
  static final class JobRoot {
  }

  @Test
  void aPlaceholderStandsForTheOptionsOfAnotherSynopsis() {
    CommandLine root = new CommandLine(new JobRoot());
    String md = "```\n./tokendyn job --n N [--seed S]\n./tokendyn x job --master M JOB-OPTIONS\n```\n";
    assertThat(problems(md, "x", root)).noneMatch(p -> p.contains("'x job'"));
    String lacking = "```\n./tokendyn job --n N\n./tokendyn x job --master M JOB-OPTIONS\n```\n";
    assertThat(problems(lacking, "x", root)).contains("README synopsis of 'x job' lacks [--seed]");
    String none = "```\n./tokendyn x job --master M\n```\n";
    assertThat(problems(none, "x", root)).contains("README synopsis of 'x job' lacks [--n, --seed]");
  }

  @Test
  void synopsesSpanContinuationLinesAndSkipComments() {
    String md = "```\n./tokendyn ot --source A  # comment --fake\n    [--reg R]\n./tokendyn bench ot [--peers]\n```\n";
    Map<String, String> s = synopses(md);
    assertThat(s).containsOnlyKeys("ot", "bench ot");
    assertThat(s.get("ot")).contains("--source").contains("--reg").doesNotContain("--fake");
  }

  @Test
  void theTopLevelHelpGivesWholeSentences() {
    CliRun r = CliRun.of("--help");
    assertThat(r.code()).isZero();
    // the sweep's description runs over two lines in its source; the list shows the sentence whole
    assertThat(r.out().replaceAll("\\s+", " "))
        .contains("record at each time the fraction of token pairs with <x_i,x_j> > 0.999 (the phase diagram of"
            + " Geshkovski et al.).");
    assertThat(Main.firstSentence(new String[] {"Fit SA dynamics, e.g. on a", "model. More text."}))
        .isEqualTo("Fit SA dynamics, e.g. on a model.");
  }

  @Test
  void messagesNameOptionsNotLibraryParameters() {
    CliRun r = CliRun.of("simulate", "--dynamics", "sa", "--n", "4", "--d", "3", "--beta", "1", "--steps", "2",
        "--init", "uniform", "--seed", "1", "--record-every", "0", "--out", "unused.json");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--record-every must be >= 1").doesNotContain("recordEvery");
    assertThat(Files.exists(Path.of("unused.json"))).isFalse();
  }
}
