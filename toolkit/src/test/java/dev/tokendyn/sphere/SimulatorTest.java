package dev.tokendyn.sphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SimulatorTest {

  private static List<Simulator.Frame> run(SimulationParams p, int threads) {
    List<Simulator.Frame> frames = new ArrayList<>();
    Simulator.run(p, threads, frames::add);
    return frames;
  }

  /** With a second thread whatever the size of the problem. */
  private static List<Simulator.Frame> runThreaded(SimulationParams p, int threads) {
    List<Simulator.Frame> frames = new ArrayList<>();
    Simulator.run(p, threads, 0, frames::add);
    return frames;
  }

  private static double dot(TokenCloud c, int i, int j) {
    double s = 0;
    for (int k = 0; k < c.dimension(); k++) {
      s += c.get(i, k) * c.get(j, k);
    }
    return s;
  }

  /** Integrates a scalar ODE with classical RK4 and a fine step: an independent reference. */
  private static double solveScalar(DoubleUnaryOperator f, double y0, double t) {
    int steps = 20000;
    double h = t / steps;
    double y = y0;
    for (int s = 0; s < steps; s++) {
      double k1 = f.applyAsDouble(y);
      double k2 = f.applyAsDouble(y + h / 2 * k1);
      double k3 = f.applyAsDouble(y + h / 2 * k2);
      double k4 = f.applyAsDouble(y + h * k3);
      y += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    return y;
  }

  @ParameterizedTest
  @EnumSource(Dynamics.class)
  void pointsStayOnTheSphere(Dynamics dyn) {
    for (Integrator integ : Integrator.values()) {
      for (double noise : new double[] {0, 0.3}) {
        if (noise > 0 && integ == Integrator.RK4) {
          continue;
        }
        SimulationParams p = SimulationParams.of(dyn, 23, 5, 2.0, 0.05, 40, 3).withIntegrator(integ).withNoise(noise)
            .withSinkhornIterations(3).withInteraction(Interaction.gaussian(5, 4)).withRecordEvery(7);
        for (Simulator.Frame f : run(p, 2)) {
          for (int i = 0; i < 23; i++) {
            assertThat(dot(f.cloud(), i, i)).as("%s %s noise %s", dyn, integ, noise).isCloseTo(1.0, within(1e-12));
          }
        }
      }
    }
  }

  @Test
  void usaEnergyNeverDecreases() {
    SimulationParams p = SimulationParams.of(Dynamics.USA, 16, 4, 1.0, 0.005, 400, 9);
    List<Simulator.Frame> frames = run(p, 1);
    double prev = Double.NEGATIVE_INFINITY;
    for (Simulator.Frame f : frames) {
      double e = Energy.of(f.cloud(), 1.0);
      assertThat(e).as("energy at t=%s", f.time()).isGreaterThanOrEqualTo(prev - 1e-13);
      prev = e;
    }
    assertThat(prev).isGreaterThan(Energy.of(frames.get(0).cloud(), 1.0) + 1e-3);
  }

  @ParameterizedTest
  @EnumSource(value = Dynamics.class, names = {"SA", "USA"})
  void equiangularStartStaysEquiangularAndFollowsItsOde(Dynamics dyn) {
    int n = 5;
    double beta = 2.0;
    double rho0 = 0.1;
    SimulationParams p = SimulationParams.of(dyn, n, 7, beta, 0.01, 300, 1).withInit(Init.equiangular(rho0))
        .withIntegrator(Integrator.RK4).withRecordEvery(100);
    // by symmetry every pair has the same rho; d rho/dt = 2 a (1 - rho)(1 + (n-1) rho), with
    // a = e^{beta rho} / (e^beta + (n-1) e^{beta rho}) for SA and a = e^{beta rho} / n for USA
    DoubleUnaryOperator rhs = r -> {
      double a = dyn == Dynamics.SA ? 1 / (Math.exp(beta * (1 - r)) + n - 1) : Math.exp(beta * r) / n;
      return 2 * a * (1 - r) * (1 + (n - 1) * r);
    };
    for (Simulator.Frame f : run(p, 1)) {
      double expected = solveScalar(rhs, rho0, f.time());
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          assertThat(dot(f.cloud(), i, j)).as("pair %d,%d at t=%s", i, j, f.time()).isCloseTo(expected, within(1e-8));
        }
      }
    }
  }

  @Test
  void twoTokensAtBetaZeroFollowTheClosedForm() {
    // n = 2, beta = 0: both SA and USA give d rho/dt = 1 - rho^2, so rho(t) = tanh(t + atanh(rho0))
    double rho0 = -0.6;
    for (Dynamics dyn : new Dynamics[] {Dynamics.SA, Dynamics.USA}) {
      SimulationParams p = SimulationParams.of(dyn, 2, 3, 0.0, 0.01, 250, 1).withInit(Init.equiangular(rho0))
          .withIntegrator(Integrator.RK4).withRecordEvery(50);
      for (Simulator.Frame f : run(p, 1)) {
        double expected = Math.tanh(f.time() + 0.5 * Math.log((1 + rho0) / (1 - rho0)));
        assertThat(dot(f.cloud(), 0, 1)).as("%s t=%s", dyn, f.time()).isCloseTo(expected, within(1e-9));
      }
    }
  }

  @Test
  void equiangularTheoryAgreesWithTheClosedFormAtBetaZero() {
    double[] times = {0.5, 1, 2, 3};
    for (Dynamics dyn : new Dynamics[] {Dynamics.SA, Dynamics.USA}) {
      double[] rho = EquiangularTheory.solve(dyn, 2, 0.0, 0.3, times, 200);
      for (int i = 0; i < times.length; i++) {
        assertThat(rho[i]).isCloseTo(Math.tanh(times[i] + 0.5 * Math.log(1.3 / 0.7)), within(1e-10));
      }
    }
  }

  @Test
  void eulerConvergesAtFirstOrderAndRk4AtFourth() {
    double rho0 = 0.2;
    double beta = 1.5;
    DoubleUnaryOperator rhs = r -> 2 * (1 - r * r) / (1 + Math.exp(beta * (1 - r)));
    double exact = solveScalar(rhs, rho0, 1.0);
    double[] eulerErr = new double[2];
    double[] rk4Err = new double[2];
    int[] steps = {50, 100};
    for (int s = 0; s < 2; s++) {
      for (Integrator integ : Integrator.values()) {
        SimulationParams p = SimulationParams.of(Dynamics.SA, 2, 2, beta, 1.0 / steps[s], steps[s], 1)
            .withInit(Init.equiangular(rho0)).withIntegrator(integ).withRecordEvery(steps[s]);
        List<Simulator.Frame> fr = run(p, 1);
        double err = Math.abs(dot(fr.get(fr.size() - 1).cloud(), 0, 1) - exact);
        (integ == Integrator.EULER ? eulerErr : rk4Err)[s] = err;
      }
    }
    assertThat(eulerErr[0] / eulerErr[1]).isBetween(1.7, 2.3);
    assertThat(rk4Err[0] / rk4Err[1]).isBetween(12.0, 20.0);
  }

  @Test
  void randomStartUnderSaCollapsesToOneCluster() {
    for (int d : new int[] {3, 8}) {
      SimulationParams p = SimulationParams.of(Dynamics.SA, 24, d, 1.0, 0.1, 1500, 21).withRecordEvery(1500);
      List<Simulator.Frame> fr = run(p, 2);
      TokenCloud last = fr.get(fr.size() - 1).cloud();
      for (int i = 0; i < 24; i++) {
        for (int j = i + 1; j < 24; j++) {
          assertThat(dot(last, i, j)).as("d=%d pair %d,%d", d, i, j).isGreaterThan(1 - 1e-6);
        }
      }
    }
  }

  @Test
  void largeBetaStaysFinite() {
    SimulationParams p = SimulationParams.of(Dynamics.SA, 64, 8, 100.0, 0.05, 50, 5).withRecordEvery(10);
    for (Simulator.Frame f : run(p, 2)) {
      assertThat(java.util.Arrays.stream(f.cloud().toFlatArray()).allMatch(Double::isFinite)).isTrue();
    }
    SimulationParams s = p.withSinkhornIterations(9);
    s = new SimulationParams(Dynamics.SINKFORMER, 64, 8, 100.0, 0.05, 50, s.init(), 5, Integrator.EULER, 0, 10, 9,
        Interaction.IDENTITY);
    for (Simulator.Frame f : run(s, 2)) {
      assertThat(java.util.Arrays.stream(f.cloud().toFlatArray()).allMatch(Double::isFinite)).isTrue();
    }
  }

  @Test
  void sameSeedGivesTheSameBitsWhateverTheThreads() {
    SimulationParams p = SimulationParams.of(Dynamics.SA, 70, 9, 3.0, 0.05, 30, 77).withNoise(0.2).withRecordEvery(10);
    List<Simulator.Frame> a = run(p, 1);
    List<Simulator.Frame> b = runThreaded(p, 2);
    List<Simulator.Frame> c = runThreaded(p, 3);
    assertThat(a).hasSize(4);
    for (int f = 0; f < a.size(); f++) {
      assertThat(b.get(f).cloud().toFlatArray()).isEqualTo(a.get(f).cloud().toFlatArray());
      assertThat(c.get(f).cloud().toFlatArray()).isEqualTo(a.get(f).cloud().toFlatArray());
    }
    List<Simulator.Frame> other = run(new SimulationParams(Dynamics.SA, 70, 9, 3.0, 0.05, 30, Init.uniform(), 78,
        Integrator.EULER, 0.2, 10, 1, Interaction.IDENTITY), 2);
    assertThat(other.get(3).cloud().toFlatArray()).isNotEqualTo(a.get(3).cloud().toFlatArray());
  }

  @Test
  void noiseSpreadsTokensLikeBrownianMotionOnTheSphere() {
    // beta = 0 and V = I makes SA pull every token to the mean, so use USA with huge dispersion instead:
    // with only noise (one token, whose self-attention velocity P_x(x) vanishes), E<x(t), x(0)> = exp(-(d-1) sigma^2 t / 2)
    int d = 3;
    double sigma = 0.5;
    double t = 2.0;
    int tokens = 400;
    double sum = 0;
    for (int s = 0; s < tokens; s++) {
      SimulationParams p = SimulationParams.of(Dynamics.SA, 1, d, 1.0, 0.002, 1000, 1000 + s).withNoise(sigma)
          .withRecordEvery(1000);
      List<Simulator.Frame> fr = run(p, 1);
      TokenCloud x0 = fr.get(0).cloud();
      TokenCloud x1 = fr.get(1).cloud();
      double c = 0;
      for (int k = 0; k < d; k++) {
        c += x0.get(0, k) * x1.get(0, k);
      }
      sum += c;
    }
    double expected = Math.exp(-(d - 1) * sigma * sigma * t / 2);
    // Monte Carlo error of the mean of 400 values in [-1, 1]: about 0.03
    assertThat(sum / tokens).isCloseTo(expected, within(0.1));
  }

  @Test
  void invalidParametersAreRejectedWithTheValue() {
    assertThatThrownBy(() -> SimulationParams.of(Dynamics.SA, 0, 3, 1, 0.1, 1, 1)).hasMessageContaining("n must be >= 1, found 0");
    assertThatThrownBy(() -> SimulationParams.of(Dynamics.SA, 3, 1, 1, 0.1, 1, 1)).hasMessageContaining("d must be >= 2 (the sphere S^{d-1}), found 1");
    assertThatThrownBy(() -> SimulationParams.of(Dynamics.SA, 3, 3, Double.NaN, 0.1, 1, 1)).hasMessageContaining("beta must be finite and >= 0, found NaN");
    assertThatThrownBy(() -> SimulationParams.of(Dynamics.SA, 3, 3, -1, 0.1, 1, 1)).hasMessageContaining("found -1.0");
    assertThatThrownBy(() -> SimulationParams.of(Dynamics.SA, 3, 3, 1, 0, 1, 1)).hasMessageContaining("dt must be finite and > 0, found 0.0");
    assertThatThrownBy(() -> Init.equiangular(0.5).points(4, 3, 1)).hasMessageContaining("needs d >= n");
    assertThatThrownBy(() -> Init.equiangular(-0.5).points(4, 4, 1)).hasMessageContaining("-1/(n-1)");
    assertThatThrownBy(() -> SimulationParams.of(Dynamics.SA, 3, 3, 1, 0.1, 1, 1).withIntegrator(Integrator.RK4).withNoise(0.1))
        .hasMessageContaining("Euler-Maruyama");
  }

  @Test
  void equiangularPointsHaveTheAskedInnerProduct() {
    double[] x = Init.equiangular(-0.2).points(4, 6, 0);
    TokenCloud c = TokenCloud.ofFlat(4, 6, x);
    for (int i = 0; i < 4; i++) {
      assertThat(dot(c, i, i)).isCloseTo(1, within(1e-14));
      for (int j = i + 1; j < 4; j++) {
        assertThat(dot(c, i, j)).isCloseTo(-0.2, within(1e-14));
      }
    }
  }

  @Test
  void energyOfACollapsedCloudIsExpBetaOverTwoBeta() {
    TokenCloud c = TokenCloud.of(new double[][] {{1, 0}, {1, 0}, {1, 0}});
    assertThat(Energy.of(c, 2.0)).isCloseTo(Math.exp(2) / 4, within(1e-12));
    TokenCloud opposite = TokenCloud.of(new double[][] {{1, 0}, {-1, 0}});
    // (1/(2 beta 4)) (2 e^beta + 2 e^-beta) = cosh(beta) / (2 beta)
    assertThat(Energy.of(opposite, 3.0)).isCloseTo(Math.cosh(3) / 6, within(1e-12));
    assertThat(Energy.of(c, 0.0)).isNaN();
  }

  @Test
  void compilingTheKernelsOnTinyInputsFirstLeavesEveryBitOfARunAsItWas() {
    // below the preheat threshold, so the first run goes as the JVM's state has it; the second runs after
    SimulationParams p = new SimulationParams(Dynamics.SA, 70, 9, 3.0, 0.05, 30, Init.uniform(), 78,
        Integrator.EULER, 0, 10, 1, Interaction.IDENTITY);
    assertThat((double) p.n() * p.n() * p.d() * p.steps()).isLessThan(Simulator.PREHEAT_WORK);
    List<Simulator.Frame> before = runThreaded(p, 2);
    dev.tokendyn.kernel.Preheat.attention();
    List<Simulator.Frame> after = runThreaded(p, 2);
    assertThat(after).hasSameSizeAs(before);
    for (int f = 0; f < before.size(); f++) {
      assertThat(after.get(f).cloud().toFlatArray()).as("frame %d", f)
          .containsExactly(before.get(f).cloud().toFlatArray());
    }
  }
}
