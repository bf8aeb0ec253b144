package dev.tokendyn.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.tokendyn.cli.Main;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every document tokendyn writes validates against the JSON Schema it names, shipped in the jar. */
public class SchemaTest {
  @TempDir Path tmp;

  public static Set<ValidationMessage> validate(JsonNode doc) throws IOException {
    String tag = doc.path("schema").asText();
    String kind = tag.replaceFirst("^tokendyn\\.", "").replaceFirst("/\\d+$", "");
    try (InputStream in = Main.class.getResourceAsStream("/dev/tokendyn/schemas/" + kind + ".schema.json")) {
      assertThat(in).as("a schema for %s", tag).isNotNull();
      JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
      return schema.validate(doc);
    }
  }

  private static int run(String... args) {
    return Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
  }

  @Test
  void commandOutputsValidate() throws IOException {
    Path sim = tmp.resolve("sim.json");
    assertThat(run("simulate", "--n", "10", "--d", "3", "--beta", "2", "--dt", "0.1", "--steps", "30", "--seed", "1",
        "--record-every", "10", "--save-points", "--out", sim.toString())).isZero();
    Path sweep = tmp.resolve("sweep.json");
    assertThat(run("sweep", "--betas", "1,2", "--ds", "3", "--seeds", "2", "--n", "6", "--dt", "0.1", "--steps", "20",
        "--no-plot", "--out", sweep.toString())).isZero();
    Path metrics = tmp.resolve("metrics.json");
    assertThat(run("metrics", "--input", sim.toString(), "--out", metrics.toString())).isZero();
    Path fit = tmp.resolve("fit.json");
    assertThat(run("fit", "--sequence", sim.toString(), "--out", fit.toString())).isZero();
    Path cloud = tmp.resolve("cloud.json");
    dev.tokendyn.cloud.CloudFiles.writeCloud(cloud, dev.tokendyn.cloud.TokenCloud.of(new double[][] {{1, 2}}));
    Path seq = tmp.resolve("seq.json");
    dev.tokendyn.cloud.CloudFiles.writeSequence(seq, dev.tokendyn.cloud.CloudFiles.readSequence(sim));
    Path plan = tmp.resolve("plan.json");
    StringWriter ot = new StringWriter();
    assertThat(Main.run(new PrintWriter(ot), new PrintWriter(new StringWriter()), "ot", "--source", cloud.toString(),
        "--target", cloud.toString(), "--plan", plan.toString())).isZero();
    Path otOut = tmp.resolve("ot.json");
    Files.writeString(otOut, ot.toString());
    Path dense = tmp.resolve("dense.json");
    Path potentials = tmp.resolve("potentials.json");
    Path matrix = tmp.resolve("M.json");
    Files.writeString(matrix, "[[0, 1], [1, 0]]");
    StringWriter ot2 = new StringWriter();
    assertThat(Main.run(new PrintWriter(ot2), new PrintWriter(new StringWriter()), "ot", "--cost-matrix",
        matrix.toString(), "--method", "sinkhorn", "--reg", "0.5", "--plan", dense.toString(), "--potentials",
        potentials.toString())).isZero();
    Path otMatrix = tmp.resolve("ot-matrix.json");
    Files.writeString(otMatrix, ot2.toString());
    for (Path p : List.of(sim, sweep, metrics, fit, cloud, seq, otOut, plan, dense, potentials, otMatrix)) {
      assertThat(validate(Json.readTree(p))).as(p.getFileName().toString()).isEmpty();
    }
  }

  @Test
  void committedResultsValidate() throws IOException {
    Path results = Path.of("..", "results");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(results)) {
      s.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
    }
    assertThat(files).isNotEmpty();
    for (Path p : files) {
      assertThat(validate(Json.readTree(p))).as(p.toString()).isEmpty();
    }
  }

  @Test
  void aBrokenDocumentFails() throws IOException {
    JsonNode bad = Json.mapper().readTree("{\"schema\": \"tokendyn.simulation/1\", \"parameters\": {}, \"frames\": []}");
    assertThat(validate(bad)).isNotEmpty();
    JsonNode wrongKind = Json.mapper().readTree("{\"schema\": \"tokendyn.fit/2\", \"beta\": -1}");
    assertThat(validate(wrongKind)).isNotEmpty();
  }
}
