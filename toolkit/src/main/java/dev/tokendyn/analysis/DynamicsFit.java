package dev.tokendyn.analysis;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.metrics.MeanCosine;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Integrator;
import dev.tokendyn.sphere.Interaction;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits the idealised SA dynamics (Q = K = V = I) to a sequence of clouds: how far is a transformer from
 * the flow of Geshkovski et al.?
 *
 * <p>Each sequence's layer-0 cloud, projected onto the sphere, starts a simulation; layer l is compared
 * with the simulated state at time l * tau. The objective is Lagrangian, token by token:
 * <pre>  R(beta, tau) = sum_sequences sum_{l &gt;= 1} (1/n) sum_i |x_i(l tau) - y_i^l / |y_i^l| |^2 / (L * sequences)</pre>
 * (the mean squared distance per token and per layer), where y_i^l is token i at layer l. Sequences
 * (one per text) are simulated separately, since tokens of different texts do not attend to one
 * another. Each layer is {@code stepsPerLayer} RK4 steps.
 *
 * <p>The search: a grid over log beta and log tau, then Nelder-Mead in (log beta, log tau) from the best
 * grid point. Deterministic.
 */
public final class DynamicsFit {
  private DynamicsFit() {}

  /** Search settings. */
  public record Options(int stepsPerLayer, double[] betaGrid, double[] tauGrid, int maxEvaluations, int threads) {
    public Options {
      betaGrid = betaGrid.clone();
      tauGrid = tauGrid.clone();
      if (stepsPerLayer < 1) {
        throw new IllegalArgumentException("stepsPerLayer must be >= 1, found " + stepsPerLayer);
      }
      for (double b : betaGrid) {
        if (!(b > 0) || Double.isInfinite(b)) {
          throw new IllegalArgumentException("beta grid values must be finite and > 0, found " + b);
        }
      }
      for (double t : tauGrid) {
        if (!(t > 0) || Double.isInfinite(t)) {
          throw new IllegalArgumentException("tau grid values must be finite and > 0, found " + t);
        }
      }
      if (betaGrid.length == 0 || tauGrid.length == 0) {
        throw new IllegalArgumentException("the beta and tau grids need at least one value each");
      }
      if (maxEvaluations < 1) {
        throw new IllegalArgumentException("maxEvaluations must be >= 1, found " + maxEvaluations);
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, found " + threads);
      }
    }

    /** beta in 0.25 .. 32 and tau in 0.01 .. 2, by factors of two, 10 RK4 steps a layer, 120 evaluations after the grid. */
    public static Options defaults() {
      return new Options(10, new double[] {0.25, 0.5, 1, 2, 4, 8, 16, 32},
          new double[] {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2}, 120, Runtime.getRuntime().availableProcessors());
    }
  }

  /**
   * The fit.
   *
   * @param residual R at the optimum
   * @param staticResidual R for tau = 0 (tokens that do not move): the scale to judge R against
   * @param layerResidual [l]: the mean squared distance at layer l (0 at l = 0)
   * @param modelMeanCosine [l]: mean cosine of the real layer, averaged over sequences
   * @param fitMeanCosine [l]: the same of the simulated states
   */
  public record Result(double beta, double timePerLayer, double residual, double staticResidual, int evaluations,
                       double[] layerResidual, double[] modelMeanCosine, double[] fitMeanCosine) {}

  /** Fits one sequence. */
  public static Result fit(CloudSequence seq, Options o) {
    return fit(List.of(seq), o);
  }

  /**
   * Fits several sequences (one per text) with one beta and one tau.
   *
   * @throws IllegalArgumentException when a sequence has fewer than 2 clouds, or its clouds differ in shape
   */
  public static Result fit(List<CloudSequence> seqs, Options o) {
    if (seqs.isEmpty()) {
      throw new IllegalArgumentException("the fit needs at least one sequence, found none");
    }
    int layers = seqs.get(0).size();
    List<TokenCloud[]> targets = new ArrayList<>();
    for (int s = 0; s < seqs.size(); s++) {
      CloudSequence q = seqs.get(s);
      if (q.size() < 2) {
        throw new IllegalArgumentException("sequence " + s + " has " + q.size() + " cloud(s); the fit needs at least 2");
      }
      if (q.size() != layers) {
        throw new IllegalArgumentException("sequence " + s + " has " + q.size() + " clouds but sequence 0 has " + layers);
      }
      q.requireSameShape();
      if (q.cloud(0).dimension() < 2) {
        throw new IllegalArgumentException("the fit needs dimension >= 2, found " + q.cloud(0).dimension());
      }
      TokenCloud[] t = new TokenCloud[layers];
      for (int l = 0; l < layers; l++) {
        t[l] = q.cloud(l).normalizedToSphere();
      }
      targets.add(t);
    }
    Objective f = new Objective(targets, o);
    double[] best = null;
    double bestVal = Double.POSITIVE_INFINITY;
    for (double b : o.betaGrid()) {
      for (double t : o.tauGrid()) {
        double v = f.value(Math.log(b), Math.log(t));
        if (v < bestVal) {
          bestVal = v;
          best = new double[] {Math.log(b), Math.log(t)};
        }
      }
    }
    best = nelderMead(f, best, Math.log(2) / 2, o.maxEvaluations());
    double beta = Math.exp(best[0]);
    double tau = Math.exp(best[1]);
    Curves c = f.curves(beta, tau);
    return new Result(beta, tau, f.residual(beta, tau), f.residual(0, 0), f.evaluations, c.residual, c.model, c.fit);
  }

