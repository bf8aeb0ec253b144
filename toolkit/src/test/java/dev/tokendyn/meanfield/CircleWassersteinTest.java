package dev.tokendyn.meanfield;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.tokendyn.transport.CostMatrix;
import dev.tokendyn.transport.NetworkSimplex;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CircleWassersteinTest {
  @Test
  void equallySpacedAtomsAgainstTheUniformDensity() {
    // each atom takes an arc of width 2 pi / n centred on it: W2^2 = (2 pi / n)^2 / 12
    for (int n : new int[] {7, 64, 500}) {
      double[] a = new double[n];
      for (int i = 0; i < n; i++) {
        a[i] = 2 * Math.PI * (i + 0.5) / n + 0.3;
      }
      double expected = 2 * Math.PI / n / Math.sqrt(12);
      assertThat(CircleWasserstein.w2(a, InitialDensity.uniform().on(64))).as("n=%d", n)
          .isCloseTo(expected, offset(1e-9));
    }
  }

  @Test
  void aRotationOfAConcentratedDensityCostsItsAngle() {
    // (for a spread density a rotation is not optimal on the circle: the uniform part moves for free)
    CircleDensity rho = InitialDensity.vonMises(1.0, 200).on(1024);
    double[] v = rho.values();
    double[] rotated = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      rotated[(i + 10) % v.length] = v[i];
    }
    assertThat(CircleWasserstein.w2(rho, new CircleDensity(rotated))).isCloseTo(10 * rho.cellWidth(), offset(1e-9));
    CircleDensity spread = InitialDensity.vonMises(1.0, 3).on(256);
    double[] w = spread.values();
    double[] turned = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      turned[(i + 10) % w.length] = w[i];
    }
    assertThat(CircleWasserstein.w2(spread, new CircleDensity(turned))).isLessThan(10 * spread.cellWidth());
  }

  /** Against the exact solver of the transport package with the squared shorter-arc cost. */
  @Test
  void agreesWithTheNetworkSimplex() {
    SplittableRandom rng = new SplittableRandom(345);
    for (int trial = 0; trial < 5; trial++) {
      int n = 20 + trial * 7;
      int m = 15 + trial * 5;
      double[] a = new double[n];
      double[] wa = new double[n];
      double[] b = new double[m];
      double[] wb = new double[m];
      for (int i = 0; i < n; i++) {
        a[i] = rng.nextDouble() * 2 * Math.PI;
        wa[i] = 0.1 + rng.nextDouble();
      }
      for (int j = 0; j < m; j++) {
        b[j] = (trial % 2 == 0 ? 1 : 0.3) * rng.nextDouble() * 2 * Math.PI;
        wb[j] = 0.1 + rng.nextDouble();
      }
      double[][] cost = new double[n][m];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          double d = Math.abs(a[i] - b[j]);
          d = Math.min(d, 2 * Math.PI - d);
          cost[i][j] = d * d;
        }
      }
      double exact = new NetworkSimplex().solve(normalise(wa), normalise(wb), CostMatrix.of(cost)).value();
      assertThat(CircleWasserstein.w2(a, wa, b, wb)).as("trial %d", trial).isCloseTo(Math.sqrt(exact), offset(1e-9));
    }
  }

  private static double[] normalise(double[] w) {
    double s = 0;
    for (double x : w) {
      s += x;
    }
    double[] r = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      r[i] = w[i] / s;
    }
    return r;
  }
}
