package dev.tokendyn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AndersonTest {
  /** A random linear contraction T(x) = M x + c of spectral radius about rho, and its fixed point. */
  private record Linear(double[][] mat, double[] c, double[] fixed) {
    static Linear of(int n, double rho, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      // M = Q diag(lambda) Q^T with eigenvalues spread in [0, rho]: symmetric, so the rate of x <- T(x) is rho
      double[][] q = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          q[i][j] = rng.nextDouble(-1, 1);
        }
      }
      for (int j = 0; j < n; j++) {
        for (int p = 0; p < j; p++) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += q[i][j] * q[i][p];
          }
          for (int i = 0; i < n; i++) {
            q[i][j] -= s * q[i][p];
          }
        }
        double norm = 0;
        for (int i = 0; i < n; i++) {
          norm += q[i][j] * q[i][j];
        }
        for (int i = 0; i < n; i++) {
          q[i][j] /= Math.sqrt(norm);
        }
      }
      double[][] mat = new double[n][n];
      for (int k = 0; k < n; k++) {
        double lambda = rho * (k + 1) / n;
        for (int i = 0; i < n; i++) {
          for (int j = 0; j < n; j++) {
            mat[i][j] += lambda * q[i][k] * q[j][k];
          }
        }
      }
      double[] fixed = new double[n];
      for (int i = 0; i < n; i++) {
        fixed[i] = rng.nextDouble(-2, 2);
      }
      // c = (I - M) x*, so that x* is the fixed point
      double[] c = new double[n];
      for (int i = 0; i < n; i++) {
        c[i] = fixed[i];
        for (int j = 0; j < n; j++) {
          c[i] -= mat[i][j] * fixed[j];
        }
      }
      return new Linear(mat, c, fixed);
    }

    double[] apply(double[] x) {
      double[] y = c.clone();
      for (int i = 0; i < x.length; i++) {
        for (int j = 0; j < x.length; j++) {
          y[i] += mat[i][j] * x[j];
        }
      }
      return y;
    }

    double distance(double[] x) {
      double s = 0;
      for (int i = 0; i < x.length; i++) {
        s += (x[i] - fixed[i]) * (x[i] - fixed[i]);
      }
      return Math.sqrt(s);
    }
  }

  private static int stepsTo(Linear t, Anderson anderson, double tol, int max) {
    double[] x = new double[t.c().length];
    for (int k = 0; k < max; k++) {
      if (t.distance(x) < tol) {
        return k;
      }
      if (anderson == null) {
        x = t.apply(x);
      } else {
        anderson.step(x, t.apply(x));
      }
    }
    return max;
  }

  @Test
  void solvesALinearFixedPointInAboutItsDimensionOfStepsWhereThePlainIterationCrawls() {
    // for a linear map Anderson with a full history is GMRES on (I - M) x = c (Walker and Ni 2011): n + 1
    // steps to the fixed point in exact arithmetic; plain iteration at rate 0.99 needs log(1e-10) / log(0.99)
    Linear t = Linear.of(6, 0.99, 1L);
    int plain = stepsTo(t, null, 1e-10, 100_000);
    int accelerated = stepsTo(t, new Anderson(6, 8, 0), 1e-10, 100_000);
    assertThat(plain).isGreaterThan(2000);
    assertThat(accelerated).isLessThanOrEqualTo(10);
  }

  @Test
  void aShortHistoryWithRestartsStillBeatsThePlainIterationByFar() {
    Linear t = Linear.of(40, 0.98, 2L);
    int plain = stepsTo(t, null, 1e-9, 100_000);
    int accelerated = stepsTo(t, new Anderson(40, 5, 10), 1e-9, 100_000);
    assertThat(plain).isGreaterThan(900);
    assertThat(accelerated).isLessThan(plain / 4);
  }

  @Test
  void withNoHistoryTheStepIsThePlainOne() {
    Linear t = Linear.of(5, 0.5, 3L);
    double[] x = {1, 2, 3, 4, 5};
    double[] tx = t.apply(x);
    Anderson anderson = new Anderson(5, 3, 0);
    assertThat(anderson.step(x, tx)).isTrue();
    assertThat(x).containsExactly(tx);
    assertThat(anderson.stored()).isZero();
    anderson.step(x, t.apply(x));
    assertThat(anderson.stored()).isEqualTo(1);
    anderson.reset();
    double[] again = t.apply(x);
    anderson.step(x, again);
    assertThat(x).containsExactly(again);
  }

  @Test
  void aNonFiniteImageFallsBackToThePlainStepAndForgetsTheHistory() {
    Anderson anderson = new Anderson(2, 3, 0);
    double[] x = {0, 0};
    anderson.step(x, new double[] {1, 1});
    anderson.step(x, new double[] {1.5, 1.2});
    assertThat(anderson.stored()).isEqualTo(1);
    double[] bad = {Double.POSITIVE_INFINITY, 1};
    assertThat(anderson.step(x, bad)).isFalse();
    assertThat(x).containsExactly(bad);
    assertThat(anderson.stored()).isZero();
  }

  @Test
  void refusesAnEmptyProblemOrARestartWithinTheMemory() {
    assertThatThrownBy(() -> new Anderson(0, 3, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Anderson(3, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Anderson(3, 5, 5)).hasMessageContaining("restart=5");
  }
}
