package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {
  @TempDir Path tmp;
  Path a;
  Path b;

  @BeforeEach
  void sequences() {
    a = tmp.resolve("a.json");
    b = tmp.resolve("b.json");
    for (Path p : new Path[] {a, b}) {
      assertThat(CliRun.of("simulate", "--n", "12", "--d", "6", "--beta", "1", "--dt", "0.2", "--steps", "40", "--seed",
          p == a ? "1" : "2", "--record-every", "10", "--save-points", "--out", p.toString()).code()).isZero();
    }
  }

  @Test
  void writesTheReportAndEveryPlot() throws Exception {
    Path out = tmp.resolve("report");
    Path perText = tmp.resolve("texts.jsonl");
    CliRun r = CliRun.of("analyze", "--sequence", a.toString(), b.toString(), "--name", "sa", "--out", out.toString(),
        "--per-text", perText.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // JSON Lines: one object a line, one line a text
    List<String> lines = Files.readAllLines(perText);
    assertThat(lines).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonNode t = Json.mapper().readTree(lines.get(i));
      assertThat(t.get("index").asInt()).isEqualTo(i);
      assertThat(t.get("layers").get("mean_cosine")).hasSize(5);
    }
    JsonNode doc = Json.readTree(out.resolve("report.json"));
    assertThat(dev.tokendyn.export.SchemaTest.validate(doc)).isEmpty();
    JsonNode m = doc.get("models").get(0);
    assertThat(m.get("tokens").asInt()).isEqualTo(24);
    assertThat(m.get("layers").size()).isEqualTo(5);
    assertThat(m.get("schema")).isNull();
    assertThat(doc.get("schema").asText()).isEqualTo("tokendyn.report/2");
    // the dynamics gather each text's tokens: the within-text mean cosine grows layer by layer, and with two
    // texts the bootstrap interval holds the mean
    double previous = -2;
    for (JsonNode layer : m.get("layers")) {
      JsonNode mc = layer.get("metrics").get("mean_cosine");
      assertThat(mc.get("texts").asInt()).isEqualTo(2);
      assertThat(mc.get("mean").asDouble()).isGreaterThan(previous)
          .isBetween(mc.get("ci_low").asDouble(), mc.get("ci_high").asDouble());
      previous = mc.get("mean").asDouble();
    }
    // 12 tokens a text are too few for TwoNN (20) and the rotational share (3 x 10): null, counted
    JsonNode id = m.get("layers").get(0).get("metrics").get("intrinsic_dimension");
    assertThat(id.get("mean").isNull()).isTrue();
    assertThat(id.get("undefined").asInt()).isEqualTo(2);
    assertThat(m.get("undefined_texts").get("rotational_share").asInt()).isEqualTo(2);
    // the pooled sample is every token; the pooled rotational share of an identity-Q,K,V flow is small
    JsonNode step = m.get("transitions").get(0).get("metrics");
    assertThat(step.get("pooled_w2").get("sample").asInt()).isEqualTo(24);
    assertThat(step.has("transport_efficiency")).isFalse();
    assertThat(m.get("spreading").get("geodesic_ratio").get("mean").asDouble()).isGreaterThanOrEqualTo(1.0);
    for (JsonNode plot : doc.get("plots")) {
      Path p = out.resolve(plot.asText());
      assertThat(p).exists();
      if (p.toString().endsWith(".png")) {
        assertThat(ImageIO.read(p.toFile()).getWidth()).isGreaterThan(500);
      }
    }
  }

  @Test
  void badInputLeavesNoFolder() throws Exception {
    Path out = tmp.resolve("never");
    CliRun r = CliRun.of("analyze", "--sequence", tmp.resolve("missing.json").toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("missing.json");
    assertThat(out).doesNotExist();
    Path empty = tmp.resolve("empty.json");
    Files.writeString(empty, "{\"clouds\": []}");
    r = CliRun.of("analyze", "--sequence", empty.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("empty");
    assertThat(out).doesNotExist();
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".never"))).isEmpty();
    }
  }

  @Test
  void forceReplacesOnlyAFolderThatTokendynWrote() throws Exception {
    Path out = tmp.resolve("taken");
    Files.createDirectories(out);
    Files.writeString(out.resolve("mine.txt"), "keep");
    CliRun r = CliRun.of("analyze", "--sequence", a.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--force");
    // a folder that tokendyn did not write is refused even with --force, naming what it holds
    r = CliRun.of("analyze", "--sequence", a.toString(), "--out", out.toString(), "--force", "--no-transport");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("mine.txt").contains("not written by tokendyn");
    assertThat(Files.readString(out.resolve("mine.txt"))).isEqualTo("keep");
    // an output of tokendyn is replaced with --force, and a file added to it afterwards stops that
    Files.delete(out.resolve("mine.txt"));
    r = CliRun.of("analyze", "--sequence", a.toString(), "--out", out.toString(), "--no-transport");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(out.resolve(".tokendyn")).exists();
    r = CliRun.of("analyze", "--sequence", a.toString(), "--out", out.toString(), "--force", "--no-transport");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(out.resolve("report.json")).exists();
    Files.writeString(out.resolve("notes.txt"), "mine");
    r = CliRun.of("analyze", "--sequence", a.toString(), "--out", out.toString(), "--force", "--no-transport");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("notes.txt").contains("did not write");
    assertThat(out.resolve("notes.txt")).exists();
  }

  private CliRun modelRun(Path input, Path out, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("analyze", "--model", "all-minilm-l6-v2", "--input",
        input.toString(), "--out", out.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void badCorporaAreNamedAndLeaveNoOutput() throws Exception {
    Path out = tmp.resolve("out");
    Path blank = tmp.resolve("blank.txt");
    Files.writeString(blank, "\n   \n\n");
    CliRun r = modelRun(blank, out);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("holds no texts (3 blank lines)");
    Path jsonl = tmp.resolve("c.jsonl");
    Files.writeString(jsonl, "{\"text\": \"fine\"}\n{\"txt\": \"oops\"}\n");
    r = modelRun(jsonl, out);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("line 2 has no field \"text\"; it has [txt]");
    Path csv = tmp.resolve("c.csv");
    Files.writeString(csv, "id,body\n1,hello there\n");
    r = modelRun(csv, out);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no column \"text\"; its columns are [id, body]");
    r = modelRun(tmp.resolve("none.txt"), out);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no such file");
    assertThat(out).doesNotExist();
  }

  @Test
  void resumeNeedsACheckpointWithTheSameArguments() throws Exception {
    Path out = tmp.resolve("run");
    Path texts = tmp.resolve("t.txt");
    Files.writeString(texts, "The cat sat on the mat.\nDogs bark at night.\n");
    CliRun r = modelRun(texts, out, "--resume");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("there is no checkpoint to continue");
    // a checkpoint as an interrupted run leaves it, with another seed
    Path folder = dev.tokendyn.analysis.CorpusCheckpoint.folderFor(out);
    java.util.Map<String, String> args = dev.tokendyn.analysis.CorpusCheckpoint.args("all-minilm-l6-v2",
        List.of("The cat sat on the mat.", "Dogs bark at night."), false,
        dev.tokendyn.analysis.CorpusParams.defaults().withSeed(5), 32);
    dev.tokendyn.analysis.CorpusCheckpoint.open(out, args, false);
    assertThat(folder).isDirectory();
    r = modelRun(texts, out, "--resume");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--seed differs from the interrupted run's (it was 5, now 0)");
    // run without --resume: the stale checkpoint is removed with a note, and the run completes
    r = modelRun(texts, out, "--no-transport");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("removed the checkpoint of an earlier interrupted run");
    assertThat(folder).doesNotExist();
    // the model's attention is far from doubly stochastic (Sinkformers' question), the more with [CLS] and [SEP]
    JsonNode step = Json.readTree(out.resolve("report.json")).get("models").get(0).get("transitions").get(0)
        .get("metrics");
    double all = step.get("doubly_stochastic_defect").get("mean").asDouble();
    double plain = step.get("doubly_stochastic_defect_plain").get("mean").asDouble();
    assertThat(all).isBetween(0.05, 2.0);
    assertThat(plain).isBetween(0.0, 2.0);
  }

  @Test
  void tooManyRotationComponentsIsAUsageError() throws Exception {
    Path texts = tmp.resolve("t.txt");
    Files.writeString(texts, "The cat sat on the mat.\nDogs bark at night.\n");
    CliRun r = modelRun(texts, tmp.resolve("o"), "--rotation-components", "8");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--rotation-components 8 needs at least 24 tokens in the pooled sample");
  }
}
