package dev.tokendyn.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

class VectorMathTest {
  private static final int L = VectorMath.LANES;

  /** Points spread over the whole clamped range, plus the edges of the reduction interval. */
  private static double[] arguments() {
    SplittableRandom rng = new SplittableRandom(3);
    double[] x = new double[64 * L];
    for (int i = 0; i < x.length; i++) {
      x[i] = i % 3 == 0 ? rng.nextDouble(-2, 2) : rng.nextDouble(-700, 709);
    }
    x[0] = 0;
    x[1] = Math.log(2) / 2;
    x[2] = -Math.log(2) / 2;
    x[3] = 1;
    return x;
  }

  @Test
  void expIsWithinTwoUlpsOfStrictMath() {
    double[] x = arguments();
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i += L) {
      VectorMath.exp(DoubleVector.fromArray(VectorMath.SPECIES, x, i)).intoArray(out, i);
    }
    for (int i = 0; i < x.length; i++) {
      double truth = StrictMath.exp(x[i]);
      assertThat(Math.abs(out[i] - truth)).as("exp(%s)", x[i]).isLessThanOrEqualTo(2 * Math.ulp(truth));
      assertThat(Double.doubleToRawLongBits(VectorMath.exp(x[i]))).as("scalar twin at %s", x[i])
          .isEqualTo(Double.doubleToRawLongBits(out[i]));
    }
  }

  @Test
  void expForSingleIsAccurateEnoughToRoundToTheNearestFloat() {
    double[] x = arguments();
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i += L) {
      VectorMath.expForSingle(DoubleVector.fromArray(VectorMath.SPECIES, x, i)).intoArray(out, i);
    }
    double worst = 0;
    for (int i = 0; i < x.length; i++) {
      double truth = StrictMath.exp(x[i]);
      worst = Math.max(worst, Math.abs(out[i] / truth - 1));
      assertThat(Double.doubleToRawLongBits(VectorMath.expForSingle(x[i]))).as("scalar twin at %s", x[i])
          .isEqualTo(Double.doubleToRawLongBits(out[i]));
    }
    assertThat(worst).isLessThan(8e-9);
    // not the full-precision exponential: the cheaper polynomial is really in use
    assertThat(worst).isGreaterThan(1e-12);
  }

  @Test
  void expIsClampedInsteadOfOverflowingOrGoingSubnormal() {
    assertThat(VectorMath.exp(Double.NEGATIVE_INFINITY)).isEqualTo(VectorMath.exp(VectorMath.EXP_MIN)).isPositive();
    assertThat(VectorMath.exp(1e6)).isEqualTo(VectorMath.exp(VectorMath.EXP_MAX)).isFinite();
    assertThat(VectorMath.expForSingle(-1e6)).isGreaterThanOrEqualTo(Double.MIN_NORMAL);
  }

  @Test
  void sumLanesAddsInLaneOrder() {
    double[] x = new double[L];
    x[0] = 1;
    if (L > 1) {
      x[1] = 1e-16;
    }
    double expected = 0;
    for (double v : x) {
      expected += v;
    }
    assertThat(VectorMath.sumLanes(DoubleVector.fromArray(VectorMath.SPECIES, x, 0), new double[L]))
        .isEqualTo(expected);
    assertThat(VectorMath.sumLanes(DoubleVector.fromArray(VectorMath.SPECIES, x, 0))).isEqualTo(expected);
    // both forms add in lane order: the same bits as a scalar loop, on values whose sum depends on the order
    SplittableRandom rng = new SplittableRandom(7);
    for (int t = 0; t < 100; t++) {
      for (int i = 0; i < L; i++) {
        x[i] = rng.nextDouble(-1, 1) * Math.pow(10, rng.nextInt(-8, 8));
      }
      double inOrder = 0;
      for (double e : x) {
        inOrder += e;
      }
      DoubleVector v = DoubleVector.fromArray(VectorMath.SPECIES, x, 0);
      assertThat(Double.doubleToRawLongBits(VectorMath.sumLanes(v))).isEqualTo(Double.doubleToRawLongBits(inOrder));
      assertThat(Double.doubleToRawLongBits(VectorMath.sumLanes(v, new double[L])))
          .isEqualTo(Double.doubleToRawLongBits(inOrder));
    }
  }
}
