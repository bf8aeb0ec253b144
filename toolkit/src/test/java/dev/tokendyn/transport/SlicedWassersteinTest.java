package dev.tokendyn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlicedWassersteinTest {
  @Test
  void equalsTheExactDistanceInOneDimension() {
    Random rng = new Random(345);
    for (int trial = 0; trial < 20; trial++) {
      int n = 1 + rng.nextInt(30);
      int m = 1 + rng.nextInt(30);
      TokenCloud x = Problems.gaussian(rng, n, 1, 0).withWeights(Problems.weights(rng, n, rng.nextInt(2)));
      TokenCloud y = Problems.gaussian(rng, m, 1, 1).withWeights(Problems.weights(rng, m, 0));
      double exact = Math.sqrt(new NetworkSimplex().between(x, y).value());
      SlicedResult r = new SlicedWasserstein(new SlicedParams(3, trial)).between(x, y);
      assertThat(r.value()).as("trial %d", trial).isCloseTo(exact, within(1e-10 * exact));
    }
  }

  @Test
  void uniformEqualSizeFastPathAgreesWithTheGeneralMerge() {
    Random rng = new Random(5);
    TokenCloud x = Problems.gaussian(rng, 50, 4, 0);
    TokenCloud y = Problems.gaussian(rng, 50, 4, 0.5);
    SlicedWasserstein s = new SlicedWasserstein(new SlicedParams(64, 9));
    double uniform = s.between(x, y).value();
    // the same weights, given explicitly but not all equal in floating point, take the general path
    double[] w = Problems.uniform(50);
    w[0] *= 1 + 1e-15;
    double general = s.solve(x, y, w, Problems.uniform(50)).value();
    assertThat(general).isCloseTo(uniform, within(1e-12));
  }

  @Test
  void sameSeedSameBitsOtherSeedOtherDirections() {
    Random rng = new Random(6);
    TokenCloud x = Problems.gaussian(rng, 30, 8, 0);
    TokenCloud y = Problems.gaussian(rng, 40, 8, 0.5);
    double v1 = Transport.sliced(x, y, 16, 42);
    double v2 = Transport.sliced(x, y, 16, 42);
    double v3 = Transport.sliced(x, y, 16, 43);
    assertThat(Double.doubleToLongBits(v2)).isEqualTo(Double.doubleToLongBits(v1));
    assertThat(v3).isNotEqualTo(v1);
  }

  @Test
  void isAtMostTheExactDistanceAndZeroOnIdenticalClouds() {
    Random rng = new Random(7);
    TokenCloud x = Problems.gaussian(rng, 25, 6, 0);
    TokenCloud y = Problems.gaussian(rng, 25, 6, 0.8);
    // each projection is 1-Lipschitz, so every projected W2 is at most the exact W2
    assertThat(Transport.sliced(x, y, 200, 1)).isLessThanOrEqualTo(Transport.w2(x, y) + 1e-12);
    assertThat(Transport.sliced(x, x, 50, 1)).isZero();
  }

  @Test
  void sphericalEqualsTheExactCircleDistanceInTwoDimensions() {
    Random rng = new Random(8);
    for (int trial = 0; trial < 10; trial++) {
      int n = 1 + rng.nextInt(20);
      int m = 1 + rng.nextInt(20);
      TokenCloud x = Problems.gaussian(rng, n, 2, 0).normalizedToSphere().withWeights(Problems.weights(rng, n, 0));
      TokenCloud y = Problems.gaussian(rng, m, 2, 0.7).normalizedToSphere().withWeights(Problems.weights(rng, m, 0));
      // exact OT with the squared geodesic angle, on a circle of length one
      double exact = Math.sqrt(Transport.exact(x, y, Cost.GEODESIC).value()) / (2 * Math.PI);
      SlicedResult r = new SphericalSlicedWasserstein(new SlicedParams(4, trial)).between(x, y);
      assertThat(r.value()).as("trial %d", trial).isCloseTo(exact, within(1e-6 * Math.max(exact, 1e-3)));
    }
  }

  @Test
  void sphericalIsZeroOnIdenticalCloudsAndPositiveOtherwise() {
    Random rng = new Random(9);
    TokenCloud x = Problems.gaussian(rng, 30, 5, 0).normalizedToSphere();
    TokenCloud y = Problems.gaussian(rng, 30, 5, 1).normalizedToSphere();
    assertThat(Transport.slicedSpherical(x, x, 20, 3)).isCloseTo(0, within(1e-7));
    SlicedResult r = new SphericalSlicedWasserstein(new SlicedParams(200, 3)).between(x, y);
    assertThat(r.value()).isGreaterThan(10 * r.standardError());
    assertThat(r.standardError()).isPositive();
  }

  @Test
  void weightsNotSummingToOneAreNormalisedWithAWarning() {
    Random rng = new Random(10);
    TokenCloud x = Problems.gaussian(rng, 6, 3, 0);
    TokenCloud y = Problems.gaussian(rng, 4, 3, 1);
    double[] a = {1, 2, 3, 4, 5, 6};
    double[] an = new double[6];
    for (int i = 0; i < 6; i++) {
      an[i] = a[i] / 21;
    }
    SlicedWasserstein s = new SlicedWasserstein(new SlicedParams(10, 2));
    SlicedResult raw = s.solve(x, y, a, Problems.uniform(4));
    SlicedResult normalised = s.solve(x, y, an, Problems.uniform(4));
    assertThat(raw.value()).isCloseTo(normalised.value(), within(1e-14));
    assertThat(raw.warnings()).singleElement().asString().contains("sum to 21.0");
    assertThat(normalised.warnings()).isEmpty();
  }

  @Test
  void rejectsBadInput() {
    TokenCloud x = TokenCloud.of(new double[][] {{1, 0}});
    TokenCloud y = TokenCloud.of(new double[][] {{1, 0, 0}});
    assertThatThrownBy(() -> new SlicedParams(0, 1)).hasMessage("projections must be >= 1, found 0");
    assertThatThrownBy(() -> Transport.sliced(x, y, 5, 1)).hasMessageContaining("d=2").hasMessageContaining("d=3");
    TokenCloud line = TokenCloud.of(new double[][] {{1}});
    assertThatThrownBy(() -> Transport.slicedSpherical(line, line, 5, 1)).hasMessageContaining("d >= 2, found d=1");
  }

  @Test
  void sortedProjectionsGiveTheSameBitsAsTheCloudsAndRefuseAnotherShape() {
    java.util.Random rng = new java.util.Random(17);
    dev.tokendyn.cloud.TokenCloud x = Problems.gaussian(rng, 300, 12, 0);
    dev.tokendyn.cloud.TokenCloud y = Problems.gaussian(rng, 300, 12, 0.7);
    dev.tokendyn.cloud.TokenCloud z = Problems.gaussian(rng, 300, 12, -0.4);
    SlicedWasserstein sw = new SlicedWasserstein(new SlicedParams(40, 9));
    double[][] sx = sw.sortedProjections(x);
    double[][] sy = sw.sortedProjections(y);
    double[][] sz = sw.sortedProjections(z);
    org.assertj.core.api.Assertions.assertThat(sw.betweenSorted(sx, sy).value()).isEqualTo(sw.between(x, y).value());
    org.assertj.core.api.Assertions.assertThat(sw.betweenSorted(sy, sz).value()).isEqualTo(sw.between(y, z).value());
    org.assertj.core.api.Assertions.assertThat(sw.betweenSorted(sx, sx).value()).isZero();
    double[][] fewer = new SlicedWasserstein(new SlicedParams(20, 9)).sortedProjections(y);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sw.betweenSorted(sx, fewer))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40 directions");
    double[][] smaller = sw.sortedProjections(Problems.gaussian(rng, 200, 12, 0));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sw.betweenSorted(sx, smaller))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40 x 200");
  }
}
