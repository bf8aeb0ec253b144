package dev.tokendyn.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Metastability of SA on the circle (Geshkovski, Koubbi, Polyanskiy, Rigollet 2024): the first merge of two
 * well-separated clusters against the two-point-mass formula, exponential in beta, and the staircase of
 * E_beta from four clusters.
 */
class MetastabilityTest {
  @Test
  void theFirstMergeTimeFollowsTheTwoPointFormulaAndGrowsExponentially() {
    double alpha0 = Math.acos(0.85);
    double[] betas = {4, 8, 16, 32, 48, 64};
    double[] logT = new double[betas.length];
    double[] logTheory = new double[betas.length];
    for (int i = 0; i < betas.length; i++) {
      double t = Metastability.firstMergeTime(betas[i], alpha0, 8, 0.001, 3, 5000);
      double theory = Metastability.twoPointMergeTime(betas[i], alpha0);
      assertThat(t).as("merge time at beta=%s", betas[i]).isCloseTo(theory, offset(0.03 * theory + Metastability.DT));
      logT[i] = Math.log(t);
      logTheory[i] = Math.log(theory);
    }
    Metastability.Line fit = Metastability.Line.fit(betas, logT);
    Metastability.Line expected = Metastability.Line.fit(betas, logTheory);
    assertThat(fit.slope()).isCloseTo(expected.slope(), offset(0.05 * expected.slope()));
    assertThat(fit.r2()).isGreaterThan(0.95);
    // T grows by more than a factor 100 over the range, and the last steps approach the rate 1 - cos alpha0
    assertThat(logT[5] - logT[0]).isGreaterThan(Math.log(100));
    assertThat((logT[5] - logT[4]) / 16).isBetween(0.6 * (1 - 0.85), 1 - 0.85);
  }

  @Test
  void theFallTimeIsHalfTheMergeTimeWithoutAttentionBias() {
    // at beta = 0 each point gives the other weight 1/2, so T = 2 T_fall; closed form against quadrature
    for (double alpha0 : new double[] {0.2, Math.acos(0.85), 1.0, 2.5}) {
      assertThat(Metastability.twoPointMergeTime(0, alpha0)).isCloseTo(2 * Metastability.fallTime(alpha0),
          offset(1e-9));
    }
  }

  /**
   * The two-point formula is not a line in beta over 4..64 (its local slope c - 1/beta - ... climbs towards
   * c = 1 - cos alpha0), but log(beta (T - T_fall)) is, up to the O(1/beta) Laplace correction; the particles
   * follow the formula, whatever the seed.
   */
  @Test
  void theScanSeparatesThePrefactorFromTheExponentialRate() {
    double alpha0 = Math.acos(0.85);
    double[] betas = {4, 8, 16, 32, 48, 64};
    var scan = Metastability.scan(betas, alpha0, 8, 0.001, new long[] {1, 2, 3}, 5000);
    assertThat(scan.twoPointPlain().r2()).isLessThan(0.97);
    assertThat(scan.twoPointCorrected().r2()).isGreaterThan(0.995);
    assertThat(scan.corrected().r2()).isGreaterThan(0.995);
    assertThat(scan.corrected().slope()).isCloseTo(scan.twoPointCorrected().slope(), offset(0.005));
    // the corrected slope is within 15 per cent of the asymptotic rate and below it (the Laplace correction)
    assertThat(scan.corrected().slope()).isBetween(0.85 * scan.asymptoticSlope(), scan.asymptoticSlope());
    // seeds move the merge by a step or two of 0.05 (2 per cent at T = 2.7) and by under 2 per cent later
    assertThat(scan.seedSpread()).isLessThan(0.04);
  }

  @Test
  void fourClustersClimbAStaircaseOfThreePlateaus() {
    double beta = 16;
    List<Metastability.Step> steps = Metastability.staircase(beta, new double[] {0, 0.5, 1.15, 1.95}, 8, 0.001, 3,
        3000, 20);
    List<double[]> plateaus = Metastability.plateaus(steps, 1);
    List<Integer> counts = new ArrayList<>();
    for (double[] p : plateaus) {
      counts.add((int) p[2]);
    }
    assertThat(counts).containsExactly(4, 3, 2);
    for (int k = 1; k < plateaus.size(); k++) {
      assertThat(plateaus.get(k)[3]).isGreaterThan(plateaus.get(k - 1)[3]);
    }
    // on every plateau, once the last merge has settled, E_beta is that of point clusters with their masses
    for (Metastability.Step s : steps) {
      boolean settled = false;
      for (double[] p : plateaus) {
        settled |= s.time() >= p[0] + 2 && s.time() <= p[1];
      }
      if (settled) {
        assertThat(s.energy()).as("t=%s", s.time()).isCloseTo(s.pointLevel(), offset(1e-3 * s.energy()));
      }
    }
    // and the last level is that of one point: e^beta / (2 beta)
    Metastability.Step last = steps.get(steps.size() - 1);
    assertThat(last.clusters()).isEqualTo(1);
    assertThat(last.energy()).isCloseTo(Math.exp(beta) / (2 * beta), offset(1e-6 * last.energy()));
  }

  @Test
  void theTwoPointFormulaAtBetaZeroIsTheFallTime() {
    // beta = 0: alpha' = -sin(alpha) (w = 1/2), so T = ln(tan(alpha0/2) / tan(end/2))
    double end = Math.acos(Metastability.MERGE_COSINE);
    double alpha0 = 1.0;
    assertThat(Metastability.twoPointMergeTime(0, alpha0))
        .isCloseTo(Math.log(Math.tan(alpha0 / 2) / Math.tan(end / 2)), offset(1e-9));
  }
}
