package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sites inside a block of all-MiniLM-L6-v2 against the block recomputed here in float64, from the
 * ONNX file's weights and the block's input, with nothing of the engine's forward pass.
 */
@Tag("model")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SiteParityTest {
  private static final int D = 384;
  private static final int H = 12;
  private static final int DH = 32;
  private static final List<String> TEXTS = List.of("The cat sat on the mat.",
      "A slightly longer sentence, so that the batch is padded and masked.");

  private Extractor ex;
  private MiniLmReference ref;

  @BeforeAll
  void open() throws Exception {
    ex = Extractor.open("all-minilm-l6-v2");
    ref = MiniLmReference.load();
  }

  @AfterAll
  void close() {
    ex.close();
  }

  private static double[] doubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /** max_i |a_i - b_i| / max(1, |a_i|): absolute for small values, relative for large ones (float32 sums). */
  static double maxDiff(double[] a, float[] b) {
    assertThat(b).hasSize(a.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])));
    }
    return m;
  }

  @Test
  void everySiteOfABlockMatchesTheBlockRecomputedFromTheOnnxWeights() throws Exception {
    int l = 2;
    List<HookedText> r = ex.run(TEXTS, ExtractOptions.defaults().withAttentions(true),
        Hooks.sites(List.of("blocks." + l + ".*")));
    double worst = 0;
    for (HookedText t : r) {
      int n = t.text().size();
      assertThat(t.activations()).extracting(SiteActivation::name).containsExactly(
          "blocks.2.hook_resid_pre", "blocks.2.attn.hook_q", "blocks.2.attn.hook_k", "blocks.2.attn.hook_v",
          "blocks.2.attn.hook_attn_scores", "blocks.2.attn.hook_pattern", "blocks.2.hook_attn_out",
          "blocks.2.hook_resid_mid", "blocks.2.hook_mlp_out", "blocks.2.hook_resid_post");
      double[] h = doubles(t.text().state(l).values());
      assertThat(t.activation("blocks.2.hook_resid_pre").values()).containsExactly(t.text().state(l).values());
      double[] scores = new double[H * n * n];
      double[] attnOut = ref.attention(h, n, l, scores);
      worst = Math.max(worst, maxDiff(attnOut, t.activation("blocks.2.hook_attn_out").values()));
      worst = Math.max(worst, maxDiff(scores, t.activation("blocks.2.attn.hook_attn_scores").values()));
      worst = Math.max(worst, maxDiff(ref.linear(h, n, "encoder.layer.2.attention.self.query"),
          t.activation("blocks.2.attn.hook_q").values()));
      worst = Math.max(worst, maxDiff(ref.linear(h, n, "encoder.layer.2.attention.self.value"),
          t.activation("blocks.2.attn.hook_v").values()));
      assertThat(t.activation("blocks.2.attn.hook_q").shape()).containsExactly(n, H, DH);
      assertThat(t.activation("blocks.2.attn.hook_pattern").shape()).containsExactly(H, n, n);
      // the pattern is the extraction's attention of the same block
      assertThat(t.activation("blocks.2.attn.hook_pattern").values())
          .containsExactly(t.text().attentions().get(l).probabilities());
      // post-LN: resid_mid = LN_1(h + attn_out), resid_post = LN_2(resid_mid + mlp_out) = hidden state l + 1
      double[] mid = ref.layerNorm(MiniLmReference.plus(h, attnOut), n, "encoder.layer.2.attention.output.LayerNorm");
      worst = Math.max(worst, maxDiff(mid, t.activation("blocks.2.hook_resid_mid").values()));
      double[] mlpOut = ref.mlp(mid, n, l);
      worst = Math.max(worst, maxDiff(mlpOut, t.activation("blocks.2.hook_mlp_out").values()));
      worst = Math.max(worst, maxDiff(ref.layerNorm(MiniLmReference.plus(mid, mlpOut), n, "encoder.layer.2.output.LayerNorm"),
          t.activation("blocks.2.hook_resid_post").values()));
      assertThat(t.activation("blocks.2.hook_resid_post").values()).containsExactly(t.text().state(l + 1).values());
      // the library's own float64 particle step from the weights it loaded
      worst = Math.max(worst, maxDiff(ex.attentionWeights(l).apply(h, n), t.activation("blocks.2.hook_attn_out").values()));
    }
    System.out.printf("MiniLM block 2 sites against the float64 recomputation: max diff (absolute, relative above 1) %.3g%n", worst);
    assertThat(worst).isLessThanOrEqualTo(1e-4);
  }

  @Test
  void zeroingTheAttentionOutputMatchesTheBlockRecomputedWithoutIt() throws Exception {
    int l = 3;
    List<HookedText> plain = ex.run(TEXTS, ExtractOptions.defaults(), Hooks.none());
    List<HookedText> cut = ex.run(TEXTS, ExtractOptions.defaults(),
        Hooks.none().withEdit(l, (i, in, out, n, d) -> new float[n * d]));
    double worst = 0;
    for (int i = 0; i < TEXTS.size(); i++) {
      TextExtraction a = plain.get(i).text();
      TextExtraction b = cut.get(i).text();
      int n = a.size();
      for (int s = 0; s <= l; s++) {
        assertThat(b.state(s).values()).as("hidden state %d, before the edit", s).containsExactly(a.state(s).values());
      }
      double[] next = ref.blockWithoutAttention(doubles(a.state(l).values()), n, l);
      worst = Math.max(worst, maxDiff(next, b.state(l + 1).values()));
    }
    System.out.printf("MiniLM block 3 with its attention output zeroed: max abs diff %.3g%n", worst);
    assertThat(worst).isLessThanOrEqualTo(1e-4);
  }

  @Test
  void anEditThatKeepsTheOutputReproducesThePlainPass() throws Exception {
    List<HookedText> plain = ex.run(TEXTS, ExtractOptions.defaults(), Hooks.none());
    List<HookedText> same = ex.run(TEXTS, ExtractOptions.defaults(), Hooks.none().withEdit(1, (i, in, out, n, d) -> out));
    for (int i = 0; i < TEXTS.size(); i++) {
      for (int s = 0; s <= 6; s++) {
        float[] a = plain.get(i).text().state(s).values();
        float[] b = same.get(i).text().state(s).values();
        for (int k = 0; k < a.length; k++) {
          assertThat(Math.abs(a[k] - b[k])).isLessThanOrEqualTo(1e-5f);
        }
      }
    }
  }
}
