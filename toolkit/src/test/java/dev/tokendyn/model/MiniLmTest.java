package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokendyn.cloud.CloudSequence;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** all-MiniLM-L6-v2: pretrained behaviour, the result types, options, and the BERT directory path. */
@Tag("model")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MiniLmTest {
  private Extractor ex;

  @BeforeAll
  void open() throws ModelException {
    ex = Extractor.open("all-minilm-l6-v2");
  }

  @AfterAll
  void close() {
    ex.close();
  }

  private static double cosine(double[] a, double[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    return ab / Math.sqrt(aa * bb);
  }

  @Test
  void paraphrasesAreCloseAndUnrelatedSentencesAreNot() throws Exception {
    Extraction r = ex.extract(List.of(
        "A man is playing a guitar.",
        "A man plays the guitar.",
        "The stock market fell sharply on Monday.",
        "How do I bake sourdough bread?"), ExtractOptions.defaults().withLayers(List.of(6)));
    double[][] e = new double[4][];
    for (int i = 0; i < 4; i++) {
      e[i] = r.text(i).meanPooled(6);
    }
    double para = cosine(e[0], e[1]);
    double unrelated = Math.max(cosine(e[0], e[2]), Math.max(cosine(e[0], e[3]), cosine(e[2], e[3])));
    System.out.printf("MiniLM mean-pooled cosine: paraphrases %.3f, unrelated at most %.3f%n", para, unrelated);
    assertThat(para).isGreaterThan(0.7);
    assertThat(unrelated).isLessThan(0.3);
  }

  @Test
  void aLayerSubsetEqualsTheSameLayersOfTheFullRun() throws Exception {
    List<String> texts = List.of("The cat sat on the mat.", "A slightly longer sentence, so that the batch is padded.");
    Extraction all = ex.extract(texts, ExtractOptions.defaults());
    Extraction some = ex.extract(texts, ExtractOptions.defaults().withLayers(List.of(0, 3)));
    assertThat(all.text(1).hiddenStates()).hasSize(7);
    assertThat(some.text(1).layers()).containsExactly(0, 3);
    for (int l : new int[] {0, 3}) {
      assertThat(some.text(1).state(l).values()).containsExactly(all.text(1).state(l).values());
    }
    // padding does not change a text's states: alone versus in a padded batch
    Extraction alone = ex.extract(texts.subList(0, 1), ExtractOptions.defaults());
    float[] a = alone.text(0).state(6).values();
    float[] b = all.text(0).state(6).values();
    for (int i = 0; i < a.length; i++) {
      assertThat(Math.abs(a[i] - b[i])).isLessThan(1e-5f);
    }
  }

  @Test
  void sequencesCarryTokensAndSites() throws Exception {
    Extraction r = ex.extract(List.of("Hello world", "The cat sat."), ExtractOptions.defaults().withLayers(List.of(0, 6)));
    CloudSequence s = r.toSequence(0);
    assertThat(s.axis()).isEqualTo(CloudSequence.Axis.LAYER);
    assertThat(s.label(1)).isEqualTo("blocks.5.hook_resid_post");
    assertThat(s.position(1)).isEqualTo(6.0);
    assertThat(s.cloud(0).tokens().orElseThrow()).containsExactly("[CLS]", "hello", "world", "[SEP]");
    assertThat(s.cloud(0).dimension()).isEqualTo(384);
    assertThat(r.sequences()).hasSize(2);
    assertThat(r.sequences().get(1).cloud(1).point(0)).containsExactly(r.toSequence(1).cloud(1).point(0));
    CloudSequence pooled = r.pooledSequence();
    assertThat(pooled.size()).isEqualTo(2);
    assertThat(pooled.cloud(1).size()).isEqualTo(4 + r.text(1).size());
    assertThat(pooled.cloud(1).point(4)).containsExactly(r.toSequence(1).cloud(1).point(0));
    pooled.requireSameShape();
  }

  @Test
  void theCorpusAnalysisReadsAnExtractionAndKnowsItsSpecialTokens() throws Exception {
    Extraction r = ex.extract(List.of("The cat sat on the mat.", "Tokens move through the layers of a transformer."),
        ExtractOptions.defaults());
    // BERT's tokenizer adds [CLS] first and [SEP] last, and marks them in its special-tokens mask
    for (TextExtraction t : r.texts()) {
      boolean[] s = t.special();
      assertThat(t.tokens().get(0)).isEqualTo("[CLS]");
      assertThat(t.tokens().get(t.size() - 1)).isEqualTo("[SEP]");
      assertThat(s[0]).isTrue();
      assertThat(s[s.length - 1]).isTrue();
      for (int i = 1; i < s.length - 1; i++) {
        assertThat(s[i]).as(t.tokens().get(i)).isFalse();
      }
    }
    dev.tokendyn.analysis.CorpusAnalysis.Result a = dev.tokendyn.analysis.CorpusAnalysis.of("all-minilm-l6-v2",
        r.texts().stream().map(TextExtraction::toTextSequence).toList(),
        dev.tokendyn.analysis.CorpusParams.defaults());
    assertThat(a.sites()).hasSize(7);
    assertThat(a.tokens()).isEqualTo(r.text(0).size() + r.text(1).size());
    assertThat(a.keptTokens()).isEqualTo(a.tokens() - 4);
  }

  @Test
  void attentionRowsAreDistributionsOverRealTokens() throws Exception {
    Extraction r = ex.extract(List.of("short", "a much longer text than the first one"),
        ExtractOptions.defaults().withLayers(List.of(1, 6)).withAttentions(true));
    TextExtraction t = r.text(0);
    assertThat(t.attentions()).extracting(TextExtraction.AttentionPattern::site)
        .containsExactly("blocks.0.attn.hook_pattern", "blocks.5.attn.hook_pattern");
    int n = t.size();
    for (TextExtraction.AttentionPattern p : t.attentions()) {
      assertThat(p.heads()).isEqualTo(12);
      assertThat(p.probabilities()).hasSize(12 * n * n);
      for (int h = 0; h < 12; h++) {
        for (int q = 0; q < n; q++) {
          double sum = 0;
          for (int k = 0; k < n; k++) {
            sum += p.get(h, q, k, n);
          }
          assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        }
      }
    }
  }

  @Test
  void badTextsAreRejectedBeforeAnyWork() {
    String tooLong = "word ".repeat(600);
    assertThatThrownBy(() -> ex.extract(List.of("fine", tooLong), ExtractOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text 1 has 602 tokens").hasMessageContaining("at most 512").hasMessageContaining("--truncate");
    assertThatThrownBy(() -> ex.extract(List.of("fine", " "), ExtractOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text 1 is empty");
    assertThatThrownBy(() -> ex.extract(List.of(), ExtractOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ex.extract(List.of("x"), ExtractOptions.defaults().withLayers(List.of(7))))
        .hasMessageContaining("layer 7 does not exist");
  }

  @Test
  void truncationKeepsTheSpecialTokens() throws Exception {
    Extraction r = ex.extract(List.of("word ".repeat(600)), ExtractOptions.defaults().withTruncate(true).withLayers(List.of(6)));
    TextExtraction t = r.text(0);
    assertThat(t.size()).isEqualTo(512);
    assertThat(t.tokens().get(0)).isEqualTo("[CLS]");
    assertThat(t.tokens().get(511)).isEqualTo("[SEP]");
  }

  @Test
  void unknownNamesListTheCatalog() {
    assertThatThrownBy(() -> Extractor.open("gpt-17"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown model 'gpt-17'")
        .hasMessageContaining("all-minilm-l6-v2, bge-small-en-v1.5, e5-small-v2");
  }

  /**
   * The catalog's weights written as a Hugging Face directory ([out, in] Linear weights under the
   * family's prefix). For RoBERTa, whose positions start at padding_idx + 1 = 2, the position table gets
   * two unused rows in front, so that the same model must come out.
   */
  private static Path writeDirectory(Path dir, String modelType) throws Exception {
    Catalog.Entry e = Catalog.find("all-minilm-l6-v2").orElseThrow();
    OnnxWeights w;
    try (InputStream in = MiniLmTest.class.getClassLoader().getResourceAsStream(e.onnxResource())) {
      w = OnnxWeights.read(in, e.onnxResource());
    }
    boolean roberta = modelType.equals("roberta");
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : w.tensors().values()) {
      Tensor x = t.name().startsWith("encoder.") && t.rank() == 2 ? t.transposed() : t;
      if (roberta && t.name().equals("embeddings.position_embeddings.weight")) {
        float[] shifted = new float[x.data().length + 2 * 384];
        System.arraycopy(x.data(), 0, shifted, 2 * 384, x.data().length);
        x = new Tensor(x.name(), new long[] {x.shape()[0] + 2, 384}, shifted);
      }
      out.add(x.renamed(modelType + "." + t.name()));
    }
    Files.createDirectories(dir);
    SafetensorsWriter.write(dir.resolve("model.safetensors"), out);
    try (InputStream in = MiniLmTest.class.getClassLoader().getResourceAsStream(e.tokenizerResource())) {
      Files.copy(in, dir.resolve("tokenizer.json"));
    }
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("model_type", modelType);
    cfg.put("num_hidden_layers", 6);
    cfg.put("hidden_size", 384);
    cfg.put("num_attention_heads", 12);
    cfg.put("intermediate_size", 1536);
    cfg.put("max_position_embeddings", roberta ? 514 : 512);
    cfg.put("vocab_size", 30522);
    cfg.put("type_vocab_size", 2);
    cfg.put("layer_norm_eps", 1e-12);
    cfg.put("hidden_act", "gelu");
    if (roberta) {
      cfg.put("pad_token_id", 1);
    }
    dev.tokendyn.cloud.Json.write(dir.resolve("config.json"), cfg);
    return dir;
  }

  /** DistilBERT's names for the BERT modules of a block. */
  private static final Map<String, String> DISTILBERT_NAMES = Map.of(
      "attention.self.query", "attention.q_lin",
      "attention.self.key", "attention.k_lin",
      "attention.self.value", "attention.v_lin",
      "attention.output.dense", "attention.out_lin",
      "attention.output.LayerNorm", "sa_layer_norm",
      "intermediate.dense", "ffn.lin1",
      "output.dense", "ffn.lin2",
      "output.LayerNorm", "output_layer_norm");

  /**
   * The catalog's weights written as a Hugging Face DistilBERT directory: blocks under DistilBERT's
   * names ({@code transformer.layer.i.attention.q_lin.weight}, [out, in]) and config keys, each name
   * preceded by {@code prefix}. DistilBERT has no token type table, so MiniLM's type-0 row is added
   * into every row of the position table; texts of one segment then give the same embedding sum, up to
   * float32 rounding of the changed addition order.
   */
  private static Path writeDistilbertDirectory(Path dir, String prefix) throws Exception {
    Catalog.Entry e = Catalog.find("all-minilm-l6-v2").orElseThrow();
    OnnxWeights w;
    try (InputStream in = MiniLmTest.class.getClassLoader().getResourceAsStream(e.onnxResource())) {
      w = OnnxWeights.read(in, e.onnxResource());
    }
    float[] type0 = w.tensors().get("embeddings.token_type_embeddings.weight").data();
    java.util.regex.Pattern block = java.util.regex.Pattern.compile("encoder\\.layer\\.(\\d+)\\.(.+)\\.(weight|bias)");
    List<Tensor> out = new ArrayList<>();
    for (Tensor t : w.tensors().values()) {
      String n = t.name();
      java.util.regex.Matcher m = block.matcher(n);
      if (m.matches()) {
        String module = DISTILBERT_NAMES.get(m.group(2));
        assertThat(module).as(n).isNotNull();
        Tensor x = t.rank() == 2 ? t.transposed() : t;
        out.add(x.renamed(prefix + "transformer.layer." + m.group(1) + "." + module + "." + m.group(3)));
      } else if (n.equals("embeddings.position_embeddings.weight")) {
        float[] p = t.data().clone();
        for (int i = 0; i < p.length; i++) {
          p[i] += type0[i % 384];
        }
        out.add(new Tensor(prefix + n, t.shape(), p));
      } else if (n.equals("embeddings.word_embeddings.weight") || n.startsWith("embeddings.LayerNorm.")) {
        out.add(t.renamed(prefix + n));
      }
    }
    assertThat(out).hasSize(3 + 1 + 6 * 16);
    Files.createDirectories(dir);
    SafetensorsWriter.write(dir.resolve("model.safetensors"), out);
    try (InputStream in = MiniLmTest.class.getClassLoader().getResourceAsStream(e.tokenizerResource())) {
      Files.copy(in, dir.resolve("tokenizer.json"));
    }
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("model_type", "distilbert");
    cfg.put("n_layers", 6);
    cfg.put("dim", 384);
    cfg.put("n_heads", 12);
    cfg.put("hidden_dim", 1536);
    cfg.put("max_position_embeddings", 512);
    cfg.put("vocab_size", 30522);
    cfg.put("activation", "gelu");
    cfg.put("sinusoidal_pos_embds", false);
    dev.tokendyn.cloud.Json.write(dir.resolve("config.json"), cfg);
    return dir;
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"bert", "roberta"})
  void theSameModelFromAHuggingFaceDirectoryMatchesOnnxRuntime(String modelType, @TempDir Path tmp) throws Exception {
    Path dir = writeDirectory(tmp.resolve("minilm-" + modelType), modelType);
    matchesOnnxRuntime(dir, modelType);
  }

  /** Checkpoints of DistilBERT task models carry the prefix "distilbert."; those of DistilBertModel do not. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"distilbert.", ""})
  void theSameModelFromADistilbertDirectoryMatchesOnnxRuntime(String prefix, @TempDir Path tmp) throws Exception {
    Path dir = writeDistilbertDirectory(tmp.resolve("minilm-distilbert"), prefix);
    matchesOnnxRuntime(dir, "distilbert");
  }

  @Test
  void aDistilbertConfigWithoutItsKeysOrWithAnotherActivationIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = writeDistilbertDirectory(tmp.resolve("minilm-distilbert"), "distilbert.");
    Path config = dir.resolve("config.json");
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("model_type", "distilbert");
    cfg.put("num_hidden_layers", 6);
    cfg.put("hidden_size", 384);
    cfg.put("num_attention_heads", 12);
    cfg.put("intermediate_size", 1536);
    cfg.put("max_position_embeddings", 512);
    cfg.put("vocab_size", 30522);
    dev.tokendyn.cloud.Json.write(config, cfg);
    assertThatThrownBy(() -> Extractor.open(dir)).isInstanceOf(ModelException.class)
        .hasMessageContaining("config.json").hasMessageContaining("\"n_layers\"");
    cfg.clear();
    cfg.put("model_type", "distilbert");
    cfg.put("n_layers", 6);
    cfg.put("dim", 384);
    cfg.put("n_heads", 12);
    cfg.put("hidden_dim", 1536);
    cfg.put("max_position_embeddings", 512);
    cfg.put("vocab_size", 30522);
    cfg.put("activation", "relu");
    dev.tokendyn.cloud.Json.write(config, cfg);
    assertThatThrownBy(() -> Extractor.open(dir)).isInstanceOf(ModelException.class)
        .hasMessageContaining("activation 'relu' is not supported");
    cfg.put("activation", "gelu");
    cfg.put("n_layers", 7);
    dev.tokendyn.cloud.Json.write(config, cfg);
    assertThatThrownBy(() -> Extractor.open(dir)).isInstanceOf(ModelException.class)
        .hasMessageContaining("encoder.layer.6.");
  }

  private static void matchesOnnxRuntime(Path dir, String modelType) throws Exception {
    List<String> texts = CatalogModelsTest.TEXTS;
    try (Extractor hf = Extractor.open(dir);
        OrtReference ort = new OrtReference(Catalog.find("all-minilm-l6-v2").orElseThrow())) {
      assertThat(hf.info().config().architecture().modelType()).isEqualTo(modelType);
      assertThat(hf.info().config().maxTokens()).isEqualTo(512);
      Extraction r = hf.extract(texts, ExtractOptions.defaults().withLayers(List.of(6)));
      List<long[]> ids = r.texts().stream().map(TextExtraction::tokenIds).toList();
      float[][] ref = ort.lastHiddenState(ids, 384);
      double worst = 0;
      for (int i = 0; i < texts.size(); i++) {
        float[] v = r.text(i).state(6).values();
        for (int k = 0; k < v.length; k++) {
          worst = Math.max(worst, Math.abs(v[k] - ref[i][k]));
        }
      }
      System.out.printf("MiniLM as a Hugging Face %s directory: last layer vs ONNX Runtime, max abs diff %.3g%n",
          modelType, worst);
      assertThat(worst).isLessThanOrEqualTo(1e-4);
    }
  }

  @Test
  void theRotationalShareTellsARealLayerFromItsShuffledDisplacementsWhereTransportEfficiencyCannot()
      throws Exception {
    List<String> texts = java.nio.file.Files.readAllLines(java.nio.file.Path.of(
        "src/main/resources/dev/tokendyn/demo/texts.txt"));
    Extraction r = ex.extract(texts, ExtractOptions.defaults());
    for (int l = 0; l < 6; l++) {
      List<double[]> xs = new java.util.ArrayList<>();
      List<double[]> ys = new java.util.ArrayList<>();
      for (TextExtraction t : r.texts()) {
        boolean[] special = t.special();
        for (int i = 0; i < t.size(); i++) {
          if (!special[i]) {
            xs.add(t.cloud(l).point(i));
            ys.add(t.cloud(l + 1).point(i));
          }
        }
      }
      int n = xs.size();
      int d = 384;
      Integer[] perm = new Integer[n];
      for (int i = 0; i < n; i++) {
        perm[i] = i;
      }
      java.util.Collections.shuffle(java.util.Arrays.asList(perm), new java.util.Random(345));
      double[] x = new double[n * d];
      double[] y = new double[n * d];
      double[] shuffled = new double[n * d];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < d; k++) {
          x[i * d + k] = xs.get(i)[k];
          y[i * d + k] = ys.get(i)[k];
          shuffled[i * d + k] = xs.get(i)[k] + ys.get(perm[i])[k] - xs.get(perm[i])[k];
        }
      }
      double real = dev.tokendyn.metrics.RotationalShare.of(x, y, n, d, 10).share();
      double random = dev.tokendyn.metrics.RotationalShare.of(x, shuffled, n, d, 10).share();
      assertThat(random).as("layer %d", l).isGreaterThan(0.3).isGreaterThan(2 * real);
      // transport efficiency cannot tell them apart: both are the optimal coupling to many digits
      dev.tokendyn.cloud.TokenCloud cx = dev.tokendyn.cloud.TokenCloud.ofFlat(n, d, x);
      for (double[] to : List.of(y, shuffled)) {
        dev.tokendyn.cloud.TokenCloud cy = dev.tokendyn.cloud.TokenCloud.ofFlat(n, d, to);
        assertThat(dev.tokendyn.metrics.TransportEfficiency.of(dev.tokendyn.transport.Transport.w2(cx, cy),
            dev.tokendyn.metrics.IdentityCost.of(cx, cy))).isGreaterThan(0.9999);
      }
    }
  }
}
