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
