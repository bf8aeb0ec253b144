package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import org.junit.jupiter.api.Test;

class IdentityCostTest {

  @Test
  void byHand() {
    TokenCloud x = TokenCloud.of(new double[][] {{0, 0}, {1, 0}});
    TokenCloud y = TokenCloud.of(new double[][] {{0, 1}, {1, 2}});
    assertThat(IdentityCost.of(x, y)).isCloseTo(2.5, within(1e-15));
    // weights of the first cloud: 3/4 on the first token
    assertThat(IdentityCost.of(x.withWeights(new double[] {3, 1}), y)).isCloseTo(0.75 + 1, within(1e-15));
  }

  @Test
  void shapesMustAgree() {
    TokenCloud x = TokenCloud.of(new double[][] {{0, 0}, {1, 0}});
    TokenCloud y = TokenCloud.of(new double[][] {{0, 1}});
    assertThatThrownBy(() -> IdentityCost.of(x, y)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the identity map needs the same tokens in both clouds, found shapes 2x2 vs 1x2");
  }

  @Test
  void efficiencyConventions() {
    assertThat(TransportEfficiency.of(1, 4)).isCloseTo(0.25, within(1e-15));
    assertThat(TransportEfficiency.of(0, 0)).isEqualTo(1.0);
    assertThatThrownBy(() -> TransportEfficiency.of(Double.NaN, 1)).hasMessage("w2 must be finite and >= 0, found NaN");
    assertThatThrownBy(() -> TransportEfficiency.of(1, -1)).hasMessage("identity cost must be finite and >= 0, found -1.0");
  }
}
