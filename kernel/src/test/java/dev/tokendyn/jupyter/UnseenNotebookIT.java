package dev.tokendyn.jupyter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.metrics.MeanCosine;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A notebook written here, against the public API only, and never committed, runs under Jupyter's own
 * {@code jupyter nbconvert --execute} on the tokendyn kernel: its printed number is the one the library
 * gives outside the kernel, a cloud displays as its summary, a chart as {@code image/png}, and no cell
 * fails. Skipped where nbconvert is missing; {@code .ci/run} installs it.
 */
class UnseenNotebookIT {
  private static final String[] CELLS = {
      "import dev.tokendyn.cloud.TokenCloud;\nimport dev.tokendyn.metrics.MeanCosine;",
      "var rng = new java.util.SplittableRandom(11);\n"
          + "double[] x = new double[40 * 8];\n"
          + "for (int i = 0; i < x.length; i++) x[i] = rng.nextGaussian() + (i % 8 == 0 ? 2 : 0);\n"
          + "var cloud = TokenCloud.ofFlat(40, 8, x);\n"
          + "cloud",
      "System.out.println(\"mean cosine \" + MeanCosine.of(cloud));",
      "var chart = new org.knowm.xchart.XYChartBuilder().width(320).height(240).title(\"a chart\").build();\n"
          + "chart.addSeries(\"line\", new double[] {0, 1, 2, 3}, new double[] {1, 0, 2, 1});\n"
          + "chart"};

  @Test
  void aNotebookNeverSeenRunsUnderNbconvert(@TempDir Path data) throws Exception {
    assumeTrue(exec(List.of("jupyter", "nbconvert", "--version"), data, 120) == 0,
        "needs jupyter nbconvert (apt-get install jupyter-nbconvert python3-nbclient)");
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      cp.add(Path.of(e).toAbsolutePath().toString());
    }
    KernelSpec spec = new KernelSpec(Path.of(System.getProperty("java.home"), "bin", "java"), cp, List.of("-Xmx512m"),
        java.util.Map.of());
    Path dir = Files.createDirectories(data.resolve("kernels").resolve(KernelSpec.NAME));
    Files.writeString(dir.resolve("kernel.json"), spec.toJson(), StandardCharsets.UTF_8);

    ObjectMapper json = new ObjectMapper();
    ObjectNode nb = json.createObjectNode();
    nb.put("nbformat", 4);
    nb.put("nbformat_minor", 5);
    ObjectNode meta = nb.putObject("metadata");
    meta.putObject("kernelspec").put("name", KernelSpec.NAME).put("display_name", "tokendyn").put("language", "java");
    ArrayNode cells = nb.putArray("cells");
    for (int i = 0; i < CELLS.length; i++) {
      ObjectNode c = cells.addObject();
      c.put("cell_type", "code");
      c.put("id", "cell-" + i);
      c.putObject("metadata");
      c.putNull("execution_count");
      c.putArray("outputs");
      c.put("source", CELLS[i]);
    }
    Path in = data.resolve("unseen.ipynb");
    json.writeValue(in.toFile(), nb);
    Path outDir = Files.createDirectories(data.resolve("out"));
    int code = exec(List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
        "--ExecutePreprocessor.kernel_name=" + KernelSpec.NAME, "--ExecutePreprocessor.timeout=600",
        "--output-dir", outDir.toString(), in.toString()), data, 900);
    assertThat(code).as("nbconvert's exit code (a cell error fails it)").isZero();

    JsonNode done = json.readTree(outDir.resolve("unseen.ipynb").toFile());
    StringBuilder text = new StringBuilder();
    boolean png = false;
    for (JsonNode c : done.path("cells")) {
      for (JsonNode o : c.path("outputs")) {
        assertThat(o.path("output_type").asText()).as("cell output %s", o).isNotEqualTo("error");
        text.append(o.path("text").isArray() ? String.join("", toStrings(o.path("text"))) : o.path("text").asText());
        JsonNode d = o.path("data");
        png |= d.has("image/png") && d.path("image/png").asText().length() > 100;
        text.append(d.path("text/plain").isArray() ? String.join("", toStrings(d.path("text/plain")))
            : d.path("text/plain").asText());
      }
    }
    // the number the library gives outside the kernel, from the same seeded cloud
    SplittableRandom rng = new SplittableRandom(11);
    double[] x = new double[40 * 8];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextGaussian() + (i % 8 == 0 ? 2 : 0);
    }
    double expected = MeanCosine.of(TokenCloud.ofFlat(40, 8, x));
    Matcher m = Pattern.compile("mean cosine (\\S+)").matcher(text);
    assertThat(m.find()).as("the printed mean cosine in %s", text).isTrue();
    assertThat(Double.parseDouble(m.group(1))).isEqualTo(expected);
    assertThat(text.toString()).as("the cloud's summary").contains("40").contains("8");
    assertThat(png).as("the chart cell's image/png").isTrue();
  }

  private static List<String> toStrings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static int exec(List<String> cmd, Path data, long seconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("JUPYTER_DATA_DIR", data.toString());
    Process p;
    try {
      p = pb.start();
    } catch (java.io.IOException e) {
      return 127; // no jupyter on the PATH
    }
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return 124;
    }
    return p.exitValue();
  }
}
