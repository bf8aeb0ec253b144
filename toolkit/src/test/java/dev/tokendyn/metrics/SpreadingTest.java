package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpreadingTest {

  @Test
  void brownianMotionIsDiffusive() {
    Random rng = new Random(345);
    int n = 1500;
    int d = 3;
    double[] x = Samples.gaussian(n, d, rng);
    List<TokenCloud> frames = new ArrayList<>();
    frames.add(TokenCloud.ofFlat(n, d, x));
    for (int step = 1; step <= 16; step++) {
      x = x.clone();
      for (int i = 0; i < x.length; i++) {
        x[i] += 0.5 * rng.nextGaussian();
      }
      frames.add(TokenCloud.ofFlat(n, d, x));
    }
    Spreading s = Spreading.of(CloudSequence.ofLayers(frames));
    assertThat(s.fit().alpha()).isCloseTo(1, within(0.1));
    assertThat(s.fit().rSquared()).isGreaterThan(0.98);
    assertThat(s.fit().points()).isEqualTo(16);
    // MSD(t) = d * 0.25 * t
    assertThat(s.msd()[16]).isCloseTo(3 * 0.25 * 16, within(0.4));
    // variance grows from d = 3 to 3 (1 + 0.25 t): 15 at t = 16
    assertThat(s.variance()[16]).isCloseTo(15, within(0.8));
    assertThat(s.varianceGrowth()[16]).isCloseTo(5, within(0.3));
    // entropy grows by (d/2) log(var ratio) for a Gaussian: 1.5 ln 5 = 2.41 nats
    assertThat(s.entropy()[16] - s.entropy()[0]).isCloseTo(1.5 * Math.log(5), within(0.15));
  }

  @Test
  void constantVelocityIsBallistic() {
    Random rng = new Random(345);
    int n = 200;
    int d = 4;
    double[] x0 = Samples.gaussian(n, d, rng);
    double[] v = Samples.gaussian(n, d, rng);
    List<CloudSequence.Entry> entries = new ArrayList<>();
    for (int l = 0; l < 10; l++) {
      double t = 0.3 * l;
      double[] x = new double[n * d];
      for (int i = 0; i < x.length; i++) {
        x[i] = x0[i] + v[i] * t;
      }
      entries.add(new CloudSequence.Entry("t=" + t, t, TokenCloud.ofFlat(n, d, x)));
    }
    Spreading s = Spreading.of(new CloudSequence(CloudSequence.Axis.TIME, entries));
    assertThat(s.fit().alpha()).isCloseTo(2, within(1e-10));
    assertThat(s.fit().rSquared()).isCloseTo(1, within(1e-10));
    assertThat(s.depth()).containsExactly(new double[] {0, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7}, within(1e-15));
    assertThat(s.msd()[0]).isEqualTo(0.0);
  }

  @Test
  void powerLawByHand() {
    double[] t = {1, 2, 4, 8};
    double[] y = {3, 3 * Math.pow(2, 1.5), 3 * 8, 3 * Math.pow(8, 1.5)};
    PowerLawFit f = PowerLawFit.of(t, y);
    assertThat(f.alpha()).isCloseTo(1.5, within(1e-12));
    assertThat(f.prefactor()).isCloseTo(3, within(1e-12));
    assertThat(f.rSquared()).isCloseTo(1, within(1e-12));
    // log y = (0, 1, 0, 1) against log2 t = (0, 1, 2, 3): slope 0.2 in log2 units, R^2 = 0.2
    PowerLawFit g = PowerLawFit.of(t, new double[] {1, Math.E, 1, Math.E});
    assertThat(g.alpha()).isCloseTo(0.2 / Math.log(2), within(1e-12));
    assertThat(g.rSquared()).isCloseTo(0.2, within(1e-12));
    // one usable point: undefined
    PowerLawFit one = PowerLawFit.of(new double[] {0, 1}, new double[] {0, 5});
    assertThat(one.alpha()).isNaN();
    assertThat(one.points()).isEqualTo(1);
  }

  @Test
  void differentShapesAreRejected() {
    CloudSequence seq = CloudSequence.ofLayers(List.of(
        TokenCloud.ofFlat(5, 2, new double[10]), TokenCloud.ofFlat(4, 2, new double[8])));
    assertThatThrownBy(() -> Spreading.of(seq)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cloud 1 (1) has shape 4x2 but cloud 0 (0) has 5x2");
  }
}
