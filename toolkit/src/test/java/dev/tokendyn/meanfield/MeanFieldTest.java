package dev.tokendyn.meanfield;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Integrator;
import dev.tokendyn.sphere.Interaction;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeanFieldTest {

  @Test
  void conservesMassAndStaysNonNegativeAtLargeBeta() {
    for (int grid : new int[] {1024, 1000}) {
    InitialDensity mix = new InitialDensity.Mixture(List.of(0.5, 0.3, 0.2),
        List.of(InitialDensity.vonMises(0.5, 8), InitialDensity.vonMises(2.5, 20), InitialDensity.uniform()));
    CircleDensity start = mix.on(grid);
    List<MeanField.Frame> frames = MeanField.solve(start, MeanFieldParams.of(64, 10, 20));
    for (MeanField.Frame f : frames) {
      assertThat(f.density().mass()).as("mass at t=%s", f.time()).isCloseTo(1.0, offset(1e-10));
      for (double v : f.density().values()) {
        assertThat(v).isGreaterThanOrEqualTo(0.0);
      }
    }
    // the mass gathers: the mean cosine grows
    assertThat(frames.get(20).density().meanCosine()).isGreaterThan(frames.get(0).density().meanCosine());
    }
  }

  @Test
  void theUniformDensityIsStationary() {
    List<MeanField.Frame> frames = MeanField.solve(InitialDensity.uniform().on(64), MeanFieldParams.of(4, 5, 1));
    for (double v : frames.get(1).density().values()) {
      assertThat(v).isCloseTo(1 / (2 * Math.PI), offset(1e-13));
    }
  }

  /**
   * Linearised about the uniform density, the mode eps cos(k theta) grows at the rate
   * lambda_k = k^2 I_k(beta) / (beta I_0(beta)) (the velocity of the mode is -eps k I_k / (beta I_0) sin(k theta),
   * from int e^{beta cos u} sin u sin(ku) du = 2 pi k I_k(beta) / beta).
   */
  @Test
  void aSmallModeGrowsAtTheBesselRate() {
    // 512 takes the radix-2 FFT, 480 and 625 Bluestein's
    for (int n : new int[] {512, 480, 625}) {
    for (int k : new int[] {1, 2, 3}) {
      for (double beta : new double[] {0.5, 2, 9}) {
        double eps = 1e-7;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
          v[i] = 1 + eps * Math.cos(k * 2 * Math.PI * i / n);
        }
        CircleDensity start = CircleDensity.normalised(v);
        double t = 2;
        List<MeanField.Frame> frames = MeanField.solve(start, MeanFieldParams.of(beta, t, 1));
        double growth = mode(frames.get(1).density(), k) / mode(start, k);
        double lambda = k * k * bessel(k, beta) / (beta * bessel(0, beta));
        assertThat(Math.log(growth) / t).as("n=%d k=%d beta=%s", n, k, beta)
            .isCloseTo(lambda, offset(2e-4 * Math.max(1, lambda)));
      }
    }
    }
  }

  private static double mode(CircleDensity rho, int k) {
    double[] v = rho.values();
    double s = 0;
    for (int i = 0; i < v.length; i++) {
      s += v[i] * Math.cos(k * 2 * Math.PI * i / v.length);
    }
    return s;
  }

  /** I_k(x) by its power series sum_m (x/2)^{2m+k} / (m! (m+k)!). */
  static double bessel(int k, double x) {
    double term = Math.pow(x / 2, k);
    for (int j = 1; j <= k; j++) {
      term /= j;
    }
    double s = 0;
    for (int m = 0; m < 200; m++) {
      s += term;
      term *= (x / 2) * (x / 2) / ((m + 1) * (double) (m + 1 + k));
    }
    return s;
  }

  /**
   * The Lagrangian-Eulerian pairing: SA particles in d = 2 started from samples of the initial density
   * follow the density, with a W2 gap at t = 1 shrinking like n^{-1/2} over n = 125 .. 2000. (Later, as the
   * density empties between clusters, the empirical W2 converges more slowly: its n^{-1/2} rate needs a
   * density bounded below.)
   */
  @Test
  void particlesFollowTheDensityWithAGapLikeOneOverRootN() {
    double beta = 1;
    double time = 1;
    CircleDensity start = InitialDensity.vonMises(0.7, 1).on(1024);
    CircleDensity end = MeanField.solve(start, MeanFieldParams.of(beta, time, 1)).get(1).density();
    // the empirical W2 has a wide spread from one start to the next, so many starts where they are cheap
    int[] sizes = {125, 250, 500, 1000, 2000};
    int[] starts = {16, 12, 8, 6, 4};
    double[] logN = new double[sizes.length];
    double[] logGap = new double[sizes.length];
    for (int s = 0; s < sizes.length; s++) {
      double sq = 0;
      double cosGap = 0;
      for (int seed = 0; seed < starts[s]; seed++) {
        double[] angles = start.sample(sizes[s], 1000 * s + seed);
        TokenCloud x0 = CircleDensity.onCircle(angles);
        SimulationParams p = new SimulationParams(Dynamics.SA, sizes[s], 2, beta, 0.25, 4, Init.of(x0), seed,
            Integrator.RK4, 0, 4, 1, Interaction.IDENTITY);
        double[] after = CircleDensity.angles(Simulator.finalCloud(p));
        double w = CircleWasserstein.w2(after, end);
        sq += w * w;
        cosGap = Math.max(cosGap, Math.abs(CircleDensity.meanCosine(after) - end.meanCosine()));
      }
      assertThat(cosGap).as("mean cosine gap at n=%d", sizes[s]).isLessThan(4 / Math.sqrt(sizes[s]));
      logN[s] = Math.log(sizes[s]);
      logGap[s] = 0.5 * Math.log(sq / starts[s]);
    }
    double[] fit = GaussianClosureTest.fit(logN, logGap);
    System.out.printf("mean-field W2 gap: slope %.3f R^2 %.3f gaps %s%n", fit[0], fit[1],
        java.util.Arrays.toString(java.util.Arrays.stream(logGap).map(Math::exp).toArray()));
    assertThat(fit[0]).as("slope of log W2 against log n").isBetween(-0.65, -0.35);
    assertThat(fit[1]).as("R^2").isGreaterThan(0.9);
    // the density has moved by far more than the gap
    assertThat(CircleWasserstein.w2(start, end)).isGreaterThan(4 * Math.exp(logGap[sizes.length - 1]));
  }

  @Test
  void refusesBadDensities() {
    assertThatThrownBy(() -> InitialDensity.uniform().on(8)).hasMessageContaining("at least 16");
    double[] neg = new double[32];
    java.util.Arrays.fill(neg, 1);
    neg[3] = -0.1;
    assertThatThrownBy(() -> CircleDensity.normalised(neg)).hasMessageContaining(">= 0").hasMessageContaining("point 3");
    assertThatThrownBy(() -> CircleDensity.normalised(new double[32])).hasMessageContaining("positive number");
    assertThatThrownBy(() -> new CircleDensity(new double[15])).hasMessageContaining("at least 16");
  }
}
