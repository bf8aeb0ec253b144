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
import org.junit.jupiter.api.Test;

class DynamicsFitTest {

  /** Layers 0..L-1 of a finely integrated SA flow at times l * tau, scaled off the sphere. */
  private static CloudSequence made(double beta, double tau, int n, int d, int layers, long seed) {
    int fine = 40;
    SimulationParams p = new SimulationParams(Dynamics.SA, n, d, beta, tau / fine, fine * (layers - 1), Init.uniform(),
        seed, Integrator.RK4, 0, fine, 1, Interaction.IDENTITY);
    List<TokenCloud> clouds = new ArrayList<>();
    Simulator.run(p, 1, f -> {
      // real layers are not unit vectors: scale each token; the fit projects them back
      double[] x = f.cloud().toFlatArray();
      for (int i = 0; i < x.length; i++) {
        x[i] *= 3.0 + (i / d) % 5;
      }
      clouds.add(TokenCloud.ofFlat(n, d, x));
    });
    return CloudSequence.ofLayers(clouds);
  }

  @Test
  void recoversTheParametersOfASimulatedSequence() {
    double beta = 2.7;
    double tau = 0.35;
    List<CloudSequence> texts = List.of(made(beta, tau, 20, 6, 7, 1), made(beta, tau, 14, 6, 7, 2));
    DynamicsFit.Result r = DynamicsFit.fit(texts, DynamicsFit.Options.defaults());
    assertThat(r.beta()).isCloseTo(beta, org.assertj.core.data.Percentage.withPercentage(5));
    assertThat(r.timePerLayer()).isCloseTo(tau, org.assertj.core.data.Percentage.withPercentage(5));
    assertThat(r.residual()).isLessThan(1e-6 * r.staticResidual());
    assertThat(r.layerResidual()).hasSize(7);
    assertThat(r.fitMeanCosine()[6]).isCloseTo(r.modelMeanCosine()[6], org.assertj.core.data.Offset.offset(1e-3));
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
