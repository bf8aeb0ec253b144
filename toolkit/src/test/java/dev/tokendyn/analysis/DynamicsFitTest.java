package dev.tokendyn.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Integrator;
import dev.tokendyn.sphere.Interaction;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** Known answers: sequences that the simulator made with known parameters are fitted back. */
class DynamicsFitTest {

  /** Real layers are not unit vectors: each token scaled by its own factor; the fit projects them back. */
  private static TokenCloud scaled(TokenCloud c) {
    int d = c.dimension();
    double[] x = c.toFlatArray();
    for (int i = 0; i < x.length; i++) {
      x[i] *= 3.0 + (i / d) % 5;
    }
    return TokenCloud.ofFlat(c.size(), d, x);
  }

  /** Layer l+1 = the flow from layer l for tau[l] at beta[l], finely integrated (40 RK4 steps). */
  private static CloudSequence made(double[] beta, double[] tau, int n, int d, long seed) {
    List<TokenCloud> clouds = new ArrayList<>();
    TokenCloud x = TokenCloud.ofFlat(n, d, Init.uniform().points(n, d, seed));
    clouds.add(scaled(x));
    for (int l = 0; l < beta.length; l++) {
      int fine = 40;
      SimulationParams p = new SimulationParams(Dynamics.SA, n, d, beta[l], tau[l] / fine, fine, Init.of(x), seed,
          Integrator.RK4, 0, fine, 1, Interaction.IDENTITY);
      x = Simulator.finalCloud(p);
      clouds.add(scaled(x));
    }
    return CloudSequence.ofLayers(clouds);
  }

  private static double[] repeat(double v, int k) {
    double[] a = new double[k];
    java.util.Arrays.fill(a, v);
    return a;
  }

  @Test
  void globalParametersOfASimulatedSequenceAreRecoveredWithEachObjective() {
    double beta = 2.7;
    double tau = 0.35;
    List<CloudSequence> texts = List.of(made(repeat(beta, 6), repeat(tau, 6), 20, 6, 1),
        made(repeat(beta, 6), repeat(tau, 6), 14, 6, 2));
    for (DynamicsFit.Objective obj : List.of(DynamicsFit.Objective.POSITIONS, DynamicsFit.Objective.GRAM)) {
      DynamicsFit.Result r = DynamicsFit.fit(texts, DynamicsFit.Options.defaults().withObjective(obj).withBootstrap(4, 1));
      assertThat(r.beta().identifiable()).as(obj.name()).isTrue();
      assertThat(r.beta().estimate()).as(obj.name()).isCloseTo(beta, Percentage.withPercentage(5));
      assertThat(r.time().estimate()).as(obj.name()).isCloseTo(tau, Percentage.withPercentage(5));
      assertThat(r.explained()).as(obj.name()).isGreaterThan(0.999);
      assertThat(r.beta().ci()[0]).isLessThanOrEqualTo(r.beta().ci()[1]);
      assertThat(r.layers()).hasSize(6).allSatisfy(l -> assertThat(l.beta()).isEqualTo(r.beta()));
      assertThat(r.fitMeanCosine()[6]).isCloseTo(r.modelMeanCosine()[6], Offset.offset(1e-3));
      // a flow from layer 0 stays in the span of layer 0: the ceiling is reached, and never exceeded
      assertThat(r.explained()).isLessThanOrEqualTo(r.ceiling() + 1e-9);
    }
  }

  @Test
  void aDifferentBetaOnEachLayerIsRecoveredPerLayer() {
    double[] beta = {1.0, 3.0, 6.0};
    double[] tau = {0.3, 0.2, 0.4};
    List<CloudSequence> texts = List.of(made(beta, tau, 20, 6, 3), made(beta, tau, 16, 6, 4));
    DynamicsFit.Result r = DynamicsFit.fit(texts, DynamicsFit.Options.defaults().withPerLayer(true).withBootstrap(4, 1));
    assertThat(r.layers()).hasSize(3);
    for (int l = 0; l < 3; l++) {
      DynamicsFit.Layer f = r.layers().get(l);
      System.out.printf("layer %d: beta %.4f (true %.1f), tau %.4f (true %.1f), explained %.6f%n", f.layer(),
          f.beta().atMinimum(), beta[l], f.time().atMinimum(), tau[l], f.explained());
      assertThat(f.beta().identifiable()).isTrue();
      assertThat(f.beta().estimate()).isCloseTo(beta[l], Percentage.withPercentage(10));
      assertThat(f.time().estimate()).isCloseTo(tau[l], Percentage.withPercentage(5));
      assertThat(f.profile().beta()).hasSize(15);
    }
    assertThat(r.beta()).isNull();
    assertThat(r.explained()).isGreaterThan(0.999);
  }

