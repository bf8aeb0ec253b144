package dev.tokendyn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SinkhornDivergenceTest {
  @Test
  void isZeroOnIdenticalClouds() {
    Random rng = new Random(345);
    TokenCloud x = Problems.gaussian(rng, 40, 5, 0).withWeights(Problems.weights(rng, 40, 0));
    DivergenceResult r = new SinkhornDivergence(SinkhornParams.of(0.5)).between(x, x);
    assertThat(r.converged()).isTrue();
    assertThat(r.value()).isEqualTo(0.0);
    assertThat(r.xy().regularizedValue()).isNotEqualTo(0.0);
  }

  @Test
  void symmetricSelfTermsAgreeWithTheAlternatingSolver() {
    Random rng = new Random(43);
    TokenCloud x = Problems.gaussian(rng, 30, 3, 0).withWeights(Problems.weights(rng, 30, 2));
    SinkhornParams p = SinkhornParams.of(2.0).withMaxIter(200_000);
    SinkhornResult alternating = new Sinkhorn(p).between(x, x);
    SinkhornResult symmetric = new SinkhornDivergence(p).between(x, x).xx();
    assertThat(alternating.converged()).isTrue();
    assertThat(symmetric.converged()).isTrue();
    assertThat(symmetric.value()).isCloseTo(alternating.value(), within(1e-7 * alternating.value()));
    assertThat(symmetric.regularizedValue())
        .isCloseTo(alternating.regularizedValue(), within(1e-7 * Math.abs(alternating.regularizedValue())));
  }

  @Test
  void isPositiveAndSymmetricOnDifferentClouds() {
    Random rng = new Random(31);
    for (int trial = 0; trial < 10; trial++) {
      int d = 1 + rng.nextInt(6);
      TokenCloud x = Problems.gaussian(rng, 5 + rng.nextInt(30), d, 0);
      TokenCloud y = Problems.gaussian(rng, 5 + rng.nextInt(30), d, 0.3 * rng.nextDouble());
      double reg = 0.05 + rng.nextDouble();
      SinkhornDivergence s = new SinkhornDivergence(SinkhornParams.of(reg));
      double xy = s.between(x, y).value();
      double yx = s.between(y, x).value();
      assertThat(xy).as("trial %d", trial).isGreaterThan(0);
      assertThat(yx).isCloseTo(xy, within(1e-8 * xy));
    }
  }

  @Test
  void tendsToTheExactCostAsRegDecreases() {
    Random rng = new Random(37);
    TokenCloud x = Problems.gaussian(rng, 30, 2, 0);
    TokenCloud y = Problems.gaussian(rng, 25, 2, 1.0);
    double exact = Transport.exact(x, y, Cost.SQEUCLIDEAN).value();
    double s = new SinkhornDivergence(SinkhornParams.of(1e-3).withMaxIter(100_000)).between(x, y).value();
    assertThat(s).isCloseTo(exact, within(1e-2 * exact));
  }

  @Test
  void equalsTheDefinitionFromThreeSinkhornSolves() {
    Random rng = new Random(41);
    TokenCloud x = Problems.gaussian(rng, 12, 3, 0);
    TokenCloud y = Problems.gaussian(rng, 9, 3, 0.5);
    SinkhornParams p = SinkhornParams.of(0.3).withMaxIter(200_000);
    Sinkhorn sk = new Sinkhorn(p);
    double xy = sk.between(x, y).regularizedValue();
    double byHand = xy - 0.5 * (sk.between(x, x).regularizedValue() + sk.between(y, y).regularizedValue());
    // the self terms are solved by another (symmetric) iteration: agreement to the stopping accuracy
    assertThat(new SinkhornDivergence(p).between(x, y).value()).isCloseTo(byHand, within(1e-7 * Math.abs(xy)));
    // the regularised value itself against its definition, from the plan: <P,M> + reg sum P log P
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y);
    SinkhornResult r = sk.between(x, y);
    double[] plan = r.plan(c);
    double obj = 0;
    for (int k = 0; k < plan.length; k++) {
      obj += plan[k] * c.get(k / 9, k % 9) + 0.3 * plan[k] * Math.log(plan[k]);
    }
    assertThat(r.regularizedValue()).isCloseTo(obj, within(1e-9 * Math.abs(obj)));
  }
}
