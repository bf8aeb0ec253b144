package dev.tokendyn.meanfield;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.Geometry;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Integrator;
import dev.tokendyn.sphere.Interaction;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import java.util.List;
import org.junit.jupiter.api.Test;

class GaussianClosureTest {

  /**
   * Q = K = V = I, Sigma0 = R diag(s) R^T, m0 = R c. In the eigenbasis of Sigma0 the equations decouple:
   * s_k' = 2 beta s_k^2 gives s_k(t) = s_k / (1 - 2 beta t s_k), and c_k' = (1 + beta s_k(t)) c_k gives
   * c_k(t) = c_k e^t (1 - 2 beta t s_k)^{-1/2}.
   */
  @Test
  void matchesTheClosedFormForIdentityMatrices() {
    double beta = 0.7;
    double[] s = {0.4, 0.9};
    double[] c = {0.3, -1.2};
    double a = 0.6;
    double[] r = {Math.cos(a), -Math.sin(a), Math.sin(a), Math.cos(a)};
    GaussianState start = new GaussianState(rotate(r, c), conjugate(r, s));
    double dt = 1e-3;
    List<GaussianClosure.Frame> frames = GaussianClosure.integrate(Interaction.IDENTITY, beta, start, dt, 700, 100);
    assertThat(frames).hasSize(8);
    for (GaussianClosure.Frame f : frames) {
      double t = f.time();
      double[] st = new double[2];
      double[] ct = new double[2];
      for (int k = 0; k < 2; k++) {
        double g = 1 - 2 * beta * t * s[k];
        st[k] = s[k] / g;
        ct[k] = c[k] * Math.exp(t) / Math.sqrt(g);
      }
      double[] m = rotate(r, ct);
      double[] sigma = conjugate(r, st);
      for (int k = 0; k < 2; k++) {
        assertThat(f.mean()[k]).as("m_%d at t=%s", k, t).isCloseTo(m[k], offset(1e-9));
      }
      for (int k = 0; k < 4; k++) {
        assertThat(f.cov()[k]).as("Sigma_%d at t=%s", k, t).isCloseTo(sigma[k], offset(1e-9));
      }
    }
    // near the blow-up at t = 1 / (2 beta 0.9) = 0.794 the largest variance has grown ninefold
    assertThat(frames.get(7).time()).isCloseTo(0.7, offset(1e-12));
  }

  @Test
  void aGeneralValueMatrixScalesTheRiccatiEquation() {
    // Q = K = I, V = lambda I, m = 0: Sigma' = 2 beta lambda Sigma^2, so Sigma(t) = 1 / (1 - 2 beta lambda t) in 1-D
    double lambda = -0.5;
    Interaction qkv = new Interaction(null, null, new double[] {lambda}, "v");
    GaussianState start = new GaussianState(new double[] {0}, new double[] {1});
    List<GaussianClosure.Frame> frames = GaussianClosure.integrate(qkv, 2.0, start, 0.01, 300, 300);
    assertThat(frames.get(1).cov()[0]).isCloseTo(1 / (1 - 2 * 2.0 * lambda * 3.0), offset(1e-9));
  }

  @Test
  void aBlowUpNamesTheTime() {
    // Sigma0 = I, beta = 1: Sigma(t) = I / (1 - 2t) blows up at t = 0.5
    assertThatThrownBy(() -> GaussianClosure.integrate(Interaction.IDENTITY, 1.0, GaussianState.standard(2), 0.01,
        100, 10)).isInstanceOf(ArithmeticException.class).hasMessageContaining("blew up at t=0.5")
        .hasMessageContaining("1e150");
  }

  @Test
  void refusesACovarianceThatIsNotPositiveSemiDefinite() {
    assertThatThrownBy(() -> new GaussianState(new double[2], new double[] {1, 2, 2, 1}))
        .hasMessageContaining("smallest eigenvalue is -1.0");
    assertThatThrownBy(() -> new GaussianState(new double[2], new double[] {1, 0.5, 0.2, 1}))
        .hasMessageContaining("not symmetric");
  }

  @Test
  void buresWassersteinOfKnownPairs() {
    GaussianState a = new GaussianState(new double[] {0, 0}, new double[] {4, 0, 0, 1});
    GaussianState b = new GaussianState(new double[] {3, 4}, new double[] {1, 0, 0, 9});
    // commuting covariances: |m1 - m2|^2 + |sqrt S1 - sqrt S2|_F^2 = 25 + 1 + 4
    assertThat(a.buresWasserstein(b)).isCloseTo(Math.sqrt(30), offset(1e-12));
    assertThat(b.buresWasserstein(b)).isCloseTo(0, offset(1e-7));
  }

