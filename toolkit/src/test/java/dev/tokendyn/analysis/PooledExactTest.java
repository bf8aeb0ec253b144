package dev.tokendyn.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.transport.Cost;
import dev.tokendyn.transport.CostMatrix;
import dev.tokendyn.transport.ExactParams;
import dev.tokendyn.transport.ExactResult;
import dev.tokendyn.transport.NetworkSimplex;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PooledExactTest {
  @Test
  void thePooledSimplexReachesTheOptimumWherePotsPivotBudgetStopsShortOfIt() {
    // two clouds of 3,000 tokens as far apart as a model's first and last layers: POT's 100,000 pivots end
    // before the optimum (the solver reports it), the pooled budget does not
    int n = 3000;
    int d = 8;
    SplittableRandom rng = new SplittableRandom(11);
    double[] x = new double[n * d];
    double[] y = new double[n * d];
    for (int i = 0; i < n * d; i++) {
      x[i] = rng.nextGaussian();
    }
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        y[i * d + k] = 0.5 * x[i * d + (k + 1) % d] + Math.sin(2 * x[i * d + k]) + 0.8 * rng.nextGaussian();
      }
    }
    CostMatrix c = CostMatrix.between(Cost.SQEUCLIDEAN, TokenCloud.ofFlat(n, d, x), TokenCloud.ofFlat(n, d, y))
        .materialize();
    double[] w = new double[n];
    java.util.Arrays.fill(w, 1.0 / n);
    ExactResult pot = new NetworkSimplex(ExactParams.defaults()).solve(w, w, c);
    ExactResult pooled = new NetworkSimplex(CorpusAnalysis.pooledExact(n)).solve(w, w, c);
    assertThat(pot.converged()).isFalse();
    assertThat(pooled.converged()).isTrue();
    assertThat(pooled.iterations()).isGreaterThan(ExactParams.DEFAULT_MAX_ITER);
    assertThat(pooled.value()).isLessThan(pot.value());
    assertThat(CorpusAnalysis.pooledExact(10).maxIter()).isEqualTo(ExactParams.DEFAULT_MAX_ITER);
    assertThat(CorpusAnalysis.pooledExact(4000).maxIter()).isEqualTo(8_000_000);
  }
}
