package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntrinsicDimensionTest {

  @Test
  void gaussianInTwoDimensionalSubspaceOfR50() {
    Random rng = new Random(345);
    TokenCloud c = Samples.times(Samples.gaussianInSubspace(1500, 2, 50, rng), Samples.rotation(50, rng));
    assertThat(IntrinsicDimension.of(c)).isCloseTo(2, within(0.2));
  }

  @Test
  void gaussianInFiveDimensionalSubspaceOfR50() {
    Random rng = new Random(345);
    TokenCloud c = Samples.times(Samples.gaussianInSubspace(1500, 5, 50, rng), Samples.rotation(50, rng));
    assertThat(IntrinsicDimension.of(c)).isCloseTo(5, within(0.5));
  }

  @Test
  void duplicatesCountOnce() {
    Random rng = new Random(345);
    TokenCloud c = Samples.gaussianInSubspace(300, 3, 6, rng);
    double[] p = c.toFlatArray();
    double[] doubled = new double[2 * p.length];
    System.arraycopy(p, 0, doubled, 0, p.length);
    System.arraycopy(p, 0, doubled, p.length, p.length);
    TokenCloud twice = TokenCloud.ofFlat(600, 6, doubled);
    assertThat(IntrinsicDimension.of(twice)).isEqualTo(IntrinsicDimension.of(c));
    assertThat(IntrinsicDimension.of(twice)).isFinite();
  }

  @Test
  void collapsedCloudIsUndefined() {
    TokenCloud c = TokenCloud.of(new double[][] {{1, 1}, {1, 1}, {2, 2}, {1, 1}});
    assertThat(IntrinsicDimension.of(c)).isNaN();
  }

  @Test
  void tooFewPointsAreUndefinedWithAReason() {
    TokenCloud c = TokenCloud.of(new double[][] {{1, 1}, {2, 2}});
    IntrinsicDimension.Estimate e = IntrinsicDimension.estimate(c, IntrinsicDimension.DEFAULT_DISCARD);
    assertThat(e.value()).isNaN();
    assertThat(e.reason()).isEqualTo("needs at least 20 distinct points, found 2");
    assertThatThrownBy(() -> IntrinsicDimension.of(c, 1.0)).hasMessage("discard must be in [0, 1), found 1.0");
  }
}
