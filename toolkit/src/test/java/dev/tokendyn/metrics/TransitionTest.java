package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TransitionTest {

  @Test
  void rigidTranslationIsOptimal() {
    Random rng = new Random(345);
    int n = 60;
    int d = 5;
    double[] x = Samples.gaussian(n, d, rng);
    double[] v = {0.3, -1, 2, 0, 0.5};
    double[] y = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        y[i * d + k] = x[i * d + k] + v[k];
      }
    }
    Transition t = Transition.between(0, 1, TokenCloud.ofFlat(n, d, x), TokenCloud.ofFlat(n, d, y),
        TransitionParams.defaults());
    double v2 = 0.09 + 1 + 4 + 0.25;
    assertThat(t.identityCost()).isCloseTo(v2, within(1e-12));
    assertThat(t.w2()).isCloseTo(Math.sqrt(v2), within(1e-9));
    assertThat(TransportEfficiency.of(t.w2(), t.identityCost())).isCloseTo(1, within(1e-9));
    assertThat(t.hasTransport()).isTrue();
  }

  @Test
  void permutedCopyHasNoTransportButIdentityCost() {
    Random rng = new Random(345);
    int n = 40;
    int d = 3;
    TokenCloud x = TokenCloud.ofFlat(n, d, Samples.gaussian(n, d, rng));
    double[][] rows = x.toArray();
    double[][] shifted = new double[n][];
    double expected = 0;
    for (int i = 0; i < n; i++) {
      shifted[i] = rows[(i + 7) % n];
      for (int k = 0; k < d; k++) {
        expected += (shifted[i][k] - rows[i][k]) * (shifted[i][k] - rows[i][k]);
      }
    }
    Transition t = Transition.between(2, 3, x, TokenCloud.of(shifted), TransitionParams.defaults());
    assertThat(t.from()).isEqualTo(2);
    assertThat(t.to()).isEqualTo(3);
    assertThat(t.w2()).isCloseTo(0, within(1e-9));
    assertThat(t.identityCost()).isCloseTo(expected / n, within(1e-12)).isGreaterThan(1);
    assertThat(TransportEfficiency.of(t.w2(), t.identityCost())).isCloseTo(0, within(1e-9));
    assertThat(t.sliced()).isCloseTo(0, within(1e-9));
    assertThat(t.sinkhornDivergence()).isCloseTo(0, within(1e-6));
  }

  @Test
  void transportEfficiencyIsAtMostOne() {
    Random rng = new Random(345);
    for (int trial = 0; trial < 3; trial++) {
      TokenCloud x = TokenCloud.ofFlat(30, 4, Samples.gaussian(30, 4, rng));
      TokenCloud y = TokenCloud.ofFlat(30, 4, Samples.gaussian(30, 4, rng));
      Transition t = Transition.between(0, 1, x, y, TransitionParams.defaults());
      assertThat(TransportEfficiency.of(t.w2(), t.identityCost())).isBetween(0.0, 1 + 1e-9);
      assertThat(TransportEfficiency.of(t.w2(), t.identityCost())).isLessThan(0.9); // independent clouds: the identity is far from optimal
    }
  }

  @Test
  void sinkhornRegularisationIsScaledMedian() {
    // squared distances 0, 4, 1, 5: median 2.5
    TokenCloud x = TokenCloud.of(new double[][] {{0, 0}, {1, 0}});
    TokenCloud y = TokenCloud.of(new double[][] {{0, 0}, {0, 2}});
    assertThat(Transition.medianSquaredDistance(x, y, 0)).isEqualTo(2.5);
    Transition t = Transition.between(0, 1, x, y, TransitionParams.defaults());
    assertThat(t.sinkhornReg()).isCloseTo(0.05 * 2.5, within(1e-15));
  }

  @Test
  void withoutTransportOnlyIdentityCost() {
    TokenCloud x = TokenCloud.of(new double[][] {{0, 0}, {1, 0}});
    TokenCloud y = TokenCloud.of(new double[][] {{0, 1}, {1, 2}});
    Transition t = Transition.between(0, 1, x, y, TransitionParams.identityOnly());
    assertThat(t.identityCost()).isCloseTo(2.5, within(1e-15));
    assertThat(t.w2()).isNaN();
    assertThat(t.hasTransport()).isFalse();
  }

  @Test
  void tokensMustAgree() {
    TokenCloud x = TokenCloud.of(new double[][] {{0, 0}, {1, 0}}).withTokens(List.of("a", "b"));
    TokenCloud y = TokenCloud.of(new double[][] {{0, 1}, {1, 2}}).withTokens(List.of("a", "c"));
    assertThatThrownBy(() -> Transition.between(4, 5, x, y, TransitionParams.identityOnly()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the step from cloud 4 to 5 needs the same tokens, but token 1 is \"b\" in cloud 4 and \"c\" in cloud 5");
    TokenCloud z = TokenCloud.of(new double[][] {{0, 1}});
    assertThatThrownBy(() -> Transition.between(0, 1, x, z, TransitionParams.identityOnly()))
        .hasMessageContaining("found shapes 2x2 vs 1x2");
  }

  @Test
  void paramsAreValidated() {
    assertThatThrownBy(() -> new TransitionParams(true, 0, 64, 0, 10))
        .hasMessage("the Sinkhorn scale must be finite and > 0, found 0.0");
    assertThatThrownBy(() -> new TransitionParams(true, 0.05, 0, 0, 10)).hasMessage("--projections must be >= 1, found 0");
    assertThatThrownBy(() -> new TransitionParams(true, 0.05, 64, 0, 0))
        .hasMessage("--rotation-components must be >= 1, found 0");
  }
}
