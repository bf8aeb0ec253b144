package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
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
  private static final double EPS = 1e-12;
  private static final List<String> TEXTS = List.of("The cat sat on the mat.",
      "A slightly longer sentence, so that the batch is padded and masked.");

  private Extractor ex;
  private Map<String, Tensor> w;

  @BeforeAll
  void open() throws Exception {
    ex = Extractor.open("all-minilm-l6-v2");
    Catalog.Entry e = Catalog.find("all-minilm-l6-v2").orElseThrow();
    try (InputStream in = SiteParityTest.class.getClassLoader().getResourceAsStream(e.onnxResource())) {
      w = OnnxWeights.read(in, e.onnxResource()).tensors();
    }
  }

  @AfterAll
  void close() {
    ex.close();
  }

  /** x W + b with W stored [in, out], as in the ONNX file. */
  private double[] linear(double[] x, int n, String prefix) {
    Tensor wt = w.get(prefix + ".weight");
    float[] b = w.get(prefix + ".bias").data();
    int in = wt.dim(0);
    int out = wt.dim(1);
    double[] y = new double[n * out];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < out; o++) {
        double s = b[o];
        for (int c = 0; c < in; c++) {
          s += x[i * in + c] * wt.data()[c * out + o];
        }
        y[i * out + o] = s;
      }
    }
    return y;
  }

  private double[] layerNorm(double[] x, int n, String prefix) {
    float[] g = w.get(prefix + ".weight").data();
    float[] b = w.get(prefix + ".bias").data();
    double[] y = new double[x.length];
    for (int i = 0; i < n; i++) {
      double m = 0;
      for (int c = 0; c < D; c++) {
        m += x[i * D + c];
      }
      m /= D;
      double v = 0;
      for (int c = 0; c < D; c++) {
        v += (x[i * D + c] - m) * (x[i * D + c] - m);
      }
      v /= D;
      for (int c = 0; c < D; c++) {
        y[i * D + c] = (x[i * D + c] - m) / Math.sqrt(v + EPS) * g[c] + b[c];
      }
    }
    return y;
  }

  /** erf by Abramowitz and Stegun 7.1.26 (|error| <= 1.5e-7). */
  private static double erf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x));
    double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
        * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  }

  /** The attention sublayer of block l: softmax(q k^T / sqrt(d_h)) v per head, then the output projection. */
  private double[] attention(double[] h, int n, int l, double[] scoresOut) {
    String p = "encoder.layer." + l + ".attention.";
    double[] q = linear(h, n, p + "self.query");
    double[] k = linear(h, n, p + "self.key");
    double[] v = linear(h, n, p + "self.value");
    double[] ctx = new double[n * D];
    for (int hd = 0; hd < H; hd++) {
      for (int i = 0; i < n; i++) {
        double[] s = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          for (int c = 0; c < DH; c++) {
            s[j] += q[i * D + hd * DH + c] * k[j * D + hd * DH + c];
          }
          s[j] /= Math.sqrt(DH);
          scoresOut[(hd * n + i) * n + j] = s[j];
          max = Math.max(max, s[j]);
        }
        double z = 0;
        for (int j = 0; j < n; j++) {
          s[j] = Math.exp(s[j] - max);
          z += s[j];
        }
        for (int j = 0; j < n; j++) {
          for (int c = 0; c < DH; c++) {
            ctx[i * D + hd * DH + c] += s[j] / z * v[j * D + hd * DH + c];
          }
        }
      }
    }
    return linear(ctx, n, p + "output.dense");
  }

  /** The MLP of block l applied to its input a, before the residual add. */
  private double[] mlp(double[] a, int n, int l) {
    double[] up = linear(a, n, "encoder.layer." + l + ".intermediate.dense");
    for (int i = 0; i < up.length; i++) {
      up[i] = 0.5 * up[i] * (1 + erf(up[i] / Math.sqrt(2)));
    }
    return linear(up, n, "encoder.layer." + l + ".output.dense");
  }

  private static double[] plus(double[] a, double[] b) {
    double[] c = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i] + b[i];
    }
    return c;
  }

  private static double[] doubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  /** max_i |a_i - b_i| / max(1, |a_i|): absolute for small values, relative for large ones (float32 sums). */
  private static double maxDiff(double[] a, float[] b) {
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
      double[] attnOut = attention(h, n, l, scores);
      worst = Math.max(worst, maxDiff(attnOut, t.activation("blocks.2.hook_attn_out").values()));
      worst = Math.max(worst, maxDiff(scores, t.activation("blocks.2.attn.hook_attn_scores").values()));
      worst = Math.max(worst, maxDiff(linear(h, n, "encoder.layer.2.attention.self.query"),
          t.activation("blocks.2.attn.hook_q").values()));
      worst = Math.max(worst, maxDiff(linear(h, n, "encoder.layer.2.attention.self.value"),
          t.activation("blocks.2.attn.hook_v").values()));
      assertThat(t.activation("blocks.2.attn.hook_q").shape()).containsExactly(n, H, DH);
      assertThat(t.activation("blocks.2.attn.hook_pattern").shape()).containsExactly(H, n, n);
      // the pattern is the extraction's attention of the same block
      assertThat(t.activation("blocks.2.attn.hook_pattern").values())
          .containsExactly(t.text().attentions().get(l).probabilities());
      // post-LN: resid_mid = LN_1(h + attn_out), resid_post = LN_2(resid_mid + mlp_out) = hidden state l + 1
      double[] mid = layerNorm(plus(h, attnOut), n, "encoder.layer.2.attention.output.LayerNorm");
      worst = Math.max(worst, maxDiff(mid, t.activation("blocks.2.hook_resid_mid").values()));
      double[] mlpOut = mlp(mid, n, l);
      worst = Math.max(worst, maxDiff(mlpOut, t.activation("blocks.2.hook_mlp_out").values()));
      worst = Math.max(worst, maxDiff(layerNorm(plus(mid, mlpOut), n, "encoder.layer.2.output.LayerNorm"),
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
      double[] mid = layerNorm(doubles(a.state(l).values()), n, "encoder.layer.3.attention.output.LayerNorm");
      double[] next = layerNorm(plus(mid, mlp(mid, n, l)), n, "encoder.layer.3.output.LayerNorm");
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
