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

  private static TokenCloud embedded(int n, int m, int d, Random rng) {
    // an m-dimensional standard normal, rotated into R^d
    double[] q = Samples.rotation(d, rng);
    double[] p = new double[n * d];
    for (int i = 0; i < n; i++) {
      double[] z = new double[m];
      for (int k = 0; k < m; k++) {
        z[k] = rng.nextGaussian();
      }
      for (int r = 0; r < d; r++) {
        double s = 0;
        for (int k = 0; k < m; k++) {
          s += q[r * d + k] * z[k];
        }
        p[i * d + r] = s;
      }
    }
    return TokenCloud.ofFlat(n, d, p);
  }

  @Test
  void gaussiansOfTwoAndFiveDimensionsInR50() {
    Random rng = new Random(345);
    assertThat(IntrinsicDimension.of(embedded(2000, 2, 50, rng))).isCloseTo(2, within(0.2));
    assertThat(IntrinsicDimension.of(embedded(2000, 5, 50, rng))).isCloseTo(5, within(0.5));
  }

  @Test
  void nearDuplicatesAreDroppedAndCounted() {
    Random rng = new Random(345);
    int n = 1000;
    int d = 20;
    TokenCloud c = embedded(n, 3, d, rng);
    double[] p = java.util.Arrays.copyOf(c.toFlatArray(), (n + n / 10) * d);
    for (int j = 0; j < n / 10; j++) {
      for (int k = 0; k < d; k++) {
        p[(n + j) * d + k] = p[(7 * j) * d + k] + 1e-9 * rng.nextGaussian();
      }
    }
    TokenCloud dup = TokenCloud.ofFlat(n + n / 10, d, p);
    // without the drop, those pairs give r1 ~ 1e-9 and huge ratios that pull the slope far below 3
    IntrinsicDimension.Estimate e = IntrinsicDimension.estimate(dup, IntrinsicDimension.DEFAULT_DISCARD);
    assertThat(e.dropped()).isEqualTo(n / 10);
    assertThat(e.value()).isCloseTo(3, within(0.3));
  }

  @Test
  void neverBelowOne() {
    // two tight pairs far apart and a spread of singletons: ratios that would give a slope below 1
    Random rng = new Random(345);
    for (int trial = 0; trial < 20; trial++) {
      int n = 40;
      double[] p = new double[n * 30];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < 30; k++) {
          p[i * 30 + k] = (i % 2 == 0 ? i : i - 1) * 10 + 1e-2 * rng.nextGaussian();
        }
      }
      double v = IntrinsicDimension.of(TokenCloud.ofFlat(n, 30, p));
      assertThat(Double.isNaN(v) || v >= 1).as("trial %d gave %s", trial, v).isTrue();
    }
  }

  @Test
  void decimationOfAFlatSampleHasAPlateau() {
    Random rng = new Random(345);
    IntrinsicDimension.Decimation dec = IntrinsicDimension.decimation(embedded(1600, 2, 10, rng),
        IntrinsicDimension.DEFAULT_DISCARD, 7);
    assertThat(dec.sizes()).containsExactly(1600, 800, 400, 200, 100, 50, 25);
    assertThat(dec.plateau()).isCloseTo(2, within(0.25));
  }

  @Test
  void heldDistancesGiveTheCurveOfRecomputedOnes() {
    // the curve read from held distances against each subset's own distances (decimation without the
    // full estimate computes them afresh), on clean points and on points with near-duplicates to drop
    Random rng = new Random(91);
    for (boolean duplicates : new boolean[] {false, true}) {
      TokenCloud c = embedded(700, 3, 12, rng);
      if (duplicates) {
        double[] p = c.toFlatArray();
        for (int i = 0; i < 40; i++) {
          System.arraycopy(p, (i + 100) * 12, p, i * 12, 12);
          p[i * 12] += 1e-12;
        }
        c = TokenCloud.ofFlat(700, 12, p);
      }
      IntrinsicDimension.Estimate[] full = new IntrinsicDimension.Estimate[1];
      IntrinsicDimension.Decimation held = IntrinsicDimension.decimation(c, IntrinsicDimension.DEFAULT_DISCARD, 3,
          full);
      IntrinsicDimension.Decimation fresh = IntrinsicDimension.decimation(c, IntrinsicDimension.DEFAULT_DISCARD, 3);
      assertThat(held.sizes()).containsExactly(fresh.sizes());
      assertThat(held.values()).containsExactly(fresh.values());
      assertThat(full[0].value()).isEqualTo(IntrinsicDimension.estimate(c, IntrinsicDimension.DEFAULT_DISCARD).value());
      if (duplicates) {
        assertThat(held.sizes()[0]).isLessThan(700);
      }
    }
  }
}
