package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPT-2 path on a tiny checkpoint that the test writes, against an independent float64 implementation. */
class Gpt2Test {
  @TempDir Path tmp;

  @Test
  void hiddenStatesMatchTheIndependentImplementationInAPaddedBatch() throws Exception {
    JsonNode ref = TinyGpt2.reference();
    List<String> texts = new ArrayList<>();
    ref.path("texts").forEach(t -> texts.add(t.path("text").asText()));
    try (Extractor ex = Extractor.open(TinyGpt2.write(tmp.resolve("gpt2-tiny")).toString())) {
      assertThat(ex.info().config().architecture()).isEqualTo(Architecture.GPT2);
      Extraction r = ex.extract(texts, ExtractOptions.defaults());
      double worst = 0;
      for (int i = 0; i < texts.size(); i++) {
        JsonNode t = ref.path("texts").get(i);
        TextExtraction got = r.text(i);
        long[] ids = new long[t.path("token_ids").size()];
        for (int k = 0; k < ids.length; k++) {
          ids[k] = t.path("token_ids").get(k).asLong();
        }
        assertThat(got.tokenIds()).isEqualTo(ids);
        JsonNode hs = t.path("hidden_states");
        assertThat(got.hiddenStates()).hasSize(hs.size());
        for (int l = 0; l < hs.size(); l++) {
          float[] v = got.state(l).values();
          for (int n = 0; n < ids.length; n++) {
            for (int k = 0; k < got.width(); k++) {
              worst = Math.max(worst, Math.abs(v[n * got.width() + k] - hs.get(l).get(n).get(k).asDouble()));
            }
          }
        }
      }
      System.out.printf("tiny GPT-2: hidden states vs the independent implementation, max abs diff %.3g%n", worst);
      assertThat(worst).isLessThanOrEqualTo(1e-4);
      assertThat(r.text(0).hiddenStates().get(2).site()).isEqualTo("ln_final.hook_normalized");
    }
  }

  @Test
  void aTokenDoesNotSeeLaterTokens() throws Exception {
    try (Extractor ex = Extractor.open(TinyGpt2.write(tmp.resolve("gpt2-causal")).toString())) {
      // the same first four words, then different endings; one padded batch
      Extraction r = ex.extract(List.of("the cat sat on the mat", "the cat sat on a dog ran far away", "the cat sat on"),
          ExtractOptions.defaults().withAttentions(true));
      int d = ex.info().config().hidden();
      for (int l = 0; l <= ex.info().config().layers(); l++) {
        float[] a = r.text(0).state(l).values();
        float[] b = r.text(1).state(l).values();
        float[] c = r.text(2).state(l).values();
        for (int k = 0; k < 4 * d; k++) {
          assertThat(b[k]).as("layer %d value %d", l, k).isCloseTo(a[k], org.assertj.core.data.Offset.offset(1e-6f));
          assertThat(c[k]).as("layer %d value %d", l, k).isCloseTo(a[k], org.assertj.core.data.Offset.offset(1e-6f));
        }
        // and the suffix does change the later tokens
        if (l > 0) {
          assertThat(Math.abs(a[4 * d] - b[4 * d])).isGreaterThan(1e-3f);
        }
      }
      TextExtraction t = r.text(0);
      int n = t.size();
      for (TextExtraction.AttentionPattern p : t.attentions()) {
        for (int h = 0; h < p.heads(); h++) {
          for (int q = 0; q < n; q++) {
            double row = 0;
            for (int k = 0; k < n; k++) {
              row += p.get(h, q, k, n);
              if (k > q) {
                assertThat(p.get(h, q, k, n)).isZero();
              }
            }
            assertThat(row).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
          }
        }
      }
    }
  }

  @Test
  void theLastResidualStreamAndTheFinalLayerNormAreTwoSites() throws Exception {
    try (Extractor ex = Extractor.open(TinyGpt2.write(tmp.resolve("gpt2-sites")).toString())) {
      int layers = ex.info().config().layers();
      int d = ex.info().config().hidden();
      String lastPost = "blocks." + (layers - 1) + ".hook_resid_post";
      List<HookedText> r = ex.run(List.of("the cat sat on the mat", "the cat"), ExtractOptions.defaults(),
          Hooks.sites(List.of("blocks.*.hook_resid_pre", "blocks.*.hook_attn_out", "blocks.*.hook_resid_mid",
              "blocks.*.hook_mlp_out", lastPost, "ln_final.hook_normalized")));
      for (HookedText t : r) {
        int n = t.text().size();
        // Hugging Face's last hidden state is the final LayerNorm's output, not the last residual stream
        assertThat(t.activation("ln_final.hook_normalized").values()).containsExactly(t.text().state(layers).values());
        // pre-LN: resid_mid = resid_pre + attn_out and resid_post = resid_mid + mlp_out, in float32
        for (int l = 0; l < layers; l++) {
          float[] pre = t.activation("blocks." + l + ".hook_resid_pre").values();
          float[] attn = t.activation("blocks." + l + ".hook_attn_out").values();
          float[] mid = t.activation("blocks." + l + ".hook_resid_mid").values();
          float[] mlp = t.activation("blocks." + l + ".hook_mlp_out").values();
          float[] post = l + 1 < layers ? t.text().state(l + 1).values() : t.activation(lastPost).values();
          for (int k = 0; k < n * d; k++) {
            assertThat(mid[k]).isEqualTo(pre[k] + attn[k]);
            assertThat(post[k]).isEqualTo(mid[k] + mlp[k]);
          }
        }
        // the final LayerNorm of the last residual stream, recomputed here, is the last hidden state
        com.fasterxml.jackson.databind.JsonNode config = TinyGpt2.reference().path("config");
        float[] g = TinyGpt2.weights(config).stream().filter(x -> x.name().equals("ln_f.weight")).findFirst()
            .orElseThrow().data();
        float[] b = TinyGpt2.weights(config).stream().filter(x -> x.name().equals("ln_f.bias")).findFirst()
            .orElseThrow().data();
        double eps = config.path("layer_norm_epsilon").asDouble(1e-5);
        float[] h = t.activation(lastPost).values();
        float[] f = t.activation("ln_final.hook_normalized").values();
        for (int i = 0; i < n; i++) {
          double m = 0;
          double v = 0;
          for (int k = 0; k < d; k++) {
            m += h[i * d + k];
          }
          m /= d;
          for (int k = 0; k < d; k++) {
            v += (h[i * d + k] - m) * (h[i * d + k] - m);
          }
          v /= d;
          for (int k = 0; k < d; k++) {
            double want = (h[i * d + k] - m) / Math.sqrt(v + eps) * g[k] + b[k];
            assertThat((double) f[i * d + k]).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-4));
          }
        }
      }
    }
  }
}