  /**
   * The particles of the Euclidean SA dynamics, started from n samples of N(m0, Sigma0), against the
   * closure: the gap |m_n - m| + |Sigma_n - Sigma|_F at t = 1 falls like n^{-1/2} over n = 500 .. 8000.
   */
  @Test
  void particlesApproachTheClosureLikeOneOverRootN() {
    int d = 2;
    double beta = 0.3;
    Interaction qkv = new Interaction(new double[] {1, 0.3, 0, 0.8}, new double[] {0.9, 0, 0.2, 1.1},
        new double[] {0.5, 0.2, -0.3, 0.4}, "test");
    GaussianState start = new GaussianState(new double[] {0.5, -0.2}, new double[] {1, 0.3, 0.3, 0.5});
    double dt = 0.5;
    int steps = 2;
    GaussianClosure.Frame exact = GaussianClosure.integrate(qkv, beta, start, dt, steps, steps).get(1);
    double moved = gap(new GaussianState(start.mean(), start.cov()), exact);
    int[] sizes = {500, 1000, 2000, 4000, 8000};
    // more starts where they are cheap: the root mean square over starts has a relative spread of about 0.3 / sqrt(k)
    int[] starts = {8, 6, 4, 3, 2};
    double[] logN = new double[sizes.length];
    double[] logGap = new double[sizes.length];
    for (int s = 0; s < sizes.length; s++) {
      double sq = 0;
      int seeds = starts[s];
      for (int seed = 0; seed < seeds; seed++) {
        TokenCloud x0 = start.sample(sizes[s], 100 * s + seed);
        SimulationParams p = new SimulationParams(Dynamics.SA, sizes[s], d, beta, dt, steps, Init.of(x0), seed,
            Integrator.RK4, 0, steps, 1, qkv).withGeometry(Geometry.EUCLIDEAN);
        double g = gap(GaussianState.of(Simulator.finalCloud(p)), exact);
        sq += g * g;
      }
      logN[s] = Math.log(sizes[s]);
      logGap[s] = 0.5 * Math.log(sq / seeds);
    }
    double[] fit = fit(logN, logGap);
    System.out.printf("closure gap: slope %.3f R^2 %.3f gaps %s moved %.3f%n", fit[0], fit[1],
        java.util.Arrays.toString(java.util.Arrays.stream(logGap).map(Math::exp).toArray()), moved);
    assertThat(fit[0]).as("slope of log gap against log n").isBetween(-0.7, -0.3);
    assertThat(fit[1]).as("R^2").isGreaterThan(0.8);
    assertThat(Math.exp(logGap[sizes.length - 1])).as("gap at n = 8000, against a motion of %s", moved)
        .isLessThan(0.1 * moved);
  }

  static double gap(GaussianState emp, GaussianClosure.Frame f) {
    double s = 0;
    double[] m = emp.mean();
    double[] c = emp.cov();
    double[] fm = f.mean();
    double[] fc = f.cov();
    double dm = 0;
    for (int k = 0; k < m.length; k++) {
      dm += (m[k] - fm[k]) * (m[k] - fm[k]);
    }
    for (int k = 0; k < c.length; k++) {
      s += (c[k] - fc[k]) * (c[k] - fc[k]);
    }
    return Math.sqrt(dm) + Math.sqrt(s);
  }

  /** Least squares y = a x + b: {slope, R^2}. */
  static double[] fit(double[] x, double[] y) {
    int n = x.length;
    double mx = 0;
    double my = 0;
    for (int i = 0; i < n; i++) {
      mx += x[i] / n;
      my += y[i] / n;
    }
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return new double[] {sxy / sxx, sxy * sxy / (sxx * syy)};
  }

  private static double[] rotate(double[] r, double[] v) {
    return new double[] {r[0] * v[0] + r[1] * v[1], r[2] * v[0] + r[3] * v[1]};
  }

  private static double[] conjugate(double[] r, double[] diag) {
    double[] out = new double[4];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        out[i * 2 + j] = r[i * 2] * diag[0] * r[j * 2] + r[i * 2 + 1] * diag[1] * r[j * 2 + 1];
      }
    }
    return out;
  }
}
