package dev.tokendyn.jupyter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CellsTest {

  private static Cells cells;

  @BeforeAll
  static void start() {
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    cells = new Cells(quiet, quiet);
  }

  @AfterAll
  static void stop() {
    cells.close();
  }

  @Test
  void theLastExpressionOfACellIsItsValue() throws CellError {
    assertThat(cells.run("int a = 6;\nint b = 7;\na * b")).contains(42);
    assertThat(cells.run("a + b")).contains(13);
    assertThat(cells.run("a")).contains(6);
  }

  @Test
  void declarationsAndStatementsShowNothing() throws CellError {
    assertThat(cells.run("int c = 1;")).isEmpty();
    assertThat(cells.run("c++;\nvoid f() {}")).isEmpty();
    assertThat(cells.run("String s = null;\ns")).isEmpty();
  }

  @Test
  void aPrintfAtTheEndShowsItsTextNotItsStream() throws CellError {
    assertThat(cells.run("System.out.printf(\"%d%n\", 42)")).isEmpty();
    assertThat(cells.run("new java.io.StringWriter().append(\"x\")")).map(Object::toString).contains("x");
  }

  @Test
  void theToolkitIsOnTheClassPathWithTheVectorApi() throws CellError {
    Object cloud = cells.run("dev.tokendyn.cloud.TokenCloud.of(new double[][] {{3, 4}, {0, 1}})").orElseThrow();
    assertThat(cloud).isInstanceOf(dev.tokendyn.cloud.TokenCloud.class);
    assertThat(((dev.tokendyn.cloud.TokenCloud) cloud).get(0, 1)).isEqualTo(4.0);
    assertThat(cells.run("jdk.incubator.vector.DoubleVector.SPECIES_128.length()")).contains(2);
  }

  @Test
  void aCompileErrorNamesTheCellLineAndTheCompilerMessage() {
    assertThatThrownBy(() -> cells.run("int ok = 1;\n\nint bad = \"text\";"))
        .isInstanceOfSatisfying(CellError.class, e -> {
          assertThat(e.kind()).isEqualTo(CellError.Kind.COMPILE);
          assertThat(e.getMessage()).startsWith("line 3: incompatible types");
          assertThat(String.join("\n", e.lines())).contains("int bad = \"text\";").doesNotContain("jdk.jshell");
        });
  }

  @Test
  void aCellStopsAtItsFirstError() throws CellError {
    assertThatThrownBy(() -> cells.run("int before = 1;\nundefinedCall();\nint after = 2;"))
        .isInstanceOf(CellError.class).hasMessageStartingWith("line 2: cannot find symbol");
    assertThat(cells.run("before")).contains(1);
    assertThatThrownBy(() -> cells.run("after")).isInstanceOf(CellError.class);
  }

  @Test
  void anExceptionShowsItsMessageAndTheCellFramesOnly() throws CellError {
    cells.run("int depth(int k) {\n  if (k == 0) throw new IllegalStateException(\"bottom\");\n  return depth(k - 1);\n}");
    assertThatThrownBy(() -> cells.run("int x = 1;\ndepth(2)"))
        .isInstanceOfSatisfying(CellError.class, e -> {
          assertThat(e.kind()).isEqualTo(CellError.Kind.EXCEPTION);
          assertThat(e.name()).isEqualTo("IllegalStateException");
          assertThat(e.getMessage()).isEqualTo("java.lang.IllegalStateException: bottom");
          String text = String.join("\n", e.lines());
          // three frames of depth (defined in an earlier cell, line 2 then line 3 twice) and this cell's line 2
          assertThat(text).contains("at depth (cell").contains("line 2)").contains("at cell (line 2)");
          assertThat(text).doesNotContain("dev.tokendyn.jupyter").doesNotContain("java.lang.reflect");
        });
  }

  @Test
  void anInterruptStopsALoopThatNeverEnds() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        cells.run("long spins = 0;\nwhile (true) { spins++; }");
      } catch (Throwable t) {
        failure.set(t);
      }
    });
    runner.start();
    Thread.sleep(1000);
    cells.stop();
    runner.join(20_000);
    assertThat(runner.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOfSatisfying(CellError.class,
        e -> assertThat(e.kind()).isEqualTo(CellError.Kind.INTERRUPTED));
    assertThat(cells.run("1 + 1")).contains(2);
  }

  @Test
  void readinessTellsOpenBlocksFromCompleteAndBrokenCode() {
    assertThat(cells.readiness("int q = 1;")).isEqualTo(Cells.Readiness.COMPLETE);
    assertThat(cells.readiness("for (int i = 0; i < 3; i++) {")).isEqualTo(Cells.Readiness.INCOMPLETE);
    assertThat(cells.readiness("int q = 1;\nint f() {")).isEqualTo(Cells.Readiness.INCOMPLETE);
    assertThat(cells.readiness("int q = 1;\n)")).isEqualTo(Cells.Readiness.INVALID);
  }

  @Test
  void completionReplacesTheWordAtTheCursorInTheSnippetItIsIn() {
    String code = "int y = 2;\nMath.ab";
    Cells.Completion c = cells.complete(code, code.length());
    assertThat(c.replacements()).anyMatch(r -> r.startsWith("abs("));
    assertThat(code.substring(c.start(), c.end())).isEqualTo("ab");
    assertThatThrownBy(() -> cells.complete(code, code.length() + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cursor");
  }

  @Test
  void lineNumbersCountNewlines() {
    assertThat(Cells.lineAt("a\nb\nc", 0)).isEqualTo(1);
    assertThat(Cells.lineAt("a\nb\nc", 2)).isEqualTo(2);
    assertThat(Cells.lineAt("a\nb\nc", 4)).isEqualTo(3);
  }
}