  /** Simplex search in 2-D from x0 with initial step h; returns the best vertex. */
  private static double[] nelderMead(Objective f, double[] x0, double h, int maxEval) {
    double[][] s = {x0.clone(), {x0[0] + h, x0[1]}, {x0[0], x0[1] + h}};
    double[] v = new double[3];
    for (int i = 0; i < 3; i++) {
      v[i] = f.value(s[i][0], s[i][1]);
    }
    int used = 3;
    while (used < maxEval) {
      // order best, middle, worst
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2 - i; j++) {
          if (v[j + 1] < v[j]) {
            double tv = v[j];
            v[j] = v[j + 1];
            v[j + 1] = tv;
            double[] ts = s[j];
            s[j] = s[j + 1];
            s[j + 1] = ts;
          }
        }
      }
      double size = Math.max(Math.abs(s[1][0] - s[0][0]) + Math.abs(s[1][1] - s[0][1]),
          Math.abs(s[2][0] - s[0][0]) + Math.abs(s[2][1] - s[0][1]));
      if (size < 1e-5) {
        break;
      }
      double[] c = {(s[0][0] + s[1][0]) / 2, (s[0][1] + s[1][1]) / 2};
      double[] r = {2 * c[0] - s[2][0], 2 * c[1] - s[2][1]};
      double vr = f.value(r[0], r[1]);
      used++;
      if (vr < v[0]) {
        double[] e = {3 * c[0] - 2 * s[2][0], 3 * c[1] - 2 * s[2][1]};
        double ve = f.value(e[0], e[1]);
        used++;
        if (ve < vr) {
          s[2] = e;
          v[2] = ve;
        } else {
          s[2] = r;
          v[2] = vr;
        }
      } else if (vr < v[1]) {
        s[2] = r;
        v[2] = vr;
      } else {
        double[] k = vr < v[2] ? new double[] {(c[0] + r[0]) / 2, (c[1] + r[1]) / 2}
            : new double[] {(c[0] + s[2][0]) / 2, (c[1] + s[2][1]) / 2};
        double vk = f.value(k[0], k[1]);
        used++;
        if (vk < Math.min(vr, v[2])) {
          s[2] = k;
          v[2] = vk;
        } else {
          for (int i = 1; i < 3; i++) {
            s[i] = new double[] {(s[i][0] + s[0][0]) / 2, (s[i][1] + s[0][1]) / 2};
            v[i] = f.value(s[i][0], s[i][1]);
            used++;
          }
        }
      }
    }
    int bi = 0;
    for (int i = 1; i < 3; i++) {
      if (v[i] < v[bi]) {
        bi = i;
      }
    }
    return s[bi];
  }

  private record Curves(double[] residual, double[] model, double[] fit) {}

  /** R(beta, tau) with the simulations it needs. */
  private static final class Objective {
    private final List<TokenCloud[]> targets;
    private final Options o;
    private final int layers;
    int evaluations;

    Objective(List<TokenCloud[]> targets, Options o) {
      this.targets = targets;
      this.o = o;
      this.layers = targets.get(0).length;
    }

    double value(double logBeta, double logTau) {
      double v = residual(Math.exp(logBeta), Math.exp(logTau));
      return Double.isFinite(v) ? v : Double.MAX_VALUE;
    }

    double residual(double beta, double tau) {
      evaluations++;
      double total = 0;
      for (TokenCloud[] t : targets) {
        List<TokenCloud> sim = simulate(t[0], beta, tau);
        for (int l = 1; l < layers; l++) {
          total += meanSquaredDistance(sim.get(l), t[l]);
        }
      }
      return total / ((layers - 1) * (double) targets.size());
    }

    List<TokenCloud> simulate(TokenCloud start, double beta, double tau) {
      List<TokenCloud> states = new ArrayList<>();
      if (tau == 0) {
        for (int l = 0; l < layers; l++) {
          states.add(start);
        }
        return states;
      }
      int k = o.stepsPerLayer();
      SimulationParams p = new SimulationParams(Dynamics.SA, start.size(), start.dimension(), beta, tau / k,
          k * (layers - 1), Init.of(start), 0, Integrator.RK4, 0, k, 1, Interaction.IDENTITY);
      Simulator.run(p, o.threads(), f -> states.add(f.cloud()));
      return states;
    }

    Curves curves(double beta, double tau) {
      double[] res = new double[layers];
      double[] model = new double[layers];
      double[] fit = new double[layers];
      for (TokenCloud[] t : targets) {
        List<TokenCloud> sim = simulate(t[0], beta, tau);
        for (int l = 0; l < layers; l++) {
          res[l] += meanSquaredDistance(sim.get(l), t[l]) / targets.size();
          model[l] += MeanCosine.of(t[l]) / targets.size();
          fit[l] += MeanCosine.of(sim.get(l)) / targets.size();
        }
      }
      return new Curves(res, model, fit);
    }

    private static double meanSquaredDistance(TokenCloud a, TokenCloud b) {
      double s = 0;
      int n = a.size();
      int d = a.dimension();
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < d; k++) {
          double e = a.get(i, k) - b.get(i, k);
          s += e * e;
        }
      }
      return s / n;
    }
  }
}
