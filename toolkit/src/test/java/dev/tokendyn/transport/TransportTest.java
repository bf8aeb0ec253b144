package dev.tokendyn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The facade against POT's reference values and against its definitions. */
class TransportTest {
  @Test
  void w2IsTheSquareRootOfEmd2WithTheCloudsWeights() {
    for (PotReference p : PotReference.load()) {
      assertThat(Transport.w2(p.xs(), p.xt())).as(p.name()).isCloseTo(Math.sqrt(p.emd2()), within(1e-9 * Math.sqrt(p.emd2())));
    }
  }

  @Test
  void weightsAreNormalisedBeforeSolving() {
    Random rng = new Random(3);
    TokenCloud x = Problems.gaussian(rng, 10, 2, 0);
    TokenCloud y = Problems.gaussian(rng, 12, 2, 0.5);
    double[] w = new double[10];
    java.util.Arrays.fill(w, 7.0);
    assertThat(Transport.w2(x.withWeights(w), y)).isCloseTo(Transport.w2(x, y), within(1e-12));
  }

  @Test
  void sinkhornDivergenceMatchesTheSolverAndIsZeroOnIdentical() {
    Random rng = new Random(4);
    TokenCloud x = Problems.gaussian(rng, 20, 3, 0);
    TokenCloud y = Problems.gaussian(rng, 15, 3, 1);
    double s = Transport.sinkhornDivergence(x, y, 0.2);
    SinkhornParams p = SinkhornParams.of(0.2).withMaxIter(200_000);
    Sinkhorn sk = new Sinkhorn(p);
    double xy = sk.between(x, y).regularizedValue();
    double byHand = xy - 0.5 * (sk.between(x, x).regularizedValue() + sk.between(y, y).regularizedValue());
    assertThat(s).isCloseTo(byHand, within(1e-7 * Math.abs(xy))).isPositive();
    assertThat(Transport.sinkhornDivergence(y, y, 0.2)).isZero();
  }

  @Test
  void slicedMatchesPotWithinMonteCarloError() {
    PotReference p = PotReference.load().get(3);
    double v = Transport.sliced(p.xs(), p.xt(), 4000, 11);
    assertThat(v).isCloseTo(p.slicedValue(), within(5 * Math.sqrt(2) * p.slicedStandardError()));
  }
}
