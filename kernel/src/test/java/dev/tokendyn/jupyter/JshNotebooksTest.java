package dev.tokendyn.jupyter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JshNotebooksTest {

  private static final String JSH = """
      // Clusters on the circle: a small run (Somebody et al., Figure 2). Run: notebooks-java/run 09-small
      import dev.tokendyn.export.*;
      import java.nio.file.*;

      Path out = Path.of("results/09-small");

      // 1. The run: SA, 8 tokens,
      // beta = 4.
      double[] t = {0, 1};
      Plots.save(Plots.lines("k", "t", "k", t, Map.of("k", new double[] {2, 1})),
          out.resolve("k.png"));
      Plots.save(chart, out.resolve("k.svg"));

      // 2. The report.
      String readme = "# small";
      Files.writeString(out.resolve("README.md"), readme);
      /exit
      """;

  @Test
  void headerStepsAndCodeBecomeMarkdownAndCodeCells() {
    ObjectNode nb = JshNotebooks.convert("09-small", JSH);
    List<String> kinds = new ArrayList<>();
    List<String> sources = new ArrayList<>();
    for (JsonNode c : nb.get("cells")) {
      kinds.add(c.get("cell_type").asText());
      StringBuilder b = new StringBuilder();
      c.get("source").forEach(l -> b.append(l.asText()));
      sources.add(b.toString());
    }
    assertThat(kinds).containsExactly("markdown", "code", "markdown", "code", "markdown", "code");
    assertThat(sources.get(0)).isEqualTo("# 09-small: Clusters on the circle\n\n"
        + "a small run (Somebody et al., Figure 2).");
    assertThat(sources.get(1)).isEqualTo("import dev.tokendyn.export.*;\nimport java.nio.file.*;\n\n"
        + "Path out = Path.of(\"../results/09-small\");");
    assertThat(sources.get(2)).isEqualTo("**1.** The run: SA, 8 tokens, beta = 4.");
    // the PNG is shown inline right after it is saved; the SVG is not
    assertThat(sources.get(3)).contains("out.resolve(\"k.png\")); display(image(out.resolve(\"k.png\")));")
        .endsWith("Plots.save(chart, out.resolve(\"k.svg\"));");
    assertThat(sources.get(5)).endsWith("readme);\ndisplay(report(Files.readString(out.resolve(\"README.md\"))));")
        .doesNotContain("/exit");
    assertThat(nb.at("/metadata/kernelspec/name").asText()).isEqualTo("tokendyn");
    assertThat(nb.at("/metadata/kernelspec/display_name").asText()).isEqualTo("tokendyn (Java 17)");
    assertThat(nb.get("nbformat").asInt()).isEqualTo(4);
    assertThat(nb.at("/cells/1/outputs").isArray()).isTrue();
  }

  @Test
  void aFolderOfPlotsAndAnInlineReportAreShown() {
    String src = "AtomicFiles.writeFolder(out, true, dir -> AnalysisReport.write(dir, a, i, new int[] {0, 6}));\n"
        + "Files.writeString(out.resolve(\"README.md\"), \"\"\"\n# a, (b) \"quoted\"\n\"\"\".replace(\"T\", t));";
    assertThat(JshNotebooks.writtenFolders(src)).containsExactly("out");
    assertThat(JshNotebooks.writtenReports(src)).containsExactly("out.resolve(\"README.md\")");
  }

  @Test
  void aReadmeWrittenInsideAFolderIsShownAfterTheFolderIsInPlace() {
    String src = "AtomicFiles.writeFolder(out, true, dir -> {\n  AnalysisReport.write(dir, a, i, new int[] {0});\n"
        + "  Files.writeString(dir.resolve(\"README.md\"), readme);\n});";
    assertThat(JshNotebooks.showOutputs(src)).isEqualTo(src + "\ndisplayImages(out);\n"
        + "display(report(Files.readString(out.resolve(\"README.md\"))));");
  }

  @Test
  void aPlotSavedInALoopIsShownInsideTheLoop() {
    String src = "for (String m : List.of(\"a\", \"b\")) {\n  Plots.save(chart(m), out.resolve(m + \".png\"));\n}";
    assertThat(JshNotebooks.showOutputs(src)).isEqualTo("for (String m : List.of(\"a\", \"b\")) {\n"
        + "  Plots.save(chart(m), out.resolve(m + \".png\")); display(image(out.resolve(m + \".png\")));\n}");
  }

  @Test
  void aFitPlotIsShownToo() {
    assertThat(JshNotebooks.showOutputs("FitReport.writePlot(out.resolve(m + \".png\"), m, r);"))
        .isEqualTo("FitReport.writePlot(out.resolve(m + \".png\"), m, r); display(image(out.resolve(m + \".png\")));");
  }

  @Test
  void savedPngsReadTheLastArgumentOfEachCall() {
    String src = "Plots.save(Plots.scatter(\"a, b\", \"x\", \"y\", m), dir.resolve(\"p-\" + d + \".png\"));\n"
        + "Plots.save(c, Path.of(\"x.png\"));";
    assertThat(JshNotebooks.savedPngs(src))
        .containsExactly("dir.resolve(\"p-\" + d + \".png\")", "Path.of(\"x.png\")");
  }
}