  @Test
  void aKnownValueMatrixIsRecovered() {
    int d = 6;
    int n = 30;
    double beta = 2;
    double tau = 0.1;
    SplittableRandom rng = new SplittableRandom(345);
    double[] v = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        v[i * d + j] = (i == j ? 1 : 0) + 0.5 * rng.nextGaussian() / Math.sqrt(d);
      }
    }
    Interaction qkv = new Interaction(null, null, v, "test");
    List<CloudSequence> texts = new ArrayList<>();
    for (long seed = 1; seed <= 3; seed++) {
      // one projected Euler step a layer with the known V
      SimulationParams p = new SimulationParams(Dynamics.SA, n, d, beta, tau, 2, Init.uniform(), seed,
          Integrator.EULER, 0, 1, 1, qkv);
      List<TokenCloud> clouds = new ArrayList<>();
      Simulator.run(p, 1, f -> clouds.add(scaled(f.cloud())));
      texts.add(CloudSequence.ofLayers(clouds));
    }
    DynamicsFit.Result r = DynamicsFit.fit(texts, DynamicsFit.Options.defaults().withPerLayer(true).withValue(true, 0)
        .withBootstrap(0, 1));
    for (DynamicsFit.Layer l : r.layers()) {
      double[] w = l.value().w();
      double err = 0;
      double size = 0;
      for (int i = 0; i < d * d; i++) {
        err += (w[i] - tau * v[i]) * (w[i] - tau * v[i]);
        size += tau * v[i] * tau * v[i];
      }
      System.out.printf("layer %d: |W - tau V|_F / |tau V|_F = %.2e, beta %.4f, explained %.8f%n", l.layer(),
          Math.sqrt(err / size), l.value().beta(), l.value().explained());
      assertThat(Math.sqrt(err / size)).isLessThan(0.05);
      assertThat(l.value().beta()).isCloseTo(beta, Percentage.withPercentage(5));
      assertThat(l.value().explained()).isGreaterThan(0.9999);
    }
  }

  @Test
  void aValueFitWithFewerTokensThanDimensionsNeedsARidge() {
    List<CloudSequence> texts = List.of(made(repeat(1, 2), repeat(0.2, 2), 10, 32, 5));
    assertThatThrownBy(() -> DynamicsFit.fit(texts, DynamicsFit.Options.defaults().withValue(true, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10 tokens in d = 32").hasMessageContaining("needs a ridge").hasMessageContaining("--ridge");
    DynamicsFit.Result r = DynamicsFit.fit(texts, DynamicsFit.Options.defaults().withValue(true, 1e-3).withPerLayer(true)
        .withBootstrap(0, 1));
    assertThat(r.layers().get(0).value().lambda()).isGreaterThan(0);
    assertThat(r.layers().get(0).value().explained()).isGreaterThan(0.5);
  }

  @Test
  void aFlatObjectiveIsNotIdentifiable() {
    // one token per text: SA does not move a lone token, so no beta or time changes anything
    List<TokenCloud> clouds = new ArrayList<>();
    for (int l = 0; l < 4; l++) {
      double a = 0.3 * l;
      clouds.add(TokenCloud.of(new double[][] {{Math.cos(a), Math.sin(a), 0.2}}));
    }
    DynamicsFit.Result r = DynamicsFit.fit(List.of(CloudSequence.ofLayers(clouds)), DynamicsFit.Options.defaults()
        .withBootstrap(0, 1));
    assertThat(r.beta().identifiable()).isFalse();
    assertThat(r.time().identifiable()).isFalse();
    assertThat(r.beta().estimate()).isNaN();
    assertThat(r.beta().flatRange()).containsExactly(0.25, 32.0);
    assertThat(r.identifiable()).isFalse();
    assertThat(r.explained()).isCloseTo(0, Offset.offset(1e-12));
    DynamicsFit.Result p = DynamicsFit.fit(List.of(CloudSequence.ofLayers(clouds)), DynamicsFit.Options.defaults()
        .withPerLayer(true).withBootstrap(0, 1));
    assertThat(p.layers()).allSatisfy(l -> assertThat(l.beta().identifiable()).isFalse());
  }

  @Test
  void rejectsSequencesItCannotFit() {
    CloudSequence one = CloudSequence.ofLayers(List.of(TokenCloud.of(new double[][] {{1, 0}, {0, 1}})));
    assertThatThrownBy(() -> DynamicsFit.fit(one, DynamicsFit.Options.defaults())).hasMessageContaining("at least 2");
    CloudSequence ragged = CloudSequence.ofLayers(List.of(TokenCloud.of(new double[][] {{1, 0}, {0, 1}}),
        TokenCloud.of(new double[][] {{1, 0}})));
    assertThatThrownBy(() -> DynamicsFit.fit(ragged, DynamicsFit.Options.defaults())).hasMessageContaining("same tokens");
  }
}
