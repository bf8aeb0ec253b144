package dev.tokendyn.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class SinkhornNewtonTest {
  /** A problem: Gaussian clouds x ~ N(0, I), y ~ N(shift, I), squared Euclidean cost, and its weights. */
  private record Problem(CostMatrix cost, double[] a, double[] b) {
    static Problem of(long seed, int n, int m, int d, double shift, boolean uniform) {
      Random rng = new Random(seed);
      CostMatrix c = Cost.SQEUCLIDEAN.matrix(Problems.gaussian(rng, n, d, 0), Problems.gaussian(rng, m, d, shift));
      return uniform
          ? new Problem(c, Problems.uniform(n), Problems.uniform(m))
          : new Problem(c, Problems.weights(rng, n, 0), Problems.weights(rng, m, 0));
    }

    double median() {
      return cost.median();
    }

    /** Plain Sinkhorn (no Anderson acceleration, no Newton finish) for at most maxIter iterations. */
    SinkhornResult sinkhorn(double reg, int maxIter) {
      return plain(SinkhornParams.of(reg).withMaxIter(maxIter));
    }

    private SinkhornResult plain(SinkhornParams p) {
      return new Sinkhorn(p, Sinkhorn.STORE_LIMIT, Sinkhorn.DOUBLE_LIMIT, false).unaccelerated().solve(a, b, cost);
    }

    /** A short plain Sinkhorn run: to a marginal error of 1e-5, or 5000 iterations, whichever comes first. */
    SinkhornResult shortRun(double reg) {
      return plain(SinkhornParams.of(reg).withStopThr(1e-5).withMaxIter(5000));
    }

    SinkhornNewton.Polished polish(double reg, SinkhornResult start) {
      return SinkhornNewton.polish(cost, a, b, reg, start.f(), start.g(), 1e-9, 50);
    }
  }

  /** Row and column sums of exp((f_i + g_j - M_ij) / eps), and sum P M: [rows..., cols..., value]. */
  private static double[] marginals(CostMatrix c, double eps, double[] f, double[] g) {
    int n = c.rows();
    int m = c.cols();
    double[] out = new double[n + m + 1];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        double p = Math.exp((f[i] + g[j] - c.get(i, j)) / eps);
        out[i] += p;
        out[n + j] += p;
        out[n + m] += p * c.get(i, j);
      }
    }
    return out;
  }

  private static double[] rows(double[] marginals, int n) {
    return Arrays.copyOfRange(marginals, 0, n);
  }

  private static double[] cols(double[] marginals, int n, int m) {
    return Arrays.copyOfRange(marginals, n, n + m);
  }

  @Test
  void reachesStopThrFromAShortSinkhornRunWithThePlansMarginals() {
    Problem[] problems = {
        Problem.of(11, 25, 20, 8, 0.5, false),
        Problem.of(12, 20, 25, 8, 0.5, false),
        Problem.of(13, 200, 150, 16, 0.5, true),
        Problem.of(14, 200, 150, 16, 0.5, false)};
    for (Problem pr : problems) {
      int n = pr.a().length;
      int m = pr.b().length;
      for (double factor : new double[] {1e-2, 1e-3, 1e-4}) {
        double reg = factor * pr.median();
        SinkhornResult start = pr.shortRun(reg);
        String what = String.format("%dx%d at %s x median", n, m, factor);
        double[] before = marginals(pr.cost(), reg, start.f(), start.g());
        assertThat(Problems.distance(rows(before, n), pr.a())).as(what).isGreaterThan(1e-7);
        SinkhornNewton.Polished p = pr.polish(reg, start);
        assertThat(p.converged()).as(what).isTrue();
        assertThat(p.error()).as(what).isLessThan(1e-9);
        assertThat(p.steps()).as(what).isLessThanOrEqualTo(15);
        double[] mg = marginals(pr.cost(), reg, p.f(), p.g());
        assertThat(Problems.distance(rows(mg, n), pr.a())).as(what).isLessThan(1e-9);
        assertThat(Problems.distance(cols(mg, n, m), pr.b())).as(what).isLessThan(1e-9);
      }
    }
  }

  @Test
  void convergesFromTheFarStartOfAnInterruptedSinkhornRun() {
    // 200 iterations stop Sinkhorn before it converges: a marginal error above 1e-4 at reg
    Problem pr = Problem.of(13, 200, 150, 16, 0.5, true);
    for (double factor : new double[] {1e-3, 1e-4}) {
      double reg = factor * pr.median();
      SinkhornResult start = pr.sinkhorn(reg, 200);
      double[] before = marginals(pr.cost(), reg, start.f(), start.g());
      assertThat(Problems.distance(cols(before, 200, 150), pr.b())).isGreaterThan(1e-4);
      SinkhornNewton.Polished p = pr.polish(reg, start);
      assertThat(p.converged()).as("reg %s x median", factor).isTrue();
      assertThat(p.steps()).as("reg %s x median", factor).isLessThanOrEqualTo(30);
      double[] mg = marginals(pr.cost(), reg, p.f(), p.g());
      assertThat(Problems.distance(cols(mg, 200, 150), pr.b())).isLessThan(1e-9);
    }
  }

  @Test
  void agreesWithAConvergedSinkhornAtModerateReg() {
    Problem pr = Problem.of(21, 60, 45, 5, 0.7, false);
    double reg = 0.05 * pr.median();
    SinkhornResult exact = new Sinkhorn(SinkhornParams.of(reg).withStopThr(1e-12).withMaxIter(100_000))
        .solve(pr.a(), pr.b(), pr.cost());
    assertThat(exact.converged()).isTrue();
    SinkhornNewton.Polished p = pr.polish(reg, pr.sinkhorn(reg, 5));
    assertThat(p.converged()).isTrue();
    double value = marginals(pr.cost(), reg, p.f(), p.g())[60 + 45];
    assertThat(value).isCloseTo(exact.value(), within(1e-9 * exact.value()));
  }

  @Test
  void approachesTheExactTransportCostAsRegShrinks() {
    Problem pr = Problem.of(31, 40, 30, 4, 0.5, false);
    double exact = new NetworkSimplex().solve(pr.a(), pr.b(), pr.cost()).value();
    double previousGap = Double.POSITIVE_INFINITY;
    for (double factor : new double[] {1e-2, 1e-3, 1e-4}) {
      double reg = factor * pr.median();
      SinkhornNewton.Polished p = pr.polish(reg, pr.shortRun(reg));
      assertThat(p.converged()).as("reg %s x median", factor).isTrue();
      double gap = marginals(pr.cost(), reg, p.f(), p.g())[40 + 30] - exact;
      // the plan is feasible to 1e-9, so it costs at least the exact optimum up to that
      assertThat(gap).as("reg %s x median", factor).isGreaterThan(-1e-8 * exact).isLessThan(previousGap);
      previousGap = gap;
    }
    assertThat(previousGap).isLessThan(1e-4 * exact);
  }

  @Test
  void directAndConjugateGradientSolvesAgree() {
    Problem pr = Problem.of(41, 70, 50, 6, 0.5, false);
    for (double factor : new double[] {1e-2, 1e-3}) {
      double reg = factor * pr.median();
      SinkhornResult start = pr.shortRun(reg);
      SinkhornNewton.Polished direct =
          SinkhornNewton.polish(pr.cost(), pr.a(), pr.b(), reg, start.f(), start.g(), 1e-11, 50, 1000);
      SinkhornNewton.Polished cg =
          SinkhornNewton.polish(pr.cost(), pr.a(), pr.b(), reg, start.f(), start.g(), 1e-11, 50, 0);
      assertThat(direct.converged()).isTrue();
      assertThat(cg.converged()).isTrue();
      assertThat(direct.matvecs()).isZero();
      assertThat(cg.matvecs()).isPositive();
      // potentials are unique up to (f + k, g - k): compare them with g_0 = 0
      double[] fd = direct.f();
      double[] gd = direct.g();
      double[] fc = cg.f();
      double[] gc = cg.g();
      for (int i = 0; i < 70; i++) {
        assertThat(fc[i] + gc[0]).isCloseTo(fd[i] + gd[0], within(1e-6 * reg));
      }
      for (int j = 0; j < 50; j++) {
        assertThat(gc[j] - gc[0]).isCloseTo(gd[j] - gd[0], within(1e-6 * reg));
      }
    }
  }

  @Test
  void staysFiniteAtAHundredThousandthOfTheMedianCost() {
    Problem pr = Problem.of(51, 60, 40, 8, 0.5, false);
    double reg = 1e-5 * pr.median();
    // from a far start (Sinkhorn's scaling interrupted at a larger eps), a few steps: finite, error reduced
    SinkhornResult far = pr.sinkhorn(reg, 50);
    SinkhornNewton.Polished first = SinkhornNewton.polish(pr.cost(), pr.a(), pr.b(), reg, far.f(), far.g(), 1e-9, 0);
    SinkhornNewton.Polished some = SinkhornNewton.polish(pr.cost(), pr.a(), pr.b(), reg, far.f(), far.g(), 1e-9, 5);
    for (SinkhornNewton.Polished p : new SinkhornNewton.Polished[] {first, some}) {
      assertThat(Arrays.stream(p.f()).allMatch(Double::isFinite)).isTrue();
      assertThat(Arrays.stream(p.g()).allMatch(Double::isFinite)).isTrue();
      assertThat(p.error()).isFinite();
    }
    assertThat(some.error()).isLessThan(first.error());
    // from a short run, to stopThr
    SinkhornNewton.Polished p = pr.polish(reg, pr.shortRun(reg));
    assertThat(p.converged()).isTrue();
    double[] mg = marginals(pr.cost(), reg, p.f(), p.g());
    assertThat(Problems.distance(rows(mg, 60), pr.a())).isLessThan(1e-9);
    assertThat(Problems.distance(cols(mg, 60, 40), pr.b())).isLessThan(1e-9);
  }

  @Test
  void givesTheSameBitsOnEveryCallAndAnyNumberOfThreads() throws Exception {
    // 300 x 250 entries: several chunks, so the parallel paths run
    Problem pr = Problem.of(61, 300, 250, 8, 0.5, true);
    double reg = 1e-3 * pr.median();
    SinkhornResult start = pr.shortRun(reg);
    for (int limit : new int[] {1000, 0}) {
      Callable<SinkhornNewton.Polished> polish =
          () -> SinkhornNewton.polish(pr.cost(), pr.a(), pr.b(), reg, start.f(), start.g(), 1e-9, 50, limit);
      SinkhornNewton.Polished first = polish.call();
      assertThat(first.converged()).isTrue();
      List<SinkhornNewton.Polished> others = new ArrayList<>();
      others.add(polish.call());
      for (int threads : new int[] {1, 3}) {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
          others.add(pool.submit(polish).get());
        } finally {
          pool.shutdown();
        }
      }
      for (SinkhornNewton.Polished other : others) {
        assertThat(other.f()).isEqualTo(first.f());
        assertThat(other.g()).isEqualTo(first.g());
        assertThat(other.error()).isEqualTo(first.error());
        assertThat(other.steps()).isEqualTo(first.steps());
        assertThat(other.matvecs()).isEqualTo(first.matvecs());
      }
    }
  }

  @Test
  void leavesItsArgumentsUnchanged() {
    Problem pr = Problem.of(71, 30, 20, 3, 0.5, false);
    double reg = 1e-3 * pr.median();
    SinkhornResult start = pr.sinkhorn(reg, 50);
    double[] a = pr.a().clone();
    double[] b = pr.b().clone();
    double[] f = start.f();
    double[] g = start.g();
    double[] cost = pr.cost().toFlatArray();
    SinkhornNewton.polish(pr.cost(), a, b, reg, f, g, 1e-9, 50);
    assertThat(a).isEqualTo(pr.a());
    assertThat(b).isEqualTo(pr.b());
    assertThat(f).isEqualTo(start.f());
    assertThat(g).isEqualTo(start.g());
    assertThat(pr.cost().toFlatArray()).isEqualTo(cost);
  }

  @Test
  void rejectsInvalidArgumentsNamingTheProblem() {
    CostMatrix c = CostMatrix.of(new double[][] {{0, 1, 4}, {1, 0, 1}});
    double[] a = {0.5, 0.5};
    double[] b = {0.25, 0.25, 0.5};
    double[] f = {0, 0};
    double[] g = {0, 0, 0};
    assertThatThrownBy(() -> SinkhornNewton.polish(c, new double[] {1}, b, 1, f, g, 1e-9, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a must have length 2 (the cost matrix's rows), found 1");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, a, new double[] {0.5, 0.5}, 1, f, g, 1e-9, 10))
        .hasMessage("b must have length 3 (the cost matrix's columns), found 2");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, a, b, 1, new double[3], g, 1e-9, 10))
        .hasMessage("f must have length 2 (the cost matrix's rows), found 3");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, a, b, 1, f, new double[2], 1e-9, 10))
        .hasMessage("g must have length 3 (the cost matrix's columns), found 2");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, a, b, 0, f, g, 1e-9, 10))
        .hasMessage("eps must be > 0 and finite, found 0.0");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, a, b, -1, f, g, 1e-9, 10))
        .hasMessage("eps must be > 0 and finite, found -1.0");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, a, b, Double.NaN, f, g, 1e-9, 10))
        .hasMessage("eps must be > 0 and finite, found NaN");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, new double[] {1, 0}, b, 1, f, g, 1e-9, 10))
        .hasMessage("a[1] must be finite and > 0 (leave out points of zero weight), found 0.0");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, a, new double[] {0.5, 0.5, 0.5}, 1, f, g, 1e-9, 10))
        .hasMessage("b must sum to 1, found 1.5");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, a, b, 1, new double[] {0, Double.NEGATIVE_INFINITY}, g,
        1e-9, 10)).hasMessage("f[1] must be finite, found -Infinity");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, a, b, 1, f, g, 0, 10))
        .hasMessage("stopThr must be > 0 and finite, found 0.0");
    assertThatThrownBy(() -> SinkhornNewton.polish(c, a, b, 1, f, g, 1e-9, -1))
        .hasMessage("maxSteps must be >= 0, found -1");
    CostMatrix lazy = CostMatrix.between(Cost.SQEUCLIDEAN, Problems.gaussian(new Random(1), 2, 2, 0),
        Problems.gaussian(new Random(2), 3, 2, 0));
    assertThatThrownBy(() -> SinkhornNewton.polish(lazy, a, b, 1, f, g, 1e-9, 10))
        .hasMessageStartingWith("cost must be held in memory (CostMatrix.materialize())");
  }
}
