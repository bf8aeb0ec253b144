package dev.tokendyn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Agreement with POT 0.8.2 on the committed reference problems (no Python at test time). */
class PotReferenceTest {
  static List<PotReference> problems() {
    return PotReference.load();
  }

  @ParameterizedTest
  @MethodSource("problems")
  void exactMatchesEmd2ToRelative1e9(PotReference p) {
    CostMatrix m = Cost.SQEUCLIDEAN.matrix(p.xs(), p.xt());
    ExactResult r = new NetworkSimplex().solve(p.a(), p.b(), m);
    assertThat(r.converged()).isTrue();
    assertThat(relErr(r.value(), p.emd2())).as("relative error vs emd2 %s", p.emd2()).isLessThan(1e-9);
  }

  @ParameterizedTest
  @MethodSource("problems")
  void sinkhornMatchesSinkhorn2ToRelative1e6(PotReference p) {
    CostMatrix m = Cost.SQEUCLIDEAN.matrix(p.xs(), p.xt());
    for (PotReference.SinkhornCase c : p.sinkhorn()) {
      SinkhornParams params = SinkhornParams.of(c.reg()).withMaxIter(200_000);
      SinkhornResult r = new Sinkhorn(params).solve(p.a(), p.b(), m);
      assertThat(r.converged()).as("converged at reg %s x median", c.regOverMedian()).isTrue();
      assertThat(r.marginalError()).isLessThan(1e-9);
      assertThat(relErr(r.value(), c.value()))
          .as("relative error vs sinkhorn2 %s at reg %s x median", c.value(), c.regOverMedian())
          .isLessThan(1e-6);
    }
  }

  @ParameterizedTest
  @MethodSource("problems")
  void blockedSinkhornAgreesWithPot(PotReference p) {
    // the cost computed on the fly, as for large clouds
    CostMatrix lazy = CostMatrix.between(Cost.SQEUCLIDEAN, p.xs(), p.xt());
    PotReference.SinkhornCase c = p.sinkhorn().get(p.sinkhorn().size() - 1);
    SinkhornResult r = new Sinkhorn(SinkhornParams.of(c.reg()).withMaxIter(200_000)).solve(p.a(), p.b(), lazy);
    assertThat(relErr(r.value(), c.value())).isLessThan(1e-6);
  }

  @ParameterizedTest
  @MethodSource("problems")
  void slicedMatchesPotWithinMonteCarloError(PotReference p) {
    SlicedResult r = new SlicedWasserstein(new SlicedParams(4000, 7)).between(p.xs(), p.xt());
    double se = Math.hypot(r.standardError(), p.slicedStandardError());
    // 5 standard errors of the difference, plus rounding for the deterministic d = 1 case
    assertThat(r.value()).isCloseTo(p.slicedValue(), within(5 * se + 1e-12 * p.slicedValue()));
  }

  private static double relErr(double x, double ref) {
    return Math.abs(x - ref) / Math.abs(ref);
  }
}
