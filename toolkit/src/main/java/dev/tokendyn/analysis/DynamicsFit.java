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
import dev.tokendyn.transport.Cost;
import dev.tokendyn.transport.Transport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Fits the idealised SA dynamics (Q = K = V = I, Geshkovski et al.) to sequences of token clouds, one per
 * text, and says how far a transformer is from that flow, with honest uncertainty.
 *
 * <p>Every cloud is put on the unit sphere (y_i / |y_i|). Write S(x; beta, t) for the SA flow from x for
 * time t, simulated with {@code stepsPerLayer} RK4 steps a layer, and r(a, b) for the {@link Objective}'s
 * score of a simulated cloud a against a real one b:
 * <pre>
 *   positions  r = (1/n) sum_i |a_i - b_i|^2                      (Lagrangian: token by token)
 *   gram       r = (1/n^2) || A A^T - B B^T ||_F^2                (rotation-invariant)
 *   w2         r = W_2^2(a, b), uniform weights                    (Eulerian: the clouds only)
 * </pre>
 * <b>Global</b> parameters (one beta and one time per layer tau): the flow runs from each text's layer 0,
 * and R = sum_t sum_{l&gt;=1} r(S(y^0; beta, l tau), y^l) / sum_t sum_l r(y^0, y^l), the residual over that
 * of tokens that stay at layer 0. <b>Per layer</b> ({@link Options#perLayer()}): layer l's (beta_l, tau_l)
 * move the real layer l-1 (teacher forcing), R_l = sum_t r(S(y^{l-1}; beta_l, tau_l), y^l) / sum_t
 * r(y^{l-1}, y^l), so each layer is judged on its own step. {@code explained} = 1 - R.
 *
 * <p><b>Search.</b> A profile over beta (2 points an octave over the beta grid's range; at each beta the best
 * tau, by a scan of the tau grid refined by golden sections), then Nelder-Mead in (log beta, log tau) from
 * the profile's best point.
 *
 * <p><b>Identifiability.</b> The beta profile and a tau profile at the optimum: the flat range is the set of
 * grid values whose objective lies within {@link Options#flatTolerance()} of the minimum. A parameter whose
 * flat range reaches an end of its grid, or whose optimum lies outside the grid, is not identifiable: it is
 * reported with its flat range and no point estimate.
 *
 * <p><b>Intervals.</b> {@link Options#bootstrap()} resamples of the texts with replacement (seeded), each
 * refitted by Nelder-Mead from the full fit; percentile 95% intervals.
 *
 * <p><b>The ceiling of V = I.</b> The SA velocity P_x(sum_j A_ij x_j) lies in the span of the tokens, so a
 * flow from y^0 never leaves E = span(y^0) (per layer: span(y^{l-1})). The nearest point of E on the
 * sphere to a unit y is Pi_E y / |Pi_E y|, at squared distance 2 - 2 |Pi_E y|; so for positions (and for
 * w2, since every coupling sends each real token to points of E) no beta, tau or schedule can do better
 * than (1/n) sum_i (2 - 2 |Pi_E y_i|) per layer: {@code ceiling} = 1 - that sum / the static residual. For
 * gram the span bounds nothing (n points in their own n-dimensional span can take any Gram matrix of
 * unit vectors), and the ceiling is 1.
 *
 * <p><b>A fitted value matrix</b> ({@link Options#fitValue()}): per layer, with the attention A(beta) of
 * the real layer l-1 fixed, W_l = tau_l V_l is linear: the projected Euler step x_i -&gt; (x_i + P_i W z_i) /
 * |.| with z_i = sum_j A_ij x_j has the tangent displacement t_i = P_i y_i / (x_i . y_i) exactly, so
 * W_l = argmin sum_i |P_i W z_i - t_i|^2 + lambda |W|_F^2 (ridge lambda = ridge * mean |z_i|^2), solved by
 * conjugate gradients (in the dual, over the n tokens, when lambda &gt; 0). beta_l is the best of the beta
 * grid refined by golden sections; the residual is the positions residual of the one step. The time is
 * absorbed in W_l: only the product tau_l V_l is identifiable.
 *
 * <p>Deterministic: the same input and options give the same bits, whatever the thread count.
 */
public final class DynamicsFit {
  private DynamicsFit() {}

  /** How a simulated cloud is scored against a real one. */
  public enum Objective {
    /** Mean squared distance token by token (Lagrangian). */
    POSITIONS,
    /** Squared Frobenius distance of the Gram matrices, over n^2 (rotation-invariant). */
    GRAM,
    /** Squared 2-Wasserstein distance between the clouds (Eulerian). */
    W2
  }

  /**
   * Search settings.
   *
   * @param objective the score
   * @param perLayer one (beta, tau) per layer, each layer from the real previous one; else one pair for all
   * @param fitValue also fit a value matrix per layer
   * @param ridge the value fit's ridge, relative to mean |z|^2; 0 needs at least as many tokens as dimensions
   * @param stepsPerLayer RK4 steps per layer, &gt;= 1
   * @param betaGrid the beta range (its least and greatest values bound the profile)
   * @param tauGrid the tau values scanned at each beta; their range bounds tau
   * @param maxEvaluations Nelder-Mead evaluations after the profile
   * @param bootstrap resamples of the texts, &gt;= 0 (0: no intervals)
   * @param seed the resampling seed
   * @param flatTolerance the rise of R over its minimum that a profile must exceed to count as not flat
   * @param threads texts evaluated at once
   */
  public record Options(Objective objective, boolean perLayer, boolean fitValue, double ridge, int stepsPerLayer,
      double[] betaGrid, double[] tauGrid, int maxEvaluations, int bootstrap, long seed, double flatTolerance,
      int threads) {
    public Options {
      Objects.requireNonNull(objective, "objective");
      betaGrid = betaGrid.clone();
      tauGrid = tauGrid.clone();
      Arrays.sort(betaGrid);
      Arrays.sort(tauGrid);
      if (stepsPerLayer < 1) {
        throw new IllegalArgumentException("steps per layer must be >= 1, found " + stepsPerLayer);
      }
      if (betaGrid.length < 2 || tauGrid.length < 2) {
        throw new IllegalArgumentException("the beta and tau grids need at least two values each");
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
      if (!(ridge >= 0) || Double.isInfinite(ridge)) {
        throw new IllegalArgumentException("ridge must be finite and >= 0, found " + ridge);
      }
      if (maxEvaluations < 1) {
        throw new IllegalArgumentException("maxEvaluations must be >= 1, found " + maxEvaluations);
      }
      if (bootstrap < 0) {
        throw new IllegalArgumentException("bootstrap samples must be >= 0, found " + bootstrap);
      }
      if (!(flatTolerance > 0) || Double.isInfinite(flatTolerance)) {
        throw new IllegalArgumentException("flat tolerance must be finite and > 0, found " + flatTolerance);
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be >= 1, found " + threads);
      }
    }

    /**
     * Positions, global parameters, no value fit; beta in 0.25 .. 32 and tau in 0.01 .. 2, 10 RK4 steps a
     * layer, 120 evaluations, 20 bootstrap resamples from seed 1, flat tolerance 0.005.
     */
    public static Options defaults() {
      return new Options(Objective.POSITIONS, false, false, 0, 10, new double[] {0.25, 0.5, 1, 2, 4, 8, 16, 32},
          new double[] {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2}, 120, 20, 1, 0.005,
          Runtime.getRuntime().availableProcessors());
    }

    public Options withObjective(Objective o) {
      return new Options(o, perLayer, fitValue, ridge, stepsPerLayer, betaGrid, tauGrid, maxEvaluations, bootstrap,
          seed, flatTolerance, threads);
    }

    public Options withPerLayer(boolean p) {
      return new Options(objective, p, fitValue, ridge, stepsPerLayer, betaGrid, tauGrid, maxEvaluations, bootstrap,
          seed, flatTolerance, threads);
    }

    public Options withValue(boolean fit, double newRidge) {
      return new Options(objective, perLayer, fit, newRidge, stepsPerLayer, betaGrid, tauGrid, maxEvaluations,
          bootstrap, seed, flatTolerance, threads);
    }

    public Options withStepsPerLayer(int k) {
      return new Options(objective, perLayer, fitValue, ridge, k, betaGrid, tauGrid, maxEvaluations, bootstrap, seed,
          flatTolerance, threads);
    }

    public Options withBootstrap(int samples, long newSeed) {
      return new Options(objective, perLayer, fitValue, ridge, stepsPerLayer, betaGrid, tauGrid, maxEvaluations,
          samples, newSeed, flatTolerance, threads);
    }

    public Options withThreads(int t) {
      return new Options(objective, perLayer, fitValue, ridge, stepsPerLayer, betaGrid, tauGrid, maxEvaluations, bootstrap,
          seed, flatTolerance, t);
    }

    public Options withGrids(double[] betas, double[] taus) {
      return new Options(objective, perLayer, fitValue, ridge, stepsPerLayer, betas, taus, maxEvaluations, bootstrap,
          seed, flatTolerance, threads);
    }
  }

  /**
   * A fitted parameter.
   *
   * @param atMinimum where the objective is least (not an estimate unless identifiable)
   * @param identifiable whether the objective rises by more than the tolerance on both sides within the grid
   * @param ci the bootstrap 95% interval [lo, hi], or null without resamples
   * @param flatRange [lo, hi]: the grid values within the tolerance of the minimum
   */
  public record Parameter(double atMinimum, boolean identifiable, double[] ci, double[] flatRange) {
    /** The point estimate, or NaN when the parameter is not identifiable. */
    public double estimate() {
      return identifiable ? atMinimum : Double.NaN;
    }
  }

  /** R against beta: at each beta, the best tau and the objective there. */
  public record Profile(double[] beta, double[] objective, double[] time) {}

  /**
   * A value matrix fitted to one layer.
   *
   * @param beta the attention's beta
   * @param ridge the relative ridge; {@code lambda} = ridge * mean |z|^2
   * @param w tau_l V_l, d x d row-major
   * @param residual the one-step positions residual; {@code staticResidual} that of tokens that stay put
   */
  public record ValueFit(double beta, double ridge, double lambda, int d, double[] w, double residual,
      double staticResidual, int iterations) {
    public double explained() {
      return 1 - residual / staticResidual;
    }
  }

  /**
   * One layer's result (layer l &gt;= 1 is the transition into hidden state l).
   *
   * @param residual sum over texts of r at this layer; {@code staticResidual} the same for tokens that stay
   *     put (at layer 0 with global parameters, at layer l-1 per layer); {@code ceilingResidual} the span bound
   * @param profile per layer only: the layer's beta profile
   */
  public record Layer(int layer, Parameter beta, Parameter time, double residual, double staticResidual,
      double ceilingResidual, Profile profile, ValueFit value) {
    public double explained() {
      return 1 - residual / staticResidual;
    }

    public double ceiling() {
      return 1 - ceilingResidual / staticResidual;
    }
  }

  /**
   * The fit.
   *
   * @param layers layers 1..L-1 of the sequences (the transitions)
   * @param beta the global beta, or null per layer
   * @param time the global time per layer, or null per layer
   * @param residual the total residual; {@code staticResidual} its scale; {@code ceilingResidual} its span bound
   * @param explainedCi the bootstrap 95% interval of the explained fraction, or null
   * @param profile the global beta profile, or null per layer
   * @param modelMeanCosine [l]: mean cosine of the real layer, averaged over texts
   * @param fitMeanCosine [l]: the same of the simulated states (per layer: one step from the real previous)
   */
  public record Result(Options options, int texts, List<Layer> layers, Parameter beta, Parameter time, double residual,
      double staticResidual, double ceilingResidual, double[] explainedCi, Profile profile, int evaluations,
      double[] modelMeanCosine, double[] fitMeanCosine) {
    /** 1 - residual / static residual. */
    public double explained() {
      return 1 - residual / staticResidual;
    }

    /** The best explained fraction a V = I flow can reach. */
    public double ceiling() {
      return 1 - ceilingResidual / staticResidual;
    }

    /** Whether every fitted beta and time is identifiable. */
    public boolean identifiable() {
      return layers.stream().allMatch(l -> l.beta().identifiable() && l.time().identifiable());
    }
  }

  /** Fits one sequence. */
  public static Result fit(CloudSequence seq, Options o) {
    return fit(List.of(seq), o);
  }

  /**
   * Fits several sequences (one per text; tokens of different texts do not interact).
   *
   * @throws IllegalArgumentException when a sequence has fewer than 2 clouds, the sequences differ in layers
   *     or width, or a value fit without a ridge has fewer tokens than dimensions
   */
  public static Result fit(List<CloudSequence> seqs, Options o) {
    Data data = Data.of(seqs);
    if (o.fitValue() && o.ridge() == 0 && data.tokens < data.d) {
      throw new IllegalArgumentException("a value fit with " + data.tokens + " tokens in d = " + data.d
          + " dimensions needs a ridge: V has d^2 = " + (long) data.d * data.d + " unknowns and sum_i z_i z_i^T has rank"
          + " at most " + data.tokens + " < d, so V is not determined; give --ridge R > 0 (relative to the mean"
          + " |z|^2, for example 1e-3) or more texts");
    }
    return new Fitter(data, o).run();
  }

  /** The sequences on the unit sphere, as flat arrays: y[t][l] is text t's layer l, n_t x d. */
  private record Data(double[][][] y, int[] n, int d, int layers, int tokens) {
    static Data of(List<CloudSequence> seqs) {
      if (seqs.isEmpty()) {
        throw new IllegalArgumentException("the fit needs at least one sequence, found none");
      }
      int layers = seqs.get(0).size();
      int d = seqs.get(0).cloud(0).dimension();
      double[][][] y = new double[seqs.size()][][];
      int[] n = new int[seqs.size()];
      int tokens = 0;
      for (int s = 0; s < seqs.size(); s++) {
        CloudSequence q = seqs.get(s);
        if (q.size() < 2) {
          throw new IllegalArgumentException("sequence " + s + " has " + q.size() + " cloud(s); the fit needs at least 2");
        }
        if (q.size() != layers) {
          throw new IllegalArgumentException("sequence " + s + " has " + q.size() + " clouds but sequence 0 has " + layers);
        }
        q.requireSameShape();
        if (q.cloud(0).dimension() != d) {
          throw new IllegalArgumentException("sequence " + s + " has width " + q.cloud(0).dimension() + " but sequence 0 has "
              + d);
        }
        if (d < 2) {
          throw new IllegalArgumentException("the fit needs dimension >= 2, found " + d);
        }
        y[s] = new double[layers][];
        for (int l = 0; l < layers; l++) {
          y[s][l] = q.cloud(l).normalizedToSphere().toFlatArray();
        }
        n[s] = q.cloud(0).size();
        tokens += n[s];
      }
      return new Data(y, n, d, layers, tokens);
    }
  }

  /** One fit's state: the data, the options and the count of evaluations. */
  private static final class Fitter {
    private final Data data;
    private final Options o;
    private final int texts;
    private final java.util.concurrent.atomic.AtomicInteger evaluations = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.ForkJoinPool pool;

    Fitter(Data data, Options o) {
      this.data = data;
      this.o = o;
      this.texts = data.y.length;
      this.pool = o.threads() > 1 ? new java.util.concurrent.ForkJoinPool(o.threads()) : null;
    }

    Result run() {
      try {
        return o.perLayer() ? perLayer() : global();
      } finally {
        if (pool != null) {
          pool.shutdown();
        }
      }
    }

    private double[] uniform() {
      double[] w = new double[texts];
      Arrays.fill(w, 1);
      return w;
    }

    /** sum over texts with weight w of f(t), the texts evaluated on the pool, summed in order. */
    private double sum(double[] w, java.util.function.IntToDoubleFunction f) {
      double[] parts = new double[texts];
      IntStream idx = IntStream.range(0, texts).filter(t -> w[t] > 0);
      if (pool != null) {
        try {
          pool.submit(() -> idx.parallel().forEach(t -> parts[t] = w[t] * f.applyAsDouble(t))).get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
      } else {
        idx.forEach(t -> parts[t] = w[t] * f.applyAsDouble(t));
      }
      double s = 0;
      for (double p : parts) {
        s += p;
      }
      return s;
    }

    /**
     * A start cloud in coordinates of its own span: a V = I flow never leaves span(x), and inner products
     * are all it depends on, so it runs in r = rank(x) &lt;= n dimensions instead of d, exactly. Targets are
     * split into their part in the span (coordinates) and the squared norm of the rest, which no flow from
     * x can reduce and which adds to positions and W2 scores as a constant.
     *
     * @param r the span's dimension (at least 2, the simulator's least)
     * @param start x in span coordinates, n x r
     * @param target [l]: layer l's tokens in span coordinates, n x r, where needed
     * @param perp [l]: (1/n) sum_i |y_i - Pi y_i|^2
     * @param gram [l]: layer l's Gram matrix, n x n (gram objective only)
     */
    private record Span(int r, double[] start, double[][] target, double[] perp, double[][] gram) {}

    private Span span(int t, int from, int firstTarget, int lastTarget) {
      int n = data.n[t];
      int d = data.d;
      double[] x = data.y[t][from];
      List<double[]> basis = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double[] v = Arrays.copyOfRange(x, i * d, (i + 1) * d);
        for (int pass = 0; pass < 2; pass++) {
          for (double[] q : basis) {
            double c = 0;
            for (int k = 0; k < d; k++) {
              c += q[k] * v[k];
            }
            for (int k = 0; k < d; k++) {
              v[k] -= c * q[k];
            }
          }
        }
        double norm = 0;
        for (double e : v) {
          norm += e * e;
        }
        norm = Math.sqrt(norm);
        if (norm > 1e-9) {
          for (int k = 0; k < d; k++) {
            v[k] /= norm;
          }
          basis.add(v);
        }
      }
      while (basis.size() < 2) {
        // a padding direction orthogonal to the rest: the flow never moves along it
        double[] v = new double[d];
        for (int k = 0; k < d && basis.size() < 2; k++) {
          java.util.Arrays.fill(v, 0);
          v[k] = 1;
          for (double[] q : basis) {
            double c = q[k];
            for (int j = 0; j < d; j++) {
              v[j] -= c * q[j];
            }
          }
          double norm = 0;
          for (double e : v) {
            norm += e * e;
          }
          if (norm > 1e-6) {
            norm = Math.sqrt(norm);
            double[] u = new double[d];
            for (int j = 0; j < d; j++) {
              u[j] = v[j] / norm;
            }
            basis.add(u);
          }
        }
      }
      int r = basis.size();
      double[][] target = new double[data.layers][];
      double[] perp = new double[data.layers];
      double[][] gram = new double[data.layers][];
      double[] start = coordinates(x, n, basis);
      for (int l = firstTarget; l <= lastTarget; l++) {
        double[] y = data.y[t][l];
        double[] c = coordinates(y, n, basis);
        target[l] = c;
        double rest = 0;
        for (int i = 0; i < n; i++) {
          double whole = 0;
          double in = 0;
          for (int k = 0; k < d; k++) {
            whole += y[i * d + k] * y[i * d + k];
          }
          for (int k = 0; k < r; k++) {
            in += c[i * r + k] * c[i * r + k];
          }
          rest += Math.max(0, whole - in);
        }
        perp[l] = rest / n;
        if (o.objective() == Objective.GRAM) {
          double[] g = new double[n * n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              double dot = 0;
              for (int k = 0; k < d; k++) {
                dot += y[i * d + k] * y[j * d + k];
              }
              g[i * n + j] = dot;
            }
          }
          gram[l] = g;
        }
      }
      return new Span(r, start, target, perp, gram);
    }

    private static double[] coordinates(double[] y, int n, List<double[]> basis) {
      int r = basis.size();
      int d = basis.get(0).length;
      double[] c = new double[n * r];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < r; k++) {
          double[] q = basis.get(k);
          double dot = 0;
          for (int j = 0; j < d; j++) {
            dot += q[j] * y[i * d + j];
          }
          c[i * r + k] = dot;
        }
      }
      return c;
    }

    /** The flow from the span's start for layersOut layers of tau, in span coordinates. */
    private double[][] simulate(Span sp, int n, double beta, double tau, int layersOut) {
      return simulate(sp.start, n, sp.r, beta, tau, layersOut);
    }

    /** r(a, y^l) for a simulated state a in span coordinates. */
    private double score(double[] a, Span sp, int l, int n) {
      int r = sp.r;
      switch (o.objective()) {
        case POSITIONS: {
          double[] b = sp.target[l];
          double s = 0;
          for (int i = 0; i < n * r; i++) {
            double e = a[i] - b[i];
            s += e * e;
          }
          return s / n + sp.perp[l];
        }
        case GRAM: {
          double[] g = sp.gram[l];
          double s = 0;
          for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
              double ga = 0;
              for (int k = 0; k < r; k++) {
                ga += a[i * r + k] * a[j * r + k];
              }
              double e = ga - g[i * n + j];
              s += 2 * e * e;
            }
          }
          return s / ((double) n * n);
        }
        default:
          return Math.max(0, Transport.exact(TokenCloud.ofFlat(n, r, a), TokenCloud.ofFlat(n, r, sp.target[l]),
              Cost.SQEUCLIDEAN).value()) + sp.perp[l];
      }
    }

    /** States at times 0, tau, ..., k tau from x (unit rows), flat arrays. */
    private double[][] simulate(double[] x, int n, int dim, double beta, double tau, int layersOut) {
      double[][] out = new double[layersOut + 1][];
      out[0] = x;
      if (tau == 0 || layersOut == 0) {
        for (int l = 1; l <= layersOut; l++) {
          out[l] = x;
        }
        return out;
      }
      int k = o.stepsPerLayer();
      SimulationParams p = new SimulationParams(Dynamics.SA, n, dim, beta, tau / k, k * layersOut,
          Init.of(TokenCloud.ofFlat(n, dim, x)), 0, Integrator.RK4, 0, k, 1, Interaction.IDENTITY);
      int[] i = {0};
      Simulator.run(p, 1, f -> out[i[0]++] = f.cloud().toFlatArray());
      return out;
    }

    private double score(double[] a, double[] b, int n) {
      int d = data.d;
      switch (o.objective()) {
        case POSITIONS: {
          double s = 0;
          for (int i = 0; i < n * d; i++) {
            double e = a[i] - b[i];
            s += e * e;
          }
          return s / n;
        }
        case GRAM: {
          double s = 0;
          for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
              double ga = 0;
              double gb = 0;
              for (int k = 0; k < d; k++) {
                ga += a[i * d + k] * a[j * d + k];
                gb += b[i * d + k] * b[j * d + k];
              }
              double e = ga - gb;
              s += 2 * e * e;
            }
          }
          return s / ((double) n * n);
        }
        default:
          return Math.max(0, Transport.exact(TokenCloud.ofFlat(n, d, a), TokenCloud.ofFlat(n, d, b), Cost.SQEUCLIDEAN)
              .value());
      }
    }

    /** (1/n) sum_i (2 - 2 |Pi_E y_i|), E the span of the rows of e (the span bound); 0 for gram. */
    private double ceiling(double[] e, double[] y, int n) {
      if (o.objective() == Objective.GRAM) {
        return 0;
      }
      int d = data.d;
      List<double[]> basis = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        double[] v = Arrays.copyOfRange(e, i * d, (i + 1) * d);
        for (int pass = 0; pass < 2; pass++) {
          for (double[] q : basis) {
            double c = 0;
            for (int k = 0; k < d; k++) {
              c += q[k] * v[k];
            }
            for (int k = 0; k < d; k++) {
              v[k] -= c * q[k];
            }
          }
        }
        double norm = 0;
        for (double x : v) {
          norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 1e-9) {
          for (int k = 0; k < d; k++) {
            v[k] /= norm;
          }
          basis.add(v);
        }
      }
      double s = 0;
      for (int i = 0; i < n; i++) {
        double p = 0;
        for (double[] q : basis) {
          double c = 0;
          for (int k = 0; k < d; k++) {
            c += q[k] * y[i * d + k];
          }
          p += c * c;
        }
        s += 2 - 2 * Math.sqrt(Math.min(1, p));
      }
      return s / n;
    }

    // ---------------------------------------------------------------- global parameters

    /** Per-layer residuals of text t at (beta, tau), rolled out from layer 0. */
    private Span[] globalSpans;

    private double[] rollout(int t, double beta, double tau) {
      Span sp = globalSpans[t];
      double[][] s = simulate(sp, data.n[t], beta, tau, data.layers - 1);
      double[] r = new double[data.layers];
      for (int l = 1; l < data.layers; l++) {
        r[l] = score(s[l], sp, l, data.n[t]);
      }
      return r;
    }

    private double[] staticGlobal(int t) {
      double[] r = new double[data.layers];
      for (int l = 1; l < data.layers; l++) {
        r[l] = score(data.y[t][0], data.y[t][l], data.n[t]);
      }
      return r;
    }

    private static double total(double[] r) {
      double s = 0;
      for (double x : r) {
        s += x;
      }
      return s;
    }

    private Result global() {
      double[] w = uniform();
      globalSpans = new Span[texts];
      for (int t = 0; t < texts; t++) {
        globalSpans[t] = span(t, 0, 1, data.layers - 1);
      }
      double[][] stat = new double[texts][];
      for (int t = 0; t < texts; t++) {
        stat[t] = staticGlobal(t);
      }
      Objective2 f = (weights, lb, lt) -> {
        evaluations.incrementAndGet();
        double beta = Math.exp(lb);
        double tau = Math.exp(lt);
        double res = sum(weights, t -> total(rollout(t, beta, tau)));
        double st = 0;
        for (int t = 0; t < texts; t++) {
          st += weights[t] * total(stat[t]);
        }
        return st > 0 ? res / st : res;
      };
      Search s = search(f, w);
      double beta = Math.exp(s.best[0]);
      double tau = Math.exp(s.best[1]);
      // bootstrap
      double[][] boot = bootstrap(f, s.best, 60);
      double[] betaCi = ci(boot, 0);
      double[] tauCi = ci(boot, 1);
      double[] explainedCi = ci(boot, 2);
      Parameter pb = new Parameter(beta, s.betaIdentifiable, betaCi, s.betaFlat);
      Parameter pt = new Parameter(tau, s.tauIdentifiable, tauCi, s.tauFlat);
      // per-layer numbers at the optimum
      double[] res = new double[data.layers];
      double[] st = new double[data.layers];
      double[] ceil = new double[data.layers];
      double[] model = new double[data.layers];
      double[] fit = new double[data.layers];
      for (int t = 0; t < texts; t++) {
        Span sp = globalSpans[t];
        double[][] sim = simulate(sp, data.n[t], beta, tau, data.layers - 1);
        for (int l = 0; l < data.layers; l++) {
          if (l >= 1) {
            res[l] += score(sim[l], sp, l, data.n[t]);
            st[l] += stat[t][l];
            ceil[l] += ceiling(data.y[t][0], data.y[t][l], data.n[t]);
          }
          model[l] += meanCosine(data.y[t][l], data.n[t], data.d) / texts;
          fit[l] += meanCosine(sim[l], data.n[t], sp.r) / texts;
        }
      }
      List<Layer> layers = new ArrayList<>();
      ValueFit[] values = o.fitValue() ? values() : null;
      for (int l = 1; l < data.layers; l++) {
        layers.add(new Layer(l, pb, pt, res[l], st[l], ceil[l], null, values == null ? null : values[l]));
      }
      return new Result(o, texts, layers, pb, pt, total(res), total(st), total(ceil), explainedCi, s.profile,
          evaluations.get(), model, fit);
    }

    // ---------------------------------------------------------------- per layer

    private double stepResidual(Span sp, int t, int l, double beta, double tau) {
      double[][] s = simulate(sp, data.n[t], beta, tau, 1);
      return score(s[1], sp, l, data.n[t]);
    }

    private Result perLayer() {
      double[] w = uniform();
      List<Layer> layers = new ArrayList<>();
      double[] model = new double[data.layers];
      double[] fit = new double[data.layers];
      for (int t = 0; t < texts; t++) {
        model[0] += meanCosine(data.y[t][0], data.n[t], data.d) / texts;
        fit[0] += meanCosine(data.y[t][0], data.n[t], data.d) / texts;
      }
      ValueFit[] values = o.fitValue() ? values() : null;
      double[][] bootExplained = new double[data.layers][];
      double[][] bootStatic = new double[data.layers][];
      double res = 0;
      double st = 0;
      double ceil = 0;
      for (int l = 1; l < data.layers; l++) {
        int layer = l;
        double[] stat = new double[texts];
        Span[] spans = new Span[texts];
        for (int t = 0; t < texts; t++) {
          stat[t] = score(data.y[t][l - 1], data.y[t][l], data.n[t]);
          spans[t] = span(t, l - 1, l, l);
        }
        Objective2 f = (weights, lb, lt) -> {
          evaluations.incrementAndGet();
          double beta = Math.exp(lb);
          double tau = Math.exp(lt);
          double r = sum(weights, t -> stepResidual(spans[t], t, layer, beta, tau));
          double s = 0;
          for (int t = 0; t < texts; t++) {
            s += weights[t] * stat[t];
          }
          return s > 0 ? r / s : r;
        };
        Search s = search(f, w);
        double beta = Math.exp(s.best[0]);
        double tau = Math.exp(s.best[1]);
        double[][] boot = bootstrap(f, s.best, 40);
        double lr = 0;
        double ls = 0;
        double lc = 0;
        for (int t = 0; t < texts; t++) {
          double[][] sim = simulate(spans[t], data.n[t], beta, tau, 1);
          lr += score(sim[1], spans[t], l, data.n[t]);
          ls += stat[t];
          lc += ceiling(data.y[t][l - 1], data.y[t][l], data.n[t]);
          model[l] += meanCosine(data.y[t][l], data.n[t], data.d) / texts;
          fit[l] += meanCosine(sim[1], data.n[t], spans[t].r) / texts;
        }
        res += lr;
        st += ls;
        ceil += lc;
        if (boot != null) {
          double[][] ws = resamples();
          bootExplained[l] = new double[boot.length];
          bootStatic[l] = new double[boot.length];
          for (int b = 0; b < boot.length; b++) {
            double sw = 0;
            for (int t = 0; t < texts; t++) {
              sw += ws[b][t] * stat[t];
            }
            bootExplained[l][b] = boot[b][2] * sw; // the resample's residual at its own optimum
            bootStatic[l][b] = sw;
          }
        }
        layers.add(new Layer(l, new Parameter(beta, s.betaIdentifiable, ci(boot, 0), s.betaFlat),
            new Parameter(tau, s.tauIdentifiable, ci(boot, 1), s.tauFlat), lr, ls, lc, s.profile,
            values == null ? null : values[l]));
      }
      double[] explainedCi = null;
      if (o.bootstrap() > 0) {
        double[] e = new double[o.bootstrap()];
        for (int b = 0; b < e.length; b++) {
          double r = 0;
          double s = 0;
          for (int l = 1; l < data.layers; l++) {
            r += bootExplained[l][b];
            s += bootStatic[l][b];
          }
          e[b] = 1 - r / s;
        }
        explainedCi = percentiles(e);
      }
      return new Result(o, texts, layers, null, null, res, st, ceil, explainedCi, null, evaluations.get(), model, fit);
    }

    // ---------------------------------------------------------------- search

    /** R(weights, log beta, log tau). */
    private interface Objective2 {
      double value(double[] weights, double logBeta, double logTau);
    }

    private record Search(double[] best, Profile profile, boolean betaIdentifiable, double[] betaFlat,
        boolean tauIdentifiable, double[] tauFlat) {}

    /**
     * f inside the search box (the ranges of the beta and tau grids); outside, f at the nearest point of the
     * box plus the distance to it, so that Nelder-Mead stays in the box and an optimum beyond it shows as
     * one on its edge.
     */
    private Objective2 boxed(Objective2 f) {
      double lbLo = Math.log(o.betaGrid()[0]);
      double lbHi = Math.log(o.betaGrid()[o.betaGrid().length - 1]);
      double ltLo = Math.log(o.tauGrid()[0]);
      double ltHi = Math.log(o.tauGrid()[o.tauGrid().length - 1]);
      return (w, lb, lt) -> {
        double cb = Math.max(lbLo, Math.min(lbHi, lb));
        double ct = Math.max(ltLo, Math.min(ltHi, lt));
        return f.value(w, cb, ct) + Math.abs(lb - cb) + Math.abs(lt - ct);
      };
    }

    private double[] clamp(double[] x) {
      return new double[] {Math.max(Math.log(o.betaGrid()[0]), Math.min(Math.log(o.betaGrid()[o.betaGrid().length - 1]),
          x[0])), Math.max(Math.log(o.tauGrid()[0]), Math.min(Math.log(o.tauGrid()[o.tauGrid().length - 1]), x[1]))};
    }

    /** Whether x lies inside (lo, hi), away from both edges by more than Nelder-Mead's resolution. */
    private static boolean inside(double x, double lo, double hi) {
      return x > lo + 1e-3 && x < hi - 1e-3;
    }

    private Search search(Objective2 raw, double[] w) {
      Objective2 f = boxed(raw);
      double lbLo = Math.log(o.betaGrid()[0]);
      double lbHi = Math.log(o.betaGrid()[o.betaGrid().length - 1]);
      double ltLo = Math.log(o.tauGrid()[0]);
      double ltHi = Math.log(o.tauGrid()[o.tauGrid().length - 1]);
      int points = Math.max(2, (int) Math.round(2 * (lbHi - lbLo) / Math.log(2)) + 1);
      double[] pb = new double[points];
      double[] pv = new double[points];
      double[] pt = new double[points];
      for (int i = 0; i < points; i++) {
        double lb = lbLo + (lbHi - lbLo) * i / (points - 1);
        double[] best = bestTau(f, w, lb, ltLo, ltHi);
        pb[i] = i == 0 ? o.betaGrid()[0] : i == points - 1 ? o.betaGrid()[o.betaGrid().length - 1] : Math.exp(lb);
        pt[i] = Math.exp(best[0]);
        pv[i] = best[1];
      }
      int bi = argmin(pv);
      double[] start = {Math.log(pb[bi]), Math.log(pt[bi])};
      double[] best = clamp(nelderMead((lb, lt) -> f.value(w, lb, lt), start, Math.log(2) / 2, o.maxEvaluations()));
      double bestValue = Math.min(f.value(w, best[0], best[1]), pv[bi]);
      if (f.value(w, best[0], best[1]) > pv[bi]) {
        best = start;
      }
      double tol = o.flatTolerance();
      double[] betaFlat = flat(pb, pv, bestValue, tol);
      boolean betaOk = betaFlat[0] > pb[0] && betaFlat[1] < pb[points - 1] && inside(best[0], lbLo, lbHi);
      // tau profile at the best beta
      int tp = Math.max(2, (int) Math.round(2 * (ltHi - ltLo) / Math.log(2)) + 1);
      double[] tt = new double[tp];
      double[] tv = new double[tp];
      for (int i = 0; i < tp; i++) {
        double lt = ltLo + (ltHi - ltLo) * i / (tp - 1);
        tt[i] = i == 0 ? o.tauGrid()[0] : i == tp - 1 ? o.tauGrid()[o.tauGrid().length - 1] : Math.exp(lt);
        tv[i] = f.value(w, best[0], lt);
      }
      double[] tauFlat = flat(tt, tv, Math.min(bestValue, tv[argmin(tv)]), tol);
      boolean tauOk = tauFlat[0] > tt[0] && tauFlat[1] < tt[tp - 1] && inside(best[1], ltLo, ltHi);
      return new Search(best, new Profile(pb, pv, pt), betaOk, betaFlat, tauOk, tauFlat);
    }

    /** [log tau, R] of the best tau at this beta: a scan of the tau grid, then golden sections. */
    private double[] bestTau(Objective2 f, double[] w, double lb, double ltLo, double ltHi) {
      double[] grid = o.tauGrid();
      double[] v = new double[grid.length];
      for (int i = 0; i < grid.length; i++) {
        v[i] = f.value(w, lb, Math.log(grid[i]));
      }
      int i = argmin(v);
      double a = Math.log(grid[Math.max(0, i - 1)]);
      double b = Math.log(grid[Math.min(grid.length - 1, i + 1)]);
      double g = (Math.sqrt(5) - 1) / 2;
      double c = b - g * (b - a);
      double d = a + g * (b - a);
      double fc = f.value(w, lb, c);
      double fd = f.value(w, lb, d);
      for (int it = 0; it < 8; it++) {
        if (fc < fd) {
          b = d;
          d = c;
          fd = fc;
          c = b - g * (b - a);
          fc = f.value(w, lb, c);
        } else {
          a = c;
          c = d;
          fc = fd;
          d = a + g * (b - a);
          fd = f.value(w, lb, d);
        }
      }
      double lt = fc < fd ? c : d;
      double best = Math.min(fc, fd);
      if (v[i] <= best) {
        return new double[] {Math.log(grid[i]), v[i]};
      }
      return new double[] {Math.max(ltLo, Math.min(ltHi, lt)), best};
    }

    /** [lo, hi] of the x whose value is within tol of the minimum. */
    private static double[] flat(double[] x, double[] v, double min, double tol) {
      double lo = Double.NaN;
      double hi = Double.NaN;
      for (int i = 0; i < x.length; i++) {
        if (v[i] <= min + tol) {
          lo = Double.isNaN(lo) ? x[i] : Math.min(lo, x[i]);
          hi = Double.isNaN(hi) ? x[i] : Math.max(hi, x[i]);
        }
      }
      if (Double.isNaN(lo)) {
        int i = argmin(v);
        lo = x[i];
        hi = x[i];
      }
      return new double[] {lo, hi};
    }

    private static int argmin(double[] v) {
      int b = 0;
      for (int i = 1; i < v.length; i++) {
        if (v[i] < v[b]) {
          b = i;
        }
      }
      return b;
    }

    /** The resamples' weights: [sample][text], the number of times each text is drawn; the same for every layer. */
    private double[][] resamples() {
      SplittableRandom rng = new SplittableRandom(o.seed());
      double[][] out = new double[o.bootstrap()][texts];
      for (double[] w : out) {
        for (int i = 0; i < texts; i++) {
          w[rng.nextInt(texts)]++;
        }
      }
      return out;
    }

    /** [sample][beta, tau, R] of each resample, refitted from {@code start}; null without resamples. */
    private double[][] bootstrap(Objective2 raw, double[] start, int maxEval) {
      if (o.bootstrap() == 0) {
        return null;
      }
      Objective2 f = boxed(raw);
      double[][] ws = resamples();
      double[][] out = new double[ws.length][];
      for (int b = 0; b < out.length; b++) {
        double[] w = ws[b];
        // a resample moves the optimum by far more than 0.1%: a looser stop than the fit's own
        double[] x = clamp(nelderMead((lb, lt) -> f.value(w, lb, lt), start, Math.log(2) / 4, maxEval, 1e-3));
        out[b] = new double[] {Math.exp(x[0]), Math.exp(x[1]), f.value(w, x[0], x[1])};
      }
      return out;
    }

    private static double[] ci(double[][] boot, int column) {
      if (boot == null) {
        return null;
      }
      double[] v = new double[boot.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = column == 2 ? 1 - boot[i][2] : boot[i][column];
      }
      return percentiles(v);
    }

    /** The 2.5% and 97.5% percentiles (linear interpolation between order statistics). */
    private static double[] percentiles(double[] v) {
      double[] s = v.clone();
      Arrays.sort(s);
      return new double[] {quantile(s, 0.025), quantile(s, 0.975)};
    }

    private static double quantile(double[] sorted, double q) {
      double pos = q * (sorted.length - 1);
      int i = (int) Math.floor(pos);
      int j = Math.min(sorted.length - 1, i + 1);
      return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    private static double meanCosine(double[] x, int n, int dim) {
      return MeanCosine.of(TokenCloud.ofFlat(n, dim, x));
    }

    // ---------------------------------------------------------------- value matrices

    private ValueFit[] values() {
      ValueFit[] out = new ValueFit[data.layers];
      for (int l = 1; l < data.layers; l++) {
        out[l] = ValueSolver.fit(data.y, data.n, data.d, l, o.betaGrid(), o.ridge());
      }
      return out;
    }
  }

  /** Simplex search in 2-D from x0 with initial step h; returns the best vertex. */
  static double[] nelderMead(java.util.function.DoubleBinaryOperator f, double[] x0, double h, int maxEval) {
    return nelderMead(f, x0, h, maxEval, 1e-5);
  }

  /** As above, stopping when the simplex is smaller than {@code tol} in (log beta, log tau). */
  static double[] nelderMead(java.util.function.DoubleBinaryOperator f, double[] x0, double h, int maxEval,
      double tol) {
    double[][] s = {x0.clone(), {x0[0] + h, x0[1]}, {x0[0], x0[1] + h}};
    double[] v = new double[3];
    for (int i = 0; i < 3; i++) {
      v[i] = finite(f.applyAsDouble(s[i][0], s[i][1]));
    }
    int used = 3;
    while (used < maxEval) {
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
      if (size < tol) {
        break;
      }
      double[] c = {(s[0][0] + s[1][0]) / 2, (s[0][1] + s[1][1]) / 2};
      double[] r = {2 * c[0] - s[2][0], 2 * c[1] - s[2][1]};
      double vr = finite(f.applyAsDouble(r[0], r[1]));
      used++;
      if (vr < v[0]) {
        double[] e = {3 * c[0] - 2 * s[2][0], 3 * c[1] - 2 * s[2][1]};
        double ve = finite(f.applyAsDouble(e[0], e[1]));
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
        double vk = finite(f.applyAsDouble(k[0], k[1]));
        used++;
        if (vk < Math.min(vr, v[2])) {
          s[2] = k;
          v[2] = vk;
        } else {
          for (int i = 1; i < 3; i++) {
            s[i] = new double[] {(s[i][0] + s[0][0]) / 2, (s[i][1] + s[0][1]) / 2};
            v[i] = finite(f.applyAsDouble(s[i][0], s[i][1]));
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

  private static double finite(double v) {
    return Double.isFinite(v) ? v : Double.MAX_VALUE;
  }
}
