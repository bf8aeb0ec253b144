package dev.tokendyn.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.sphere.Dynamics;
import org.junit.jupiter.api.Test;

class HeatDiffusionTest {

  /**
   * The heat equation on the circle with diffusivity D takes a wrapped normal's angular variance from sigma0^2
   * to sigma0^2 + 2 D t; the derivation in HeatDiffusion gives D = 1 / (2 beta) for Sinkhorn attention and
   * 1 / beta for the softmax, i.e. slopes 1 and 2 in s = t / beta. At beta = 16 the limit's correction, of
   * relative order 1 / (beta sigma^2) with sigma^2 from 0.25 to 0.75, is still a few per cent for the Sinkformer
   * and about ten for SA (the notebook follows both to beta = 64, where they are within 1 and 4 per cent).
   */
  @Test
  void theCircularVarianceGrowsAtTheHeatEquationsRate() {
    var sink = HeatDiffusion.run(new HeatDiffusion.Params(Dynamics.SINKFORMER, 128, 16, 0.5, 0.5, 6, 0.5, 201, 1), 2);
    var sa = HeatDiffusion.run(new HeatDiffusion.Params(Dynamics.SA, 128, 16, 0.5, 0.5, 6, 0.5, 1, 1), 2);
    System.out.printf("heat: sinkformer slope %.4f (err %.1e), SA slope %.4f%n", sink.slope(), sink.marginalError(), sa.slope());
    assertThat(sink.marginalError()).as("Sinkhorn converged").isLessThan(1e-5);
    assertThat(sink.slope()).isCloseTo(HeatDiffusion.predictedSlope(Dynamics.SINKFORMER), offset(0.05));
    assertThat(sa.slope()).isCloseTo(HeatDiffusion.predictedSlope(Dynamics.SA), offset(0.25));
    // SA diffuses faster than the Sinkformer, by nearly the predicted factor 2
    assertThat(sa.slope() / sink.slope()).isBetween(1.7, 2.1);
    assertThat(sink.r2()).isGreaterThan(0.999);
    assertThat(sa.r2()).isGreaterThan(0.999);
    // same start
    assertThat(sink.variance()[0]).isEqualTo(sa.variance()[0]);
  }

  @Test
  void theCircularVarianceOfAWrappedNormalIsItsSigmaSquared() {
    // R = e^{-sigma^2 / 2} for the wrapped normal; a large sample, so the sampling error is about 0.003
    TokenCloud c = HeatDiffusion.wrappedNormal(200_000, 0.7, 11);
    assertThat(HeatDiffusion.circularVariance(c)).isCloseTo(0.49, offset(0.01));
    // points at +-a: R = cos a exactly
    TokenCloud two = TokenCloud.of(new double[][] {{Math.cos(0.3), Math.sin(0.3)}, {Math.cos(0.3), -Math.sin(0.3)}});
    assertThat(HeatDiffusion.circularVariance(two)).isCloseTo(-2 * Math.log(Math.cos(0.3)), offset(1e-14));
  }

  @Test
  void sinkhornsColumnsConvergeAndOneNormalisationLeavesThemOpen() {
    TokenCloud c = HeatDiffusion.wrappedNormal(64, 0.5, 2);
    assertThat(HeatDiffusion.marginalError(c, 4, 1)).isGreaterThan(0.1);
    assertThat(HeatDiffusion.marginalError(c, 4, 201)).isLessThan(1e-12);
    // the error shrinks with the iterations
    assertThat(HeatDiffusion.marginalError(c, 16, 41)).isLessThan(HeatDiffusion.marginalError(c, 16, 11));
  }

  @Test
  void refusesWhatHasNoHeatLimit() {
    assertThatThrownBy(() -> new HeatDiffusion.Params(Dynamics.USA, 128, 16, 0.5, 0.5, 6, 0.5, 1, 1))
        .hasMessageContaining("SA or the Sinkformer");
    assertThatThrownBy(() -> new HeatDiffusion.Params(Dynamics.SINKFORMER, 128, 16, 0.5, 0.5, 6, 0.5, 20, 1))
        .hasMessageContaining("odd");
    assertThatThrownBy(() -> new HeatDiffusion.Params(Dynamics.SA, 128, 16, 0.5, 0.5, 6, 0.5, 3, 1))
        .hasMessageContaining("must be 1");
  }

  @Test
  void anIntervalOverSeeds() {
    var i = HeatDiffusion.Interval.of(new double[] {1, 2, 3});
    assertThat(i.mean()).isEqualTo(2.0);
    assertThat(i.sd()).isEqualTo(1.0);
    assertThat(i.min()).isEqualTo(1.0);
    assertThat(i.max()).isEqualTo(3.0);
  }
}
