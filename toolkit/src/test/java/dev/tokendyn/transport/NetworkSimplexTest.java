package dev.tokendyn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NetworkSimplexTest {
  private final NetworkSimplex solver = new NetworkSimplex();

  @Test
  void planMarginalsEqualTheWeights() {
    Random rng = new Random(345);
    TokenCloud x = Problems.gaussian(rng, 40, 3, 0);
    TokenCloud y = Problems.gaussian(rng, 27, 3, 1);
    double[] a = Problems.weights(rng, 40, 3);
    double[] b = Problems.weights(rng, 27, 2);
    ExactResult r = solver.solve(a, b, Cost.SQEUCLIDEAN.matrix(x, y));
    assertThat(r.converged()).isTrue();
    assertThat(r.plan().rowSums()).containsExactly(a, within(1e-14));
    assertThat(r.plan().colSums()).containsExactly(b, within(1e-14));
    assertThat(r.plan().nonZeros()).isLessThanOrEqualTo(40 + 27 - 1);
    assertThat(r.plan().cost(Cost.SQEUCLIDEAN.matrix(x, y))).isCloseTo(r.value(), within(1e-12));
    // the entries in row-major order, each (row, column) once
    for (int k = 1; k < r.plan().nonZeros(); k++) {
      long before = (long) r.plan().row(k - 1) * 27 + r.plan().col(k - 1);
      long here = (long) r.plan().row(k) * 27 + r.plan().col(k);
      assertThat(here).as("entry %d", k).isGreaterThan(before);
    }
  }

  @Test
  void identicalCloudsCostZeroWithADiagonalPlan() {
    TokenCloud x = Problems.gaussian(new Random(1), 9, 4, 0);
    ExactResult r = solver.between(x, x);
    assertThat(r.value()).isZero();
    assertThat(r.plan().nonZeros()).isEqualTo(9);
    for (int k = 0; k < 9; k++) {
      assertThat(r.plan().row(k)).isEqualTo(r.plan().col(k));
      assertThat(r.plan().mass(k)).isCloseTo(1.0 / 9, within(1e-15));
    }
  }

  @Test
  void matchesBruteForceAssignmentForUniformWeights() {
    Random rng = new Random(7);
    for (int trial = 0; trial < 20; trial++) {
      int n = 1 + rng.nextInt(7);
      CostMatrix c = Cost.SQEUCLIDEAN.matrix(Problems.gaussian(rng, n, 2, 0), Problems.gaussian(rng, n, 2, 0.5));
      double truth = Problems.bruteForceAssignment(c);
      assertThat(solver.solve(Problems.uniform(n), Problems.uniform(n), c).value())
          .isCloseTo(truth, within(1e-12 * Math.max(1, truth)));
    }
  }

  @Test
  void aStartPlanReachesTheBruteForceOptimumFromAnyPermutation() {
    Random rng = new Random(19);
    for (int trial = 0; trial < 40; trial++) {
      int n = 1 + rng.nextInt(7);
      CostMatrix c = Cost.SQEUCLIDEAN.matrix(Problems.gaussian(rng, n, 3, 0), Problems.gaussian(rng, n, 3, 0.5));
      int[] start = Problems.permutation(rng, n);
      ExactResult r = solver.solve(Problems.uniform(n), Problems.uniform(n), c, start);
      double truth = Problems.bruteForceAssignment(c);
      assertThat(r.converged()).isTrue();
      assertThat(r.value()).isCloseTo(truth, within(1e-12 * Math.max(1, truth)));
      assertThat(r.plan().rowSums()).containsExactly(Problems.uniform(n), within(1e-15));
      assertThat(r.plan().colSums()).containsExactly(Problems.uniform(n), within(1e-15));
    }
  }

  @Test
  void anOptimalStartNeedsNoPivotAndANearOneFewerThanTheArtificialStart() {
    Random rng = new Random(29);
    int n = 300;
    TokenCloud x = Problems.gaussian(rng, n, 8, 0);
    double[] moved = x.toFlatArray().clone();
    for (int k = 0; k < moved.length; k++) {
      moved[k] += 0.05 * rng.nextGaussian();
    }
    TokenCloud y = TokenCloud.ofFlat(n, 8, moved);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y);
    double[] w = Problems.uniform(n);
    int[] identity = java.util.stream.IntStream.range(0, n).toArray();
    ExactResult cold = solver.solve(w, w, c);
    ExactResult warm = solver.solve(w, w, c, identity);
    assertThat(warm.value()).isCloseTo(cold.value(), within(1e-12 * cold.value()));
    assertThat(warm.iterations()).isLessThan(cold.iterations() / 10);
    // with weights that are not uniform, a permutation that carries each row's mass whole is a start too
    double[] a = Problems.weights(rng, n, 0);
    double[] b = new double[n];
    int[] shuffle = Problems.permutation(rng, n);
    for (int i = 0; i < n; i++) {
      b[shuffle[i]] = a[i];
    }
    assertThat(solver.solve(a, b, c, shuffle).value()).isCloseTo(solver.solve(a, b, c).value(), within(1e-12));
    int[] optimal = new int[n];
    for (int k = 0; k < warm.plan().nonZeros(); k++) {
      optimal[warm.plan().row(k)] = warm.plan().col(k);
    }
    assertThat(solver.solve(w, w, c, optimal).iterations()).isZero();
  }

  @Test
  void rejectsAStartPlanThatIsNotAMassPreservingPermutation() {
    CostMatrix c = CostMatrix.of(new double[][] {{0, 1}, {1, 0}});
    double[] w = {0.5, 0.5};
    assertThatThrownBy(() -> solver.solve(w, w, c, new int[] {1, 1}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("permutation").hasMessageContaining("used");
    assertThatThrownBy(() -> solver.solve(w, w, c, new int[] {0, 2})).hasMessageContaining("entry 1 is 2");
    assertThatThrownBy(() -> solver.solve(w, w, c, new int[] {0})).hasMessageContaining("2 rows");
    assertThatThrownBy(() -> solver.solve(new double[] {0.25, 0.75}, w, c, new int[] {0, 1}))
        .hasMessageContaining("row 0 (mass 0.25)").hasMessageContaining("mass 0.5");
  }

  @Test
  void matchesTheQuantileFormulaInOneDimensionWithZerosAndRepeats() {
    Random rng = new Random(11);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rng.nextInt(25);
      int m = 1 + rng.nextInt(25);
      double[] x = new double[n];
      double[] y = new double[m];
      for (int i = 0; i < n; i++) {
        x[i] = rng.nextInt(4) == 0 && i > 0 ? x[i - 1] : rng.nextGaussian();
      }
      for (int j = 0; j < m; j++) {
        y[j] = rng.nextInt(5) == 0 ? x[rng.nextInt(n)] : 2 * rng.nextGaussian();
      }
      double[] a = Problems.weights(rng, n, rng.nextInt(3));
      double[] b = Problems.weights(rng, m, rng.nextInt(3));
      CostMatrix c = Cost.SQEUCLIDEAN.matrix(TokenCloud.ofFlat(n, 1, x), TokenCloud.ofFlat(m, 1, y));
      ExactResult r = solver.solve(a, b, c);
      double truth = Problems.w2SquaredLine(x, a, y, b);
      assertThat(r.converged()).isTrue();
      assertThat(r.value()).as("trial %d", trial).isCloseTo(truth, within(1e-12 + 1e-10 * truth));
      assertThat(r.plan().rowSums()).containsExactly(a, within(1e-13));
      assertThat(r.plan().colSums()).containsExactly(b, within(1e-13));
    }
  }

  @Test
  void singleSourcePointSendsEverythingToEachTarget() {
    Random rng = new Random(5);
    TokenCloud x = Problems.gaussian(rng, 1, 3, 0);
    TokenCloud y = Problems.gaussian(rng, 6, 3, 0);
    double[] b = Problems.weights(rng, 6, 0);
    CostMatrix c = Cost.EUCLIDEAN.matrix(x, y);
    double truth = 0;
    for (int j = 0; j < 6; j++) {
      truth += b[j] * c.get(0, j);
    }
    assertThat(solver.solve(new double[] {1}, b, c).value()).isCloseTo(truth, within(1e-14));
  }

  @Test
  void repeatedPointsAgainstThemselvesCostZero() {
    double[][] rows = {{0, 0}, {0, 0}, {1, 2}, {1, 2}, {1, 2}, {3, -1}};
    TokenCloud x = TokenCloud.of(rows);
    assertThat(solver.between(x, x).value()).isZero();
  }

  @Test
  void isSymmetricInTheTwoClouds() {
    Random rng = new Random(21);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(Problems.gaussian(rng, 30, 5, 0), Problems.gaussian(rng, 22, 5, 0.3));
    double[] a = Problems.weights(rng, 30, 0);
    double[] b = Problems.weights(rng, 22, 0);
    double ab = solver.solve(a, b, c).value();
    double ba = solver.solve(b, a, Problems.transpose(c)).value();
    assertThat(ba).isCloseTo(ab, within(1e-12 * ab));
  }

  @Test
  void hittingTheIterationLimitIsReportedWithItsFix() {
    Random rng = new Random(2);
    TokenCloud x = Problems.gaussian(rng, 30, 2, 0);
    TokenCloud y = Problems.gaussian(rng, 30, 2, 0);
    ExactResult r = new NetworkSimplex(new ExactParams(Cost.SQEUCLIDEAN, 3)).between(x, y);
    assertThat(r.converged()).isFalse();
    assertThat(r.iterations()).isEqualTo(3);
    assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("increase maxIter"));
  }

  @Test
  void weightsNotSummingToOneAreNormalisedWithAWarning() {
    CostMatrix c = CostMatrix.of(new double[][] {{0, 1}, {1, 0}});
    ExactResult r = solver.solve(new double[] {2, 2}, new double[] {1, 3}, c);
    assertThat(r.value()).isCloseTo(0.25, within(1e-15));
    assertThat(r.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("normalised"));
  }

  @Test
  void rejectsBadInputNamingTheValue() {
    CostMatrix c = CostMatrix.of(new double[][] {{0, 1}, {1, 0}});
    assertThatThrownBy(() -> solver.solve(new double[] {0.5, -0.5}, new double[] {0.5, 0.5}, c))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a[1]").hasMessageContaining("-0.5");
    assertThatThrownBy(() -> solver.solve(new double[] {0, 0}, new double[] {0.5, 0.5}, c))
        .hasMessageContaining("positive sum");
    assertThatThrownBy(() -> solver.solve(new double[] {1}, new double[] {0.5, 0.5}, c))
        .hasMessageContaining("length 2").hasMessageContaining("found 1");
    assertThatThrownBy(() -> solver.solve(new double[] {Double.NaN, 1}, new double[] {0.5, 0.5}, c))
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> new ExactParams(Cost.SQEUCLIDEAN, 0)).hasMessage("maxIter must be >= 1, found 0");
    assertThatThrownBy(() -> solver.between(TokenCloud.of(new double[][] {{1, 2}}), TokenCloud.of(new double[][] {{1}})))
        .hasMessageContaining("d=2").hasMessageContaining("d=1");
  }
}
