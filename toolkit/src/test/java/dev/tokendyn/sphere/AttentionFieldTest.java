package dev.tokendyn.sphere;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokendyn.kernel.MatrixProduct;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SIMD field against a plain, independent O(n^2 d) implementation of the defining formulas. */
class AttentionFieldTest {

  /** Naive velocity: logits, attention (SA, USA or Sinkhorn-scaled), values, projection. */
  static double[] reference(Dynamics dyn, double[] x, int n, int d, double beta, Interaction qkv, int sinkIt) {
    return reference(dyn, x, n, d, beta, qkv, sinkIt, false, false);
  }

  /** As above; causal drops the terms j &gt; i, euclidean skips the projection. */
  static double[] reference(Dynamics dyn, double[] x, int n, int d, double beta, Interaction qkv, int sinkIt,
      boolean causal, boolean euclidean) {
    double[] q = qkv.q();
    double[] k = qkv.k();
    double[] v = qkv.v();
    double[][] qx = apply(q, x, n, d);
    double[][] kx = apply(k, x, n, d);
    double[][] vx = apply(v, x, n, d);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
          s += qx[i][c] * kx[j][c];
        }
        a[i][j] = causal && j > i ? Double.NEGATIVE_INFINITY : beta * s;
      }
    }
    if (dyn == Dynamics.USA) {
      for (double[] row : a) {
        for (int j = 0; j < n; j++) {
          row[j] = Math.exp(row[j]) / n;
        }
      }
    } else {
      int its = dyn == Dynamics.SA ? 1 : sinkIt;
      // Sinkhorn in the log domain: alternate row and column log-normalisation
      for (int it = 1; it <= its; it++) {
        if (it % 2 == 1) {
          for (double[] row : a) {
            double m = Double.NEGATIVE_INFINITY;
            for (double r : row) {
              m = Math.max(m, r);
            }
            double s = 0;
            for (double r : row) {
              s += Math.exp(r - m);
            }
            double lse = m + Math.log(s);
            for (int j = 0; j < n; j++) {
              row[j] -= lse;
            }
          }
        } else {
          for (int j = 0; j < n; j++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
              m = Math.max(m, a[i][j]);
            }
            double s = 0;
            for (int i = 0; i < n; i++) {
              s += Math.exp(a[i][j] - m);
            }
            double lse = m + Math.log(s);
            for (int i = 0; i < n; i++) {
              a[i][j] -= lse;
            }
          }
        }
      }
      for (double[] row : a) {
        for (int j = 0; j < n; j++) {
          row[j] = Math.exp(row[j]);
        }
      }
    }
    double[] out = new double[n * d];
    for (int i = 0; i < n; i++) {
      double[] y = new double[d];
      for (int j = 0; j < n; j++) {
        for (int c = 0; c < d; c++) {
          y[c] += a[i][j] * vx[j][c];
        }
      }
      double dot = 0;
      for (int c = 0; c < d && !euclidean; c++) {
        dot += y[c] * x[i * d + c];
      }
      for (int c = 0; c < d; c++) {
        out[i * d + c] = y[c] - dot * x[i * d + c];
      }
    }
    return out;
  }

  private static double[][] apply(double[] m, double[] x, int n, int d) {
    double[][] r = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < d; a++) {
        if (m == null) {
          r[i][a] = x[i * d + a];
        } else {
          double s = 0;
          for (int b = 0; b < d; b++) {
            s += m[a * d + b] * x[i * d + b];
          }
          r[i][a] = s;
        }
      }
    }
    return r;
  }

  static double[] fieldVelocity(SimulationParams p, double[] x, int threads) {
    int n = p.n();
    int d = p.d();
    int dp = MatrixProduct.padded(d);
    double[] xp = new double[n * dp];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, i * d, xp, i * dp, d);
    }
    double[] vp = new double[n * dp];
    try (Team team = new Team(threads)) {
      new AttentionField(p, threads > 1 ? team : null).velocity(xp, vp);
    }
    double[] v = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(vp, i * dp, v, i * d, d);
    }
    return v;
  }

  @ParameterizedTest
  @CsvSource({
    "SA, 1, 5, 2.0, 1, false",
    "SA, 37, 5, 2.0, 1, false",
    "SA, 64, 64, 4.0, 1, false",
    "SA, 70, 13, 3.0, 1, true",
    "USA, 37, 7, 1.5, 1, false",
    "USA, 41, 9, 0.7, 1, true",
    "SINKFORMER, 33, 6, 2.0, 2, false",
    "SINKFORMER, 40, 11, 5.0, 7, true",
    "SA, 50, 8, 100.0, 1, false",
    "SA, 9, 3, 0.0, 1, false"
  })
  void matchesTheDefiningFormula(Dynamics dyn, int n, int d, double beta, int sinkIt, boolean randomQkv) {
    Random rnd = new Random(345);
    double[] x = Init.uniform().points(n, d, rnd.nextLong());
    Interaction qkv = randomQkv ? Interaction.gaussian(d, 11) : Interaction.IDENTITY;
    SimulationParams p = SimulationParams.of(dyn, n, d, beta, 0.1, 1, 1)
        .withSinkhornIterations(sinkIt).withInteraction(qkv);
    double[] expected = reference(dyn, x, n, d, beta, qkv, sinkIt);
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int threads : new int[] {1, 2}) {
      double[] got = fieldVelocity(p, x, threads);
      for (int i = 0; i < got.length; i++) {
        assertThat(got[i]).as("component %d with %d threads", i, threads)
            .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-11 * Math.max(1, scale)));
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "SA, CAUSAL, SPHERE, 1, 5, 2.0, false",
    "SA, CAUSAL, SPHERE, 37, 5, 2.0, true",
    "SA, CAUSAL, SPHERE, 70, 13, 64.0, false",
    "USA, CAUSAL, SPHERE, 41, 9, 0.7, true",
    "USA, CAUSAL, SPHERE, 33, 4, 3.0, false",
    "SINKFORMER, CAUSAL, SPHERE, 21, 3, 2.0, true",
    "SA, NONE, EUCLIDEAN, 37, 5, 0.5, true",
    "SA, NONE, EUCLIDEAN, 64, 3, 0.3, false",
    "USA, NONE, EUCLIDEAN, 29, 6, 0.2, true",
    "SA, CAUSAL, EUCLIDEAN, 45, 7, 0.4, true",
    "USA, CAUSAL, EUCLIDEAN, 45, 2, 0.4, false"
  })
  void masksAndGeometriesMatchTheDefiningFormula(Dynamics dyn, Mask mask, Geometry geometry, int n, int d,
      double beta, boolean randomQkv) {
    Random rnd = new Random(345);
    boolean euclidean = geometry == Geometry.EUCLIDEAN;
    double[] x = euclidean ? Init.gaussian().euclideanPoints(n, d, rnd.nextLong())
        : Init.uniform().points(n, d, rnd.nextLong());
    Interaction qkv = randomQkv ? Interaction.gaussian(d, 11) : Interaction.IDENTITY;
    SimulationParams p = SimulationParams.of(dyn, n, d, beta, 0.1, 1, 1).withSinkhornIterations(1)
        .withInteraction(qkv).withMask(mask).withGeometry(geometry);
    double[] expected = reference(dyn == Dynamics.SINKFORMER ? Dynamics.SA : dyn, x, n, d, beta, qkv, 1,
        mask == Mask.CAUSAL, euclidean);
    double scale = 0;
    for (double e : expected) {
      scale = Math.max(scale, Math.abs(e));
    }
    for (int threads : new int[] {1, 2}) {
      double[] got = fieldVelocity(p, x, threads);
      for (int i = 0; i < got.length; i++) {
        assertThat(got[i]).as("component %d with %d threads", i, threads)
            .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-11 * Math.max(1, scale)));
      }
    }
  }
}
