package dev.tokendyn.sphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.metrics.Clusters;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Known answers of causal attention (Karagodin, Polyanskiy, Rigollet 2024): with V = I the first token
 * sees only itself and stays put, every other token converges to it, and at large beta the "strong
 * Renyi centres" (tokens farther than delta = 4 / sqrt(beta) from every earlier token) stay put while
 * the others gather on them.
 */
class CausalMaskTest {
  static double angle(TokenCloud a, int i, TokenCloud b, int j) {
    double s = 0;
    for (int k = 0; k < a.dimension(); k++) {
      s += a.get(i, k) * b.get(j, k);
    }
    return Math.acos(Math.max(-1, Math.min(1, s)));
  }

  /** Random Q and K, V = I. */
  private static Interaction randomQkIdentityV(int d, long seed) {
    Interaction g = Interaction.gaussian(d, seed);
    return new Interaction(g.q(), g.k(), null, "qk:" + seed);
  }

  @ParameterizedTest
  @EnumSource(value = Dynamics.class, names = {"SA", "USA"})
  void withValueIdentityTheFirstTokenNeverMovesAndAllConvergeToIt(Dynamics dyn) {
    // USA's weights carry 1/n, so its pull on the last tokens is about 1/n of SA's: n is kept small
    int n = 12;
    int d = 3;
    SimulationParams p = SimulationParams.of(dyn, n, d, 1.0, 0.1, 2000, 17).withMask(Mask.CAUSAL)
        .withInteraction(randomQkIdentityV(d, 5)).withRecordEvery(200).withIntegrator(Integrator.RK4);
    List<Simulator.Frame> frames = Simulator.run(p);
    TokenCloud start = frames.get(0).cloud();
    for (Simulator.Frame f : frames) {
      assertThat(angle(f.cloud(), 0, start, 0)).as("first token at t=%s", f.time()).isLessThan(1e-12);
    }
    TokenCloud end = frames.get(frames.size() - 1).cloud();
    for (int i = 1; i < n; i++) {
      assertThat(angle(end, i, end, 0)).as("token %d from the first at t=200", i).isLessThan(1e-3);
    }
    assertThat(angle(end, n - 1, start, 0)).isLessThan(1e-3);
  }

  @Test
  void unmaskedTheFirstTokenMoves() {
    SimulationParams p = SimulationParams.of(Dynamics.SA, 24, 3, 1.0, 0.05, 20, 17);
    List<Simulator.Frame> frames = Simulator.run(p);
    assertThat(angle(frames.get(20).cloud(), 0, frames.get(0).cloud(), 0)).isGreaterThan(1e-3);
  }

  /** Their Figure 2: d = 2, beta = 64, n = 200, Q = K = V = I. */
  @Test
  void strongRenyiCentresStayPutAndTheOthersGatherOnThem() {
    int n = 200;
    double beta = 64;
    SimulationParams p = SimulationParams.of(Dynamics.SA, n, 2, beta, 0.1, 1500, 3).withMask(Mask.CAUSAL)
        .withRecordEvery(250);
    List<Simulator.Frame> frames = Simulator.run(p);
    TokenCloud x0 = frames.get(0).cloud();
    double delta = 4 / Math.sqrt(beta);
    List<Integer> strong = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      boolean far = true;
      for (int j = 0; j < k && far; j++) {
        far = angle(x0, k, x0, j) > delta;
      }
      if (far) {
        strong.add(k);
      }
    }
    assertThat(strong).hasSizeGreaterThan(2);
    for (Simulator.Frame f : frames) {
      for (int c : strong) {
        assertThat(angle(f.cloud(), c, x0, c)).as("centre %d at t=%s", c, f.time()).isLessThan(1e-4);
      }
    }
    TokenCloud end = frames.get(frames.size() - 1).cloud();
    for (int i = 0; i < n; i++) {
      double nearest = Double.POSITIVE_INFINITY;
      for (int c : strong) {
        nearest = Math.min(nearest, angle(end, i, x0, c));
      }
      assertThat(nearest).as("token %d from the nearest centre's start at t=150", i).isLessThan(1e-3);
    }
    assertThat(Clusters.of(end, 1 - 1e-3).count()).isEqualTo(strong.size());
  }

  @Test
  void theSinkformerRefusesTheCausalMask() {
    assertThatThrownBy(() -> SimulationParams.of(Dynamics.SINKFORMER, 8, 3, 1, 0.1, 1, 1)
        .withSinkhornIterations(5).withMask(Mask.CAUSAL)).hasMessageContaining("--mask none");
  }
}
