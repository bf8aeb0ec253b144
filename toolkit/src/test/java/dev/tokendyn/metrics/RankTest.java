package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Rank collapse, effective rank and stable rank against hand-worked values and built spectra. */
class RankTest {

  /**
   * A cloud in R^d whose centred matrix has singular values sqrt(2) a_k: the points +a_k e_k and -a_k e_k
   * for each k, rotated by a random orthogonal matrix and shifted by a constant vector.
   */
  private static TokenCloud withSpectrum(double[] a, int d, Random rng) {
    int n = 2 * a.length;
    double[] p = new double[n * d];
    for (int k = 0; k < a.length; k++) {
      p[(2 * k) * d + k] = a[k];
      p[(2 * k + 1) * d + k] = -a[k];
    }
    TokenCloud rotated = Samples.times(TokenCloud.ofFlat(n, d, p), Samples.rotation(d, rng));
    double[] q = rotated.toFlatArray();
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        q[i * d + k] += 5 + k;
      }
    }
    return TokenCloud.ofFlat(n, d, q);
  }

  @Test
  void effectiveRankOfHandSpectrum() {
    // p = (3/4, 1/4): H = 0.75 ln(4/3) + 0.25 ln 4 = 0.562335, exp = 1.754765
    assertThat(EffectiveRank.fromSingularValues(new double[] {3, 1, 0})).isCloseTo(1.754765, within(1e-6));
    assertThat(EffectiveRank.fromSingularValues(new double[] {2, 2, 2, 2})).isCloseTo(4, within(1e-14));
    assertThat(EffectiveRank.fromSingularValues(new double[] {0, 0})).isEqualTo(0.0);
  }

  @Test
  void effectiveRankOfCloudWithKnownSpectrum() {
    Random rng = new Random(345);
    TokenCloud c = withSpectrum(new double[] {3, 1}, 6, rng);
    assertThat(EffectiveRank.of(c)).isCloseTo(1.754765, within(1e-6));
    // five equal directions in R^12 give exactly 5
    TokenCloud five = withSpectrum(new double[] {2, 2, 2, 2, 2}, 12, rng);
    assertThat(EffectiveRank.of(five)).isCloseTo(5, within(1e-9));
    // spectrum (4, 2, 1, 1): p = (1/2, 1/4, 1/8, 1/8), H = 1.75 ln 2, erank = 2^1.75
    TokenCloud four = withSpectrum(new double[] {4, 2, 1, 1}, 9, rng);
    assertThat(EffectiveRank.of(four)).isCloseTo(Math.pow(2, 1.75), within(1e-9));
  }

  @Test
  void stableRankOfKnownSpectrum() {
    assertThat(StableRank.fromSingularValues(new double[] {3, 1})).isCloseTo(10.0 / 9, within(1e-15));
    Random rng = new Random(345);
    // (16 + 4 + 1 + 1) / 16
    assertThat(StableRank.of(withSpectrum(new double[] {4, 2, 1, 1}, 9, rng))).isCloseTo(22.0 / 16, within(1e-9));
  }

  @Test
  void collapsedCloudHasZeroRanks() {
    TokenCloud same = TokenCloud.of(new double[][] {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}});
    assertThat(EffectiveRank.of(same)).isEqualTo(0.0);
    assertThat(StableRank.of(same)).isEqualTo(0.0);
    assertThat(RankCollapse.of(same)).isCloseTo(0, within(1e-15));
  }

  @Test
  void negativeSingularValueIsRejected() {
    assertThatThrownBy(() -> EffectiveRank.fromSingularValues(new double[] {1, -2}))
        .hasMessage("singular value 1 must be finite and >= 0, found -2.0");
  }

  @Test
  void rankCollapseByHand() {
    // mean (1/2, 1/2); residual^2 = 4 * 1/4 = 1; |X|^2 = 2
    assertThat(RankCollapse.of(TokenCloud.of(new double[][] {{1, 0}, {0, 1}}))).isCloseTo(Math.sqrt(0.5), within(1e-15));
    // a centred cloud has residual equal to itself
    assertThat(RankCollapse.of(TokenCloud.of(new double[][] {{1, 2}, {-1, -2}}))).isCloseTo(1, within(1e-15));
    assertThat(RankCollapse.of(TokenCloud.of(new double[][] {{0, 0}, {0, 0}}))).isEqualTo(0.0);
  }

  @Test
  void rankCollapseFallsAsCloudShrinksToItsMean() {
    Random rng = new Random(345);
    double[] base = Samples.gaussian(50, 8, rng);
    double prev = 2;
    for (double s : new double[] {1, 0.1, 0.01}) {
      double[] p = new double[base.length];
      for (int i = 0; i < p.length; i++) {
        p[i] = 3 + s * base[i];
      }
      double r = RankCollapse.of(TokenCloud.ofFlat(50, 8, p));
      assertThat(r).isLessThan(prev);
      prev = r;
    }
    assertThat(prev).isLessThan(0.01);
  }
}
