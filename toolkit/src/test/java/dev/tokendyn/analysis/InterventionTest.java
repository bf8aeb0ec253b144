package dev.tokendyn.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokendyn.model.Extractor;
import dev.tokendyn.model.MiniLmReference;
import dev.tokendyn.model.TextExtraction;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Interventions on all-MiniLM-L6-v2 against the plain pass and an independent float64 block. */
@Tag("model")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterventionTest {
  private static final List<String> TEXTS = List.of("The cat sat on the mat.", "Tokens move through the layers.",
      "A slightly longer sentence, so that the batch is padded and masked.", "Hello world");
  private Extractor ex;

  @BeforeAll
  void open() throws Exception {
    ex = Extractor.open("all-minilm-l6-v2");
  }

  @AfterAll
  void close() {
    ex.close();
  }

  @Test
  void replacingABlockByItselfReproducesThePlainPass() throws Exception {
    Intervention.Result r = Intervention.run(ex, TEXTS, Intervention.Params.of(2, Replacement.IDENTITY), false);
    double worst = 0;
    for (int i = 0; i < TEXTS.size(); i++) {
      for (int l = 0; l <= 6; l++) {
        float[] a = r.plain().get(i).state(l).values();
        float[] b = r.intervened().get(i).state(l).values();
        for (int k = 0; k < a.length; k++) {
          worst = Math.max(worst, Math.abs(a[k] - b[k]));
        }
      }
    }
    assertThat(worst).isLessThanOrEqualTo(1e-5);
    assertThat(r.sentenceCosine()).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.neighbourOverlap()).isEqualTo(1.0);
    assertThat(r.layers()).allSatisfy(e -> assertThat(e.tokenCosine()).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9)));
  }

  @Test
  void layersBeforeTheBlockAreBitIdenticalAndLaterOnesMove() throws Exception {
    Intervention.Result r = Intervention.run(ex, TEXTS, Intervention.Params.flow(3, Replacement.SA, 2, 0.5), false);
    for (int i = 0; i < TEXTS.size(); i++) {
      for (int l = 0; l <= 3; l++) {
        assertThat(r.intervened().get(i).state(l).values()).as("text %d, hidden state %d", i, l)
            .containsExactly(r.plain().get(i).state(l).values());
      }
    }
    assertThat(r.layers().get(3).w2Change()).isZero();
    assertThat(r.layers().get(4).tokenCosine()).isLessThan(0.9999);
    assertThat(r.layers().get(4).w2Change()).isPositive();
    assertThat(r.neighbours()).isEqualTo(3);
  }

  @Test
  void ablateMatchesTheBlockRecomputedWithoutItsAttention() throws Exception {
    MiniLmReference ref = MiniLmReference.load();
    int block = 4;
    Intervention.Result r = Intervention.run(ex, TEXTS, Intervention.Params.of(block, Replacement.ABLATE), false);
    double worst = 0;
    for (int i = 0; i < TEXTS.size(); i++) {
      TextExtraction p = r.plain().get(i);
      float[] h = p.state(block).values();
      double[] hd = new double[h.length];
      for (int k = 0; k < h.length; k++) {
        hd[k] = h[k];
      }
      double[] want = ref.blockWithoutAttention(hd, p.size(), block);
      float[] got = r.intervened().get(i).state(block + 1).values();
      for (int k = 0; k < want.length; k++) {
        worst = Math.max(worst, Math.abs(want[k] - got[k]) / Math.max(1, Math.abs(want[k])));
      }
    }
    System.out.printf("MiniLM block %d ablated against the float64 block without attention: max diff %.3g%n", block,
        worst);
    assertThat(worst).isLessThanOrEqualTo(1e-4);
    // a flow run for no time leaves every token where it was: the sublayer adds nothing, as ablate
    Intervention.Result still = Intervention.run(ex, TEXTS, Intervention.Params.flow(block, Replacement.SA, 1, 0), false);
    for (int i = 0; i < TEXTS.size(); i++) {
      assertThat(still.intervened().get(i).state(6).values()).containsExactly(r.intervened().get(i).state(6).values());
    }
  }

  @Test
  void theDefectOfTrainedAttentionIsBetweenZeroAndItsBound() throws Exception {
    Intervention.Result r = Intervention.run(ex, TEXTS, Intervention.Params.of(0, Replacement.MEAN), false);
    AttentionDefect d = r.defect();
    assertThat(d.blocks()).containsExactly(0, 1, 2, 3, 4, 5);
    for (int b = 0; b < 6; b++) {
      assertThat(d.withSpecial()[b]).hasSize(12);
      for (int h = 0; h < 12; h++) {
        assertThat(d.withSpecial()[b][h]).isBetween(0.0, 2.0);
        assertThat(d.withoutSpecial()[b][h]).isBetween(0.0, 2.0);
      }
    }
  }

  @Test
  void aBlockOutsideTheModelNamesTheRange() {
    assertThatThrownBy(() -> Intervention.run(ex, TEXTS, Intervention.Params.of(6, Replacement.ABLATE), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blocks 0..5");
  }
}
