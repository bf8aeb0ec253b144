package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnisotropyTest {

  @Test
  void pooledCountsOnlyPairsAcrossTexts() {
    // within the first text the tokens coincide (cos 1), across texts they are orthogonal (cos 0)
    TokenCloud a = TokenCloud.of(new double[][] {{1, 0}, {2, 0}});
    TokenCloud b = TokenCloud.of(new double[][] {{0, 3}});
    assertThat(Anisotropy.pooled(List.of(a, b))).isCloseTo(0, within(1e-15));
    assertThat(Anisotropy.of(a)).isCloseTo(1, within(1e-15));
  }

  @Test
  void pooledAgreesWithPairLoop() {
    Random rng = new Random(345);
    List<TokenCloud> texts = List.of(
        TokenCloud.ofFlat(7, 5, Samples.gaussian(7, 5, rng)),
        TokenCloud.ofFlat(3, 5, Samples.gaussian(3, 5, rng)),
        TokenCloud.ofFlat(11, 5, Samples.gaussian(11, 5, rng)));
    double sum = 0;
    int pairs = 0;
    for (int a = 0; a < texts.size(); a++) {
      for (int b = 0; b < texts.size(); b++) {
        if (a == b) {
          continue;
        }
        for (double[] x : texts.get(a).toArray()) {
          for (double[] y : texts.get(b).toArray()) {
            double dot = 0;
            double nx = 0;
            double ny = 0;
            for (int k = 0; k < 5; k++) {
              dot += x[k] * y[k];
              nx += x[k] * x[k];
              ny += y[k] * y[k];
            }
            sum += dot / Math.sqrt(nx * ny);
            pairs++;
          }
        }
      }
    }
    assertThat(Anisotropy.pooled(texts)).isCloseTo(sum / pairs, within(1e-13));
  }

  @Test
  void coneGivesItsCentralCosine() {
    // tokens e_0 + 1 * g with g uniform on the sphere orthogonal-ish in high d: cos ~ 1/2
    Random rng = new Random(345);
    int d = 400;
    TokenCloud noise = Samples.uniformSphere(300, d, rng);
    double[] p = noise.toFlatArray();
    for (int i = 0; i < 300; i++) {
      p[i * d] += 1;
    }
    TokenCloud c = TokenCloud.ofFlat(300, d, p);
    assertThat(Anisotropy.of(c)).isCloseTo(0.5, within(0.02));
  }

  @Test
  void needsTwoTextsOfOneDimension() {
    TokenCloud a = TokenCloud.of(new double[][] {{1, 0}});
    assertThatThrownBy(() -> Anisotropy.pooled(List.of(a))).hasMessageContaining("found 1");
    TokenCloud b = TokenCloud.of(new double[][] {{1, 0, 0}});
    assertThatThrownBy(() -> Anisotropy.pooled(List.of(a, b)))
        .hasMessage("every cloud must have the same dimension: cloud 0 has 2, cloud 1 has 3");
  }
}
