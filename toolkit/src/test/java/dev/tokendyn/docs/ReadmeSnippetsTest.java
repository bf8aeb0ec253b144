package dev.tokendyn.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} block of the README is a complete program: compiled with javac and run in a fresh
 * JVM with the flags the README gives ({@code --add-modules jdk.incubator.vector}) and the toolkit's class
 * path; a {@code text} block after "prints" is its exact output.
 */
@Tag("model")
class ReadmeSnippetsTest {

  private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern CLASS = Pattern.compile("public class (\\w+)");

  record Snippet(String className, String source, String expected) {
  }

  static List<Snippet> snippets(String readme) {
    List<Snippet> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(readme);
    List<String[]> blocks = new ArrayList<>();
    List<Integer> ends = new ArrayList<>();
    List<Integer> starts = new ArrayList<>();
    while (m.find()) {
      blocks.add(new String[] {m.group(1), m.group(2)});
      starts.add(m.start());
      ends.add(m.end());
    }
    for (int i = 0; i < blocks.size(); i++) {
      if (!blocks.get(i)[0].equals("java")) {
        continue;
      }
      String src = blocks.get(i)[1];
      Matcher c = CLASS.matcher(src);
      assertThat(c.find()).as("README java block %d declares a public class:%n%s", i, src).isTrue();
      String expected = null;
      if (i + 1 < blocks.size() && blocks.get(i + 1)[0].equals("text")
          && readme.substring(ends.get(i), starts.get(i + 1)).strip().equals("prints")) {
        expected = blocks.get(i + 1)[1];
      }
      out.add(new Snippet(c.group(1), src, expected));
    }
    return out;
  }

  @Test
  void everyJavaBlockOfTheReadmeCompilesRunsAndPrintsWhatItSays(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    long fences = readme.lines().filter(l -> l.startsWith("```")).count();
    assertThat(fences % 2).as("README code fences open and close in pairs (%d fences)", fences).isZero();
    List<Snippet> all = snippets(readme);
    assertThat(all).as("java blocks in README.md").isNotEmpty();
    String cp = System.getProperty("java.class.path");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    for (Snippet s : all) {
      Path file = dir.resolve(s.className() + ".java");
      Files.writeString(file, s.source(), StandardCharsets.UTF_8);
      int compiled = javac.run(null, null, null, "--add-modules", "jdk.incubator.vector", "-Xlint:-options",
          "-cp", cp, "-d", dir.toString(), file.toString());
      assertThat(compiled).as("javac of %s", s.className()).isZero();
      Path stdout = dir.resolve(s.className() + ".out");
      Path stderr = dir.resolve(s.className() + ".err");
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "--add-modules", "jdk.incubator.vector", "-cp", dir + File.pathSeparator + cp, s.className())
          .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("%s finishes", s.className()).isTrue();
      assertThat(p.exitValue()).as("%s exit code; stderr: %s", s.className(), Files.readString(stderr)).isZero();
      if (s.expected() != null) {
        assertThat(Files.readString(stdout)).as("output of %s", s.className()).isEqualTo(s.expected());
      }
    }
  }

  @Test
  void theSnippetsAreFoundWithTheirOutputs() {
    String md = "x\n```java\npublic class A {}\n```\n\nprints\n\n```text\nhi\n```\n```java\npublic class B {}\n```\n";
    List<Snippet> s = snippets(md);
    assertThat(s).extracting(Snippet::className).containsExactly("A", "B");
    assertThat(s.get(0).expected()).isEqualTo("hi\n");
    assertThat(s.get(1).expected()).isNull();
  }
}
