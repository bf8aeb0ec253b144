package dev.tokendyn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SinkhornTest {
  @Test
  void planRebuiltFromThePotentialsHasTheMarginals() {
    Random rng = new Random(345);
    TokenCloud x = Problems.gaussian(rng, 35, 4, 0);
    TokenCloud y = Problems.gaussian(rng, 28, 4, 0.7);
    double[] a = Problems.weights(rng, 35, 2);
    double[] b = Problems.weights(rng, 28, 1);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y);
    SinkhornResult r = new Sinkhorn(SinkhornParams.of(0.05 * c.median())).solve(a, b, c);
    assertThat(r.converged()).isTrue();
    double[] p = r.plan(c);
    double[] rows = new double[35];
    double[] cols = new double[28];
    double value = 0;
    for (int i = 0; i < 35; i++) {
      for (int j = 0; j < 28; j++) {
        rows[i] += p[i * 28 + j];
        cols[j] += p[i * 28 + j];
        value += p[i * 28 + j] * c.get(i, j);
      }
    }
    assertThat(Problems.distance(rows, a)).isLessThan(1e-9);
    assertThat(Problems.distance(cols, b)).isLessThan(1e-9);
    assertThat(value).isCloseTo(r.value(), within(1e-9 * value));
    for (int i = 0; i < 35; i++) {
      if (a[i] == 0) {
        assertThat(r.f()[i]).isEqualTo(Double.NEGATIVE_INFINITY);
      }
    }
  }

  @Test
  void andersonsAccelerationReachesTheSameFixedPointInAFractionOfTheIterations() {
    // a residual step of the same tokens, as between consecutive layers: y = x + a small smooth move + noise,
    // warm-started from the symmetric potentials as the Sinkhorn divergence does; the plain iterations crawl
    // there (a rate near 0.97 at reg = 0.05 x median) and Anderson's combination of the last steps does not
    Random rng = new Random(2024);
    int n = 500;
    int d = 12;
    double[] xs = new double[n * d];
    double[] ys = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        xs[i * d + k] = rng.nextGaussian() * (1 + 0.3 * k);
      }
      for (int k = 0; k < d; k++) {
        ys[i * d + k] = xs[i * d + k] + 0.4 * Math.tanh(xs[i * d + (k + 1) % d]) + 0.2 * rng.nextGaussian();
      }
    }
    TokenCloud x = TokenCloud.ofFlat(n, d, xs);
    TokenCloud y = TokenCloud.ofFlat(n, d, ys);
    double[] w = x.normalizedWeights();
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y);
    double reg = 0.05 * c.median();
    Sinkhorn tight = new Sinkhorn(SinkhornParams.of(reg).withStopThr(1e-12).withMaxIter(100_000));
    SinkhornResult exact = tight.solve(w, w, c);
    Sinkhorn loose = new Sinkhorn(SinkhornParams.of(reg).withStopThr(1e-7).withMaxIter(100_000));
    SinkhornResult fx = loose.solveSymmetric(w, Cost.SQEUCLIDEAN.matrix(x, x));
    SinkhornResult gy = loose.solveSymmetric(w, Cost.SQEUCLIDEAN.matrix(y, y));
    SinkhornResult fast = loose.solve(w, w, c, fx.f(), gy.f());
    SinkhornResult slow = loose.unaccelerated().solve(w, w, c, fx.f(), gy.f());
    for (SinkhornResult r : new SinkhornResult[] {fast, slow}) {
      assertThat(r.converged()).isTrue();
      // the marginals of the plan rebuilt from the returned potentials, independently of the solver
      double[] p = r.plan(c);
      assertThat(Problems.distance(Problems.rowSums(p, n, n), w)).isLessThan(1e-7);
      assertThat(r.value()).isCloseTo(exact.value(), within(1e-5 * exact.value()));
      assertThat(r.regularizedValue()).isCloseTo(exact.regularizedValue(), within(1e-5 * exact.value()));
    }
    assertThat(slow.iterations()).isGreaterThan(100);
    assertThat(fast.iterations()).isLessThan(slow.iterations() / 3);
  }

  @Test
  void warmStartReachesTheSameFixedPoint() {
    Random rng = new Random(77);
    TokenCloud x = Problems.gaussian(rng, 40, 5, 0);
    TokenCloud y = Problems.gaussian(rng, 33, 5, 0.5);
    double[] a = Problems.weights(rng, 40, 2);
    double[] b = Problems.weights(rng, 33, 1);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y);
    for (double scale : new double[] {0.05, 1e-3}) {
      Sinkhorn s = new Sinkhorn(SinkhornParams.of(scale * c.median()).withStopThr(1e-11));
      SinkhornResult cold = s.solve(a, b, c);
      // from its own solution: converged at once, the same values
      SinkhornResult again = s.solve(a, b, c, cold.f(), cold.g());
      assertThat(again.converged()).isTrue();
      assertThat(again.iterations()).isLessThanOrEqualTo(scale < 1.0 / 32 ? 20 : 2);
      assertThat(again.regularizedValue()).isCloseTo(cold.regularizedValue(), within(1e-9 * Math.abs(cold.value())));
      // from unrelated potentials (zero weights' entries are ignored, whatever they hold)
      double[] f0 = new double[40];
      double[] g0 = new double[33];
      for (int i = 0; i < 40; i++) {
        f0[i] = a[i] == 0 ? Double.NaN : rng.nextGaussian() * c.median();
      }
      SinkhornResult warm = s.solve(a, b, c, f0, g0);
      assertThat(warm.converged()).isTrue();
      assertThat(warm.value()).isCloseTo(cold.value(), within(1e-8 * cold.value()));
      assertThat(warm.regularizedValue()).isCloseTo(cold.regularizedValue(), within(1e-8 * Math.abs(cold.value())));
    }
    Sinkhorn s = new Sinkhorn(SinkhornParams.of(0.05 * c.median()));
    assertThatThrownBy(() -> s.solve(a, b, c, new double[39], new double[33]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lengths 40 and 33");
    assertThatThrownBy(() -> s.solve(a, b, c, new double[40], null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both");
    double[] bad = new double[40];
    int positive = a[0] > 0 ? 0 : 1;
    bad[positive] = Double.POSITIVE_INFINITY;
    assertThatThrownBy(() -> s.solve(a, b, c, bad, new double[33]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("f0[" + positive + "]");
  }

  @Test
  void compilingTheSweepKernelsOnTinyInputsFirstLeavesEveryBitAsItWas() {
    // a kernel held in single precision (n m above 2^18), solved before and after the preheat
    Random rng = new Random(61);
    TokenCloud x = Problems.gaussian(rng, 530, 6, 0);
    TokenCloud y = Problems.gaussian(rng, 520, 6, 0.4);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y).materialize();
    Sinkhorn s = new Sinkhorn(SinkhornParams.of(0.05 * c.median()).withStopThr(1e-7));
    SinkhornResult before = s.solve(x.normalizedWeights(), y.normalizedWeights(), c);
    assertThat(before.kernel()).isEqualTo(KernelStorage.DENSE_FLOAT);
    dev.tokendyn.kernel.Preheat.transport();
    SinkhornResult after = s.solve(x.normalizedWeights(), y.normalizedWeights(), c);
    assertThat(after.iterations()).isEqualTo(before.iterations());
    assertThat(after.f()).containsExactly(before.f());
    assertThat(after.g()).containsExactly(before.g());
    assertThat(after.value()).isEqualTo(before.value());
  }

  @Test
  void tendsToTheExactValueAsRegDecreases() {
    Random rng = new Random(8);
    TokenCloud x = Problems.gaussian(rng, 30, 3, 0);
    TokenCloud y = Problems.gaussian(rng, 30, 3, 1);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y);
    double exact = new NetworkSimplex().between(x, y).value();
    double med = c.median();
    double previousGap = Double.POSITIVE_INFINITY;
    for (double f : new double[] {1, 0.1, 0.01, 0.001}) {
      SinkhornResult r = new Sinkhorn(SinkhornParams.of(f * med).withMaxIter(100_000)).between(x, y);
      assertThat(r.converged()).isTrue();
      double gap = r.value() - exact;
      assertThat(gap).as("<P,M> >= exact at reg %s x median", f).isGreaterThanOrEqualTo(-1e-9);
      assertThat(gap).isLessThan(previousGap);
      previousGap = gap;
    }
    assertThat(previousGap).isLessThan(1e-3 * exact);
  }

  @Test
  void isStableAtATenThousandthOfTheMedianCost() {
    Random rng = new Random(13);
    TokenCloud x = Problems.gaussian(rng, 25, 8, 0);
    TokenCloud y = Problems.gaussian(rng, 20, 8, 0.5);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y);
    double reg = 1e-4 * c.median();
    // POT's defaults: stopThr 1e-9 within 1000 iterations (Sinkhorn alone would need far more; Newton finishes)
    SinkhornResult r = new Sinkhorn(SinkhornParams.of(reg)).between(x, y);
    assertThat(r.converged()).isTrue();
    assertThat(r.marginalError()).isLessThan(1e-9);
    assertThat(r.iterations()).isLessThanOrEqualTo(SinkhornParams.DEFAULT_MAX_ITER);
    assertThat(r.value()).isFinite();
    assertThat(r.regularizedValue()).isFinite();
    assertThat(java.util.Arrays.stream(r.f()).allMatch(Double::isFinite)).isTrue();
    assertThat(java.util.Arrays.stream(r.g()).allMatch(Double::isFinite)).isTrue();
    double exact = new NetworkSimplex().between(x, y).value();
    assertThat(r.value()).isCloseTo(exact, within(1e-6 * exact));
  }

  @Test
  void smallRegConvergesWithinPotsDefaultBudget() {
    Random rng = new Random(29);
    TokenCloud x = Problems.gaussian(rng, 200, 16, 0);
    TokenCloud y = Problems.gaussian(rng, 150, 16, 0.5);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y);
    double[] a = Problems.weights(rng, 200, 5);
    double[] b = Problems.weights(rng, 150, 0);
    double exact = new NetworkSimplex().solve(a, b, c).value();
    for (double f : new double[] {1e-3, 1e-4}) {
      SinkhornResult r = new Sinkhorn(SinkhornParams.of(f * c.median())).solve(a, b, c);
      assertThat(r.converged()).as("reg %s x median", f).isTrue();
      // the marginals of the plan rebuilt from the potentials, independently of the solver's own error
      double[] p = r.plan(c);
      assertThat(Problems.distance(Problems.rowSums(p, 200, 150), a)).isLessThan(1e-9);
      assertThat(Problems.distance(Problems.columnSums(p, 200, 150), b)).isLessThan(1e-9);
      assertThat(r.value()).isGreaterThanOrEqualTo(exact - 1e-9).isCloseTo(exact, within(f * exact));
    }
  }

  @Test
  void singlePrecisionKernelGivesTheExactKernelsResult() {
    Random rng = new Random(21);
    TokenCloud x = Problems.gaussian(rng, 120, 16, 0);
    TokenCloud y = Problems.gaussian(rng, 90, 16, 0.5);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y);
    double[] a = Problems.weights(rng, 120, 4);
    double[] b = Problems.weights(rng, 90, 0);
    for (double f : new double[] {0.05, 0.005}) {
      SinkhornParams p = SinkhornParams.of(f * c.median()).withMaxIter(50_000);
      SinkhornResult exact = new Sinkhorn(p, Sinkhorn.STORE_LIMIT, Long.MAX_VALUE, true).solve(a, b, c);
      SinkhornResult single = new Sinkhorn(p, Sinkhorn.STORE_LIMIT, 0, true).solve(a, b, c);
      assertThat(exact.converged()).isTrue();
      assertThat(single.converged()).isTrue();
      // the reported error is that of the exact kernel's plan: rebuild it and check
      double[] plan = single.plan(c);
      assertThat(Problems.distance(Problems.rowSums(plan, 120, 90), a)).isLessThan(1e-9);
      assertThat(Problems.distance(Problems.columnSums(plan, 120, 90), b)).isLessThan(1e-9);
      assertThat(single.value()).isCloseTo(exact.value(), within(1e-9 * exact.value()));
    }
  }

  @Test
  void symmetricSolveInSinglePrecisionGivesTheExactKernelsResult() {
    Random rng = new Random(23);
    TokenCloud x = Problems.gaussian(rng, 110, 12, 0);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, x);
    double[] a = Problems.weights(rng, 110, 3);
    for (double f : new double[] {0.05, 0.005}) {
      SinkhornParams p = SinkhornParams.of(f * c.median()).withStopThr(1e-9);
      SinkhornResult exact = new Sinkhorn(p, Sinkhorn.STORE_LIMIT, Long.MAX_VALUE, true).solveSymmetric(a, c);
      SinkhornResult single = new Sinkhorn(p, Sinkhorn.STORE_LIMIT, 0, true).solveSymmetric(a, c);
      assertThat(exact.kernel()).isEqualTo(KernelStorage.DENSE_DOUBLE);
      assertThat(single.kernel()).isEqualTo(KernelStorage.DENSE_FLOAT);
      assertThat(exact.converged()).isTrue();
      assertThat(single.converged()).isTrue();
      // the reported error is that of the exact kernel's plan: rebuild it and check both marginals
      double[] plan = single.plan(c);
      assertThat(Problems.distance(Problems.rowSums(plan, 110, 110), a)).isLessThan(1e-8);
      assertThat(Problems.distance(Problems.columnSums(plan, 110, 110), a)).isLessThan(1e-8);
      assertThat(single.value()).isCloseTo(exact.value(), within(1e-8 * exact.value()));
      assertThat(single.regularizedValue()).isCloseTo(exact.regularizedValue(),
          within(1e-8 * Math.abs(exact.regularizedValue())));
      // and against the alternating solver, an independent route to the same problem
      SinkhornResult alternating = new Sinkhorn(p.withMaxIter(100_000)).solve(a, a, c);
      // (at the smaller reg the plan is nearly the identity and the value nearly 0: compare on the costs' scale)
      assertThat(single.value()).isCloseTo(alternating.value(), within(1e-6 * alternating.value() + 1e-9 * c.median()));
    }
  }

  @Test
  void singlePrecisionFallsBackToDoubleWhenRoundingExceedsStopThr() {
    Random rng = new Random(5);
    TokenCloud x = Problems.gaussian(rng, 12, 3, 0);
    TokenCloud y = Problems.gaussian(rng, 10, 3, 0.5);
    CostMatrix c = Cost.SQEUCLIDEAN.matrix(x, y);
    double[] a = Problems.weights(rng, 12, 0);
    double[] b = Problems.weights(rng, 10, 0);
    // a rounded kernel moves each row mass by up to a_i 2^-24, far above a stopThr of 1e-14
    SinkhornParams p = SinkhornParams.of(0.1 * c.median()).withStopThr(1e-14).withMaxIter(10_000);
    SinkhornResult single = new Sinkhorn(p, Sinkhorn.STORE_LIMIT, 0, true).solve(a, b, c);
    SinkhornResult exact = new Sinkhorn(p, Sinkhorn.STORE_LIMIT, Long.MAX_VALUE, true).solve(a, b, c);
    assertThat(single.converged()).isTrue();
    assertThat(single.marginalError()).isLessThan(1e-14);
    assertThat(single.value()).isCloseTo(exact.value(), within(1e-12 * exact.value()));
  }

  @Test
  void blockedPathAgreesWithTheHeldKernel() {
    Random rng = new Random(17);
    TokenCloud x = Problems.gaussian(rng, 90, 6, 0);
    TokenCloud y = Problems.gaussian(rng, 70, 6, 0.4);
    CostMatrix lazy = CostMatrix.between(Cost.SQEUCLIDEAN, x, y);
    double[] a = Problems.weights(rng, 90, 3);
    double[] b = Problems.weights(rng, 70, 0);
    for (double f : new double[] {0.1, 0.005}) {
      SinkhornParams p = SinkhornParams.of(f * lazy.median()).withMaxIter(50_000);
      SinkhornResult held = new Sinkhorn(p).solve(a, b, lazy);
      SinkhornResult blocked = Sinkhorn.withStoreLimit(p, 0).solve(a, b, lazy);
      assertThat(held.converged()).isTrue();
      assertThat(blocked.converged()).isTrue();
      assertThat(blocked.value()).isCloseTo(held.value(), within(1e-8 * held.value()));
      assertThat(blocked.regularizedValue()).isCloseTo(held.regularizedValue(), within(1e-8 * Math.abs(held.value())));
    }
  }

  @Test
  void isSymmetricForASymmetricCost() {
    Random rng = new Random(23);
    CostMatrix c = Cost.EUCLIDEAN.matrix(Problems.gaussian(rng, 20, 3, 0), Problems.gaussian(rng, 15, 3, 0.2));
    double[] a = Problems.weights(rng, 20, 0);
    double[] b = Problems.weights(rng, 15, 0);
    Sinkhorn s = new Sinkhorn(SinkhornParams.of(0.05));
    double ab = s.solve(a, b, c).value();
    double ba = s.solve(b, a, Problems.transpose(c)).value();
    assertThat(ba).isCloseTo(ab, within(1e-8 * ab));
  }

  @Test
  void nonConvergenceIsDataWithAWarningThatNamesTheFix() {
    Random rng = new Random(29);
    TokenCloud x = Problems.gaussian(rng, 30, 2, 0);
    TokenCloud y = Problems.gaussian(rng, 30, 2, 0);
    SinkhornResult r = new Sinkhorn(SinkhornParams.of(1e-3).withMaxIter(3)).between(x, y);
    assertThat(r.converged()).isFalse();
    assertThat(r.iterations()).isEqualTo(3);
    assertThat(r.marginalError()).isGreaterThan(1e-9);
    assertThat(r.warnings()).singleElement().asString().contains("increase maxIter or reg");
  }

  @Test
  void rejectsBadParametersNamingTheValue() {
    assertThatThrownBy(() -> SinkhornParams.of(-1)).hasMessage("reg must be > 0 and finite, found -1.0");
    assertThatThrownBy(() -> SinkhornParams.of(0)).hasMessage("reg must be > 0 and finite, found 0.0");
    assertThatThrownBy(() -> SinkhornParams.of(Double.NaN)).hasMessage("reg must be > 0 and finite, found NaN");
    assertThatThrownBy(() -> SinkhornParams.of(1).withStopThr(0)).hasMessage("stopThr must be > 0 and finite, found 0.0");
    assertThatThrownBy(() -> SinkhornParams.of(1).withMaxIter(0)).hasMessage("maxIter must be >= 1, found 0");
    assertThatThrownBy(() -> new SinkhornParams(Cost.SQEUCLIDEAN, 1, 10, 1e-9, 1.5))
        .hasMessage("scaling must be in (0, 1), found 1.5");
  }

  @Test
  void theKernelIsHeldDenseWhenItFitsTheMemoryBudgetAndComputedInTilesOtherwiseWithTheSameResult() {
    Random rng = new Random(31);
    int n = 700;
    int m = 500;
    TokenCloud x = Problems.gaussian(rng, n, 16, 0);
    TokenCloud y = Problems.gaussian(rng, m, 16, 0.3);
    double reg = 0.05 * CostMatrix.between(Cost.SQEUCLIDEAN, x, y).median();
    SinkhornParams p = SinkhornParams.of(reg);
    long dense = Sinkhorn.denseBytes(n, m);
    SinkhornResult held = new Sinkhorn(p, dense).between(x, y);
    SinkhornResult online = new Sinkhorn(p, dense - 1).between(x, y);
    assertThat(held.kernel()).isEqualTo(KernelStorage.DENSE_FLOAT);
    assertThat(online.kernel()).isEqualTo(KernelStorage.ONLINE);
    assertThat(held.converged()).isTrue();
    assertThat(online.converged()).isTrue();
    assertThat(online.marginalError()).isLessThan(1e-9);
    assertThat(online.value()).isCloseTo(held.value(), within(1e-9 * held.value()));
    assertThat(new Sinkhorn(p).storageFor(20, 30)).isEqualTo(KernelStorage.DENSE_DOUBLE);
  }

  @Test
  void aMemoryBudgetBelowTheSmallestTilesIsRefusedGivingTheMinimum() {
    Random rng = new Random(37);
    TokenCloud x = Problems.gaussian(rng, 300, 8, 0);
    TokenCloud y = Problems.gaussian(rng, 200, 8, 0);
    long least = Sinkhorn.minimumMemory(300, 200, 8);
    assertThatThrownBy(() -> new Sinkhorn(SinkhornParams.of(1), least - 1).between(x, y))
        .hasMessageContaining("below the " + least + " bytes").hasMessageContaining("300 x 200 problem in d = 8");
    assertThat(new Sinkhorn(SinkhornParams.of(1), least).between(x, y).kernel()).isEqualTo(KernelStorage.ONLINE);
    assertThatThrownBy(() -> new Sinkhorn(SinkhornParams.of(1), 0)).hasMessage("the memory budget must be > 0 bytes, found 0");
  }
}
