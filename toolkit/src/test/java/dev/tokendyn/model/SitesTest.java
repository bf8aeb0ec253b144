package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The activation names are a public contract: TransformerLens users look them up. */
class SitesTest {
  @Test
  void bertHiddenStatesInOrder() {
    assertThat(Sites.hiddenStates(Architecture.BERT, 6)).containsExactly(
        "blocks.0.hook_resid_pre",
        "blocks.0.hook_resid_post",
        "blocks.1.hook_resid_post",
        "blocks.2.hook_resid_post",
        "blocks.3.hook_resid_post",
        "blocks.4.hook_resid_post",
        "blocks.5.hook_resid_post");
  }

  @Test
  void gpt2EndsWithTheFinalLayerNorm() {
    assertThat(Sites.hiddenStates(Architecture.GPT2, 2)).containsExactly(
        "blocks.0.hook_resid_pre", "blocks.0.hook_resid_post", "ln_final.hook_normalized");
  }

  @Test
  void attentionPatterns() {
    assertThat(List.of(Sites.pattern(0), Sites.pattern(11)))
        .containsExactly("blocks.0.attn.hook_pattern", "blocks.11.attn.hook_pattern");
  }

  private static final List<String> BLOCK = List.of("hook_resid_pre", "attn.hook_q", "attn.hook_k", "attn.hook_v",
      "attn.hook_attn_scores", "attn.hook_pattern", "hook_attn_out", "hook_resid_mid", "hook_mlp_out", "hook_resid_post");

  @Test
  void everySiteOfABertModelInTheOrderOfTheForwardPass() {
    List<String> expected = new java.util.ArrayList<>();
    for (int l = 0; l < 2; l++) {
      for (String h : BLOCK) {
        expected.add("blocks." + l + "." + h);
      }
    }
    for (Architecture a : List.of(Architecture.BERT, Architecture.ROBERTA, Architecture.DISTILBERT)) {
      assertThat(Sites.all(a, 2)).as(a.name()).containsExactlyElementsOf(expected);
    }
    assertThat(Sites.all(Architecture.BERT, 2).get(6)).isEqualTo("blocks.0.hook_attn_out");
  }

  @Test
  void everySiteOfGpt2EndsWithTheFinalLayerNorm() {
    List<String> expected = new java.util.ArrayList<>();
    for (String h : BLOCK) {
      expected.add("blocks.0." + h);
    }
    expected.add("ln_final.hook_normalized");
    assertThat(Sites.all(Architecture.GPT2, 1)).containsExactlyElementsOf(expected);
  }

  @Test
  void globsSelectSitesInTheOrderOfTheForwardPass() {
    assertThat(Sites.select(Architecture.BERT, 3, List.of("blocks.*.hook_attn_out", "blocks.1.attn.hook_pattern")))
        .extracting(Sites.Named::name)
        .containsExactly("blocks.0.hook_attn_out", "blocks.1.attn.hook_pattern", "blocks.1.hook_attn_out",
            "blocks.2.hook_attn_out");
    assertThat(Sites.select(Architecture.GPT2, 2, List.of("ln_final.*", "blocks.1.hook_resid_post")))
        .extracting(Sites.Named::kind).containsExactly(Site.RESID_POST, Site.LN_FINAL);
    assertThat(Sites.select(Architecture.BERT, 12, List.of("blocks.1?.attn.hook_?"))).extracting(Sites.Named::name)
        .containsExactly("blocks.10.attn.hook_q", "blocks.10.attn.hook_k", "blocks.10.attn.hook_v",
            "blocks.11.attn.hook_q", "blocks.11.attn.hook_k", "blocks.11.attn.hook_v");
    assertThatThrownBy(() -> Sites.select(Architecture.BERT, 6, List.of("blocks.6.hook_attn_out")))
        .hasMessageContaining("site 'blocks.6.hook_attn_out' matches none").hasMessageContaining("blocks 0..5");
    assertThatThrownBy(() -> Sites.select(Architecture.BERT, 6, List.of("ln_final.hook_normalized")))
        .hasMessageContaining("matches none");
  }

  @Test
  void layersOutsideTheModelAreRejectedWithTheRange() {
    assertThatThrownBy(() -> Sites.hidden(Architecture.BERT, 7, 6)).hasMessageContaining("[0, 6]").hasMessageContaining("7");
  }

  @Test
  void optionsAreValidatedWithTheValue() {
    assertThatThrownBy(() -> ExtractOptions.defaults().withBatchSize(0)).hasMessage("batch size must be >= 1, found 0");
    assertThatThrownBy(() -> ExtractOptions.defaults().withLayers(List.of(-1))).hasMessage("layers must be >= 0, found -1");
    assertThat(ExtractOptions.defaults().withLayers(List.of(6, 0, 3, 3)).layers()).containsExactly(0, 3, 6);
    assertThatThrownBy(() -> ExtractOptions.defaults().withLayers(List.of(9)).resolve(6))
        .hasMessageContaining("layer 9 does not exist");
  }

  @Test
  void unsupportedArchitecturesNameTheSupportedOnes() {
    assertThatThrownBy(() -> Architecture.ofModelType("t5"))
        .hasMessage("unsupported architecture (model_type) 't5'; tokendyn supports: bert, roberta, distilbert, gpt2");
  }
}
