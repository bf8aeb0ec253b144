package dev.tokendyn.transport;

import dev.tokendyn.kernel.ArrayOps;
import dev.tokendyn.kernel.MatrixProduct;
import dev.tokendyn.kernel.VectorMath;
import java.util.Arrays;

/**
 * Newton's method on the dual of entropic optimal transport, to finish ("polish") a Sinkhorn solve whose
 * linear convergence has stalled, as it does at small eps (Brauer, Clason, Lorenz and Wirth, A Sinkhorn-Newton
 * method for entropic optimal transport, 2017).
 *
 * <p>Conventions are POT's and {@link Sinkhorn}'s: the plan of potentials f, g is P_ij = exp((f_i + g_j -
 * M_ij) / eps); it solves min &lt;P, M&gt; + eps sum_ij P_ij log P_ij subject to P 1 = a, P^T 1 = b; the
 * marginal error is an L2 norm, here the larger of ||P 1 - a|| and ||P^T 1 - b||.
 *
 * <p>Method. The dual D(f, g) = &lt;f, a&gt; + &lt;g, b&gt; - eps sum_ij P_ij is maximised. Its Hessian,
 * -(1/eps) [[diag(r), P], [P^T, diag(c)]] with r = P 1 and c = P^T 1, is reduced to the smaller side, say
 * the columns (otherwise the problem is transposed). The exact row update f_i = eps log a_i - eps
 * LSE_j((g_j - M_ij) / eps) makes r = a and D a function of g alone, concave, with gradient b - c and Hessian
 * -S / eps, where S = diag(c) - P^T diag(1/r) P is the Schur complement. Each step is one Sinkhorn iteration
 * (exact column update, then row update), which corrects columns whose mass is off by large factors, then a
 * Newton step: (S + mu diag(c)) dg = eps (b - c). S is the Laplacian of the graph on the columns with weights
 * G_jk = sum_i P_ij P_ik / r_i, and it is formed as one, S_jj = sum_{k != j} G_jk, so that no diagonal entry
 * is a difference of nearly equal numbers when the plan is close to a permutation, as at small eps. Its null
 * vector 1 is the gauge (f + k, g - k) of the dual: the column of largest S_jj is held fixed, which leaves a
 * positive definite system when the graph is connected. The Levenberg-Marquardt term mu diag(c), mu = theta
 * times the relative marginal error but at least 1e-12, shortens the step in directions of small curvature
 * far from the optimum, keeps the system regular when underflowed entries cut the graph apart, and vanishes
 * near the optimum; theta follows the ratio of D's actual to predicted rise (divided by 4 above 0.75,
 * multiplied by 4 below 0.25 or after backtracking).
 *
 * <p>Line search. Backtracking from t = 1 on g + t dg accepts the first t at which D rises by at least 1e-4 t
 * times its directional derivative (Armijo) or, once that rise is below D's rounding (near the optimum), at
 * which the marginal error falls by the factor 1 - 1e-4 t. A full step is then doubled, up to t = 256, while
 * the error keeps falling: where the plan is degenerate (uniform weights, n = m or n:m a small ratio) the
 * exact potentials sit where exponentially small cross flows between blocks of the plan balance, and along
 * such directions a Newton step moves g by about eps only, reducing the error there by a factor e. The
 * iteration stops at stopThr, at maxSteps, or when no step passes (no progress, as at the rounding floor);
 * it returns the iterate of lowest error.
 *
 * <p>Linear algebra. Up to {@link #DIRECT_LIMIT} columns, S is formed and factored by dense Cholesky:
 * G = Q^T Q with Q = diag(r)^-1/2 P costs n m^2 / 2 multiply-adds, in 4 x 4 tiles of vector dot products,
 * the blocked factorisation m^3 / 6 (n = m = 1000: about 0.03 s and 0.02 s on two cores). Above, the system
 * is solved by conjugate gradients with a Jacobi preconditioner, each product with S two passes over P, to
 * the relative residual min(0.1, sqrt(error / ||b||)) (inexact Newton, superlinear), in at most 10 m
 * products. The limit is measured: conjugate gradients need some 30 products per step for n = m = 1000 in
 * d = 64 (two to three times faster than the factorisation there), but several hundred when n != m or d is
 * small (1000 x 700 in d = 128: ten times slower), while the factorisation's cost is fixed. Besides, a step
 * costs about six passes over the n x m plan, each n m exponentials.
 *
 * <p>Convergence. From potentials with a marginal error of 1e-3 ||b|| or less at the target eps, as a Sinkhorn
 * run that has stalled there leaves them, a handful of steps reach 1e-9 (2 to 8 in the tests, down to eps =
 * 1e-4 times the median cost). From potentials far from the target, such as those of Sinkhorn's
 * epsilon-scaling stopped at a larger eps, the first steps make slow progress: 20 steps were measured for
 * n = m = 1000 at eps = 1e-4 times the median cost after 200 Sinkhorn iterations, 60 for a 200 x 150 problem
 * with random weights, and more at eps = 1e-5 times the median cost.
 *
 * <p>Stability. Every plan entry is computed as exp of a non-positive number, shifted by the largest exponent
 * of its row (or column, in the column update), and the row's mass is set afterwards; nothing overflows, an
 * exponent below -700 is held there ({@link VectorMath#exp}), and a trial point whose potentials run away
 * only has a lower D and is rejected. Tested down to eps = 1e-5 times the median cost.
 *
 * <p>Determinism. Rows are processed in parallel in chunks that depend on the problem size only
 * ({@link Chunks}), partial sums are combined in chunk order, and each entry of S and of its factor is
 * computed by one task in a fixed order, so the result has the same bits on any number of cores.
 */
final class SinkhornNewton {
  /** Largest side of the Schur complement that is factored directly; above, conjugate gradients. */
  static final int DIRECT_LIMIT = 1000;
  /** Smallest Levenberg-Marquardt term, relative to the column masses c_j. */
  private static final double MIN_DAMPING = 1e-12;
  /** Largest Levenberg-Marquardt term; the direction is given up when S + mu diag(c) still fails to factor. */
  private static final double MAX_DAMPING = 1e6;
  /** Factor by which the damping grows when the factorisation meets a non-positive pivot. */
  private static final double DAMPING_GROWTH = 1e3;
  /** Sufficient increase of D, and sufficient decrease of the marginal error, per unit step. */
  private static final double ARMIJO = 1e-4;
  /** Smallest step tried before the line search gives up. */
  private static final double MIN_STEP = 0x1p-60;
  /** Largest step to which a full step is extended. */
  private static final double MAX_STEP = 256;
  /** Relative rounding of D: a rise below NOISE (sum_i a_i |f_i| + sum_j b_j |g_j|) cannot be told. */
  private static final double NOISE = 1e-14;
  /** Entries of Q below this are dropped, so that products of two entries stay clear of subnormal numbers. */
  private static final double TINY = 1e-150;
  /** Side of the square tiles of dot products. */
  private static final int TILE = 4;
  /** Columns per block of the Cholesky factorisation, a multiple of TILE and of the vector length. */
  private static final int BLOCK = 64;
  private static final int L = VectorMath.LANES;

  private SinkhornNewton() {}

  /**
   * The polished potentials.
   *
   * @param f the n row potentials
   * @param g the m column potentials
   * @param error the larger of the L2 row and column marginal errors of their plan
   * @param steps Newton steps taken
   * @param matvecs products with the Schur complement in conjugate gradients (each two passes over the
   *     plan); 0 when every direction came from the dense factorisation
   * @param converged whether error &lt; stopThr; if not, f and g are the iterate of lowest error
   */
  record Polished(double[] f, double[] g, double error, int steps, long matvecs, boolean converged) {
    Polished {
      f = f.clone();
      g = g.clone();
    }

    @Override
    public double[] f() {
      return f.clone();
    }

    @Override
    public double[] g() {
      return g.clone();
    }
  }

  /**
   * Newton steps from the potentials f, g until the marginal error is below stopThr, or maxSteps steps, or
   * no more progress. The iteration starts from the potential of the smaller side (g when m &lt;= n): the other
   * is recomputed from it by the exact Sinkhorn update, so it is only checked. Pass the potentials of
   * {@link SinkhornResult} restricted to the points of positive weight. No argument is modified.
   *
   * @param cost the n x m cost, held in memory
   * @param a the n row weights, positive, summing to one (points of zero weight removed)
   * @param b the m column weights, positive, summing to one
   * @param eps the regularisation, &gt; 0, in the units of the cost
   * @param f the n row potentials, finite
   * @param g the m column potentials, finite
   * @param stopThr the marginal error to reach, &gt; 0
   * @param maxSteps the most Newton steps, &gt;= 0
   * @throws IllegalArgumentException on a shape mismatch or any other invalid argument, naming it
   */
  static Polished polish(CostMatrix cost, double[] a, double[] b, double eps, double[] f, double[] g,
      double stopThr, int maxSteps) {
    return polish(cost, a, b, eps, f, g, stopThr, maxSteps, DIRECT_LIMIT);
  }

  /**
   * As {@link #polish(CostMatrix, double[], double[], double, double[], double[], double, int)}, factoring the
   * Schur complement directly only when its side is at most directLimit, by conjugate gradients otherwise.
   */
  static Polished polish(CostMatrix cost, double[] a, double[] b, double eps, double[] f, double[] g,
      double stopThr, int maxSteps, int directLimit) {
    if (cost == null || !cost.isMaterialized()) {
      throw new IllegalArgumentException("cost must be held in memory (CostMatrix.materialize()), found " + cost);
    }
    int n = cost.rows();
    int m = cost.cols();
    checkWeights("a", a, n, "rows");
    checkWeights("b", b, m, "columns");
    checkPotentials("f", f, n, "rows");
    checkPotentials("g", g, m, "columns");
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("eps must be > 0 and finite, found " + eps);
    }
    if (!(stopThr > 0) || Double.isInfinite(stopThr)) {
      throw new IllegalArgumentException("stopThr must be > 0 and finite, found " + stopThr);
    }
    if (maxSteps < 0) {
      throw new IllegalArgumentException("maxSteps must be >= 0, found " + maxSteps);
    }
    if (directLimit < 0) {
      throw new IllegalArgumentException("directLimit must be >= 0, found " + directLimit);
    }
    boolean flip = m > n;
    Newton run = flip
        ? new Newton(transpose(cost.values(), n, m), m, n, b, a, eps, f)
        : new Newton(cost.values(), n, m, a, b, eps, g);
    run.solve(stopThr, maxSteps, directLimit);
    State best = run.best;
    return new Polished(flip ? best.g : best.f, flip ? best.f : best.g, best.error, run.steps, run.matvecs,
        best.error < stopThr);
  }

  private static void checkWeights(String name, double[] w, int length, String side) {
    if (w == null || w.length != length) {
      throw new IllegalArgumentException(name + " must have length " + length + " (the cost matrix's " + side
          + "), found " + (w == null ? "null" : w.length));
    }
    double sum = 0;
    for (int i = 0; i < length; i++) {
      if (!(w[i] > 0) || Double.isInfinite(w[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite and > 0 (leave out points of zero"
            + " weight), found " + w[i]);
      }
      sum += w[i];
    }
    if (Math.abs(sum - 1) > 1e-9) {
      throw new IllegalArgumentException(name + " must sum to 1, found " + sum);
    }
  }

  private static void checkPotentials(String name, double[] p, int length, String side) {
    if (p == null || p.length != length) {
      throw new IllegalArgumentException(name + " must have length " + length + " (the cost matrix's " + side
          + "), found " + (p == null ? "null" : p.length));
    }
    for (int i = 0; i < length; i++) {
      if (!Double.isFinite(p[i])) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite, found " + p[i]);
      }
    }
  }

  private static double[] transpose(double[] v, int n, int m) {
    double[] t = new double[v.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        t[j * n + i] = v[i * m + j];
      }
    }
    return t;
  }

  /** An iterate: the column potentials g, and the row potentials f, marginals r, c and error of their plan. */
  private static final class State {
    final double[] f;
    final double[] g;
    final double[] r;
    final double[] c;
    double error;

    State(int n, int m) {
      f = new double[n];
      g = new double[m];
      r = new double[n];
      c = new double[m];
    }

    void copyFrom(State o) {
      System.arraycopy(o.f, 0, f, 0, f.length);
      System.arraycopy(o.g, 0, g, 0, g.length);
      System.arraycopy(o.r, 0, r, 0, r.length);
      System.arraycopy(o.c, 0, c, 0, c.length);
      error = o.error;
    }
  }

  /** One polish of an n x m problem with m &lt;= n: Newton in the column potentials g. */
  private static final class Newton {
    final double[] cost;
    final int n;
    final int m;
    final double[] a;
    final double[] b;
    final double eps;
    final int chunks;
    /** Per chunk, column sums of its rows. */
    final double[][] partial;
    /** Per chunk, one row of a plan that is not kept. */
    final double[][] scratch;
    /** The plan of current, row-major n x m. */
    final double[] plan;
    final State current;
    final State trial;
    final State accepted;
    final State best;
    int steps;
    long matvecs;
    /** Levenberg-Marquardt term of the current direction: S + damping diag(c) is solved. */
    double damping;
    /** The damping is theta times the relative marginal error; theta follows how well the model predicts. */
    double theta = 1;

    Newton(double[] cost, int n, int m, double[] a, double[] b, double eps, double[] g) {
      this.cost = cost;
      this.n = n;
      this.m = m;
      this.a = a;
      this.b = b;
      this.eps = eps;
      chunks = Chunks.count(n, m);
      partial = new double[chunks][m];
      scratch = new double[chunks][m];
      plan = new double[n * m];
      current = new State(n, m);
      trial = new State(n, m);
      accepted = new State(n, m);
      best = new State(n, m);
      System.arraycopy(g, 0, current.g, 0, m);
    }

    void solve(double stopThr, int maxSteps, int directLimit) {
      evaluate(current, plan);
      best.copyFrom(current);
      double bNorm = Weights.norm2(b);
      while (!(best.error < stopThr) && steps < maxSteps) {
        columnUpdate();
        evaluate(current, plan);
        keepIfBest();
        if (current.error < stopThr) {
          break;
        }
        damping = Math.min(MAX_DAMPING, Math.max(MIN_DAMPING, theta * current.error / bNorm));
        double[] dg = m <= directLimit ? directDirection() : cgDirection();
        if (dg == null || !step(dg)) {
          break;
        }
        steps++;
        keepIfBest();
      }
    }

    /** Copies current into best when its error is lower. */
    private void keepIfBest() {
      if (current.error < best.error) {
        best.copyFrom(current);
      }
    }

    /**
     * The line search along g + t dg (see the class comment): backtracking from t = 1 to the first t that
     * passes Armijo's test, or the error test where D's rise is below its rounding; a full step doubled while
     * the error falls. Adapts theta, and makes the accepted point current, with its plan. False when no
     * step down to MIN_STEP passes or dg is no ascent direction.
     */
    private boolean step(double[] dg) {
      double slope = 0;
      double bdg = 0;
      double cdg2 = 0;
      for (int j = 0; j < m; j++) {
        slope += (b[j] - current.c[j]) * dg[j];
        bdg += b[j] * dg[j];
        cdg2 += current.c[j] * dg[j] * dg[j];
      }
      if (!(slope > 0) || Double.isInfinite(slope)) {
        return false;
      }
      // dg^T S dg / eps, as (S + damping diag(c)) dg = eps (b - c)
      double curvature = slope - damping * cdg2 / eps;
      double noise = 0;
      for (int i = 0; i < n; i++) {
        noise += a[i] * Math.abs(current.f[i]);
      }
      for (int j = 0; j < m; j++) {
        noise += b[j] * Math.abs(current.g[j]);
      }
      noise *= NOISE;
      double t = 1;
      double gain = gainAt(t, dg, bdg);
      while (!(t * slope > noise ? gain >= ARMIJO * t * slope : trial.error <= (1 - ARMIJO * t) * current.error)) {
        t *= 0.5;
        if (t < MIN_STEP) {
          return false;
        }
        gain = gainAt(t, dg, bdg);
      }
      double ratio = t * slope > noise ? gain / (t * slope - t * t * curvature / 2) : 1;
      accepted.copyFrom(trial);
      if (t == 1) {
        for (double u = 2; u <= MAX_STEP; u *= 2) {
          gainAt(u, dg, bdg);
          if (!(trial.error < accepted.error)) {
            break;
          }
          accepted.copyFrom(trial);
        }
      }
      if (t == 1 && ratio > 0.75) {
        theta /= 4;
      } else if (t < 1 || ratio < 0.25) {
        theta *= 4;
      }
      System.arraycopy(accepted.g, 0, current.g, 0, m);
      evaluate(current, plan);
      return true;
    }

    /** Evaluates trial = g + t dg; returns D(trial) - D(current), each f by its exact row update. */
    private double gainAt(double t, double[] dg, double bdg) {
      for (int j = 0; j < m; j++) {
        trial.g[j] = current.g[j] + t * dg[j];
      }
      evaluate(trial, null);
      double gain = t * bdg;
      for (int i = 0; i < n; i++) {
        gain += a[i] * (trial.f[i] - current.f[i]);
      }
      return gain;
    }

    /** g_j = eps log b_j - eps LSE_i((f_i - M_ij) / eps) for the current f: the exact column update. */
    void columnUpdate() {
      double[] f = current.f;
      double[][] maxima = new double[chunks][m];
      Chunks.run(chunks, ch -> {
        double[] mx = maxima[ch];
        Arrays.fill(mx, Double.NEGATIVE_INFINITY);
        int end = Chunks.start(ch + 1, chunks, n);
        for (int i = Chunks.start(ch, chunks, n); i < end; i++) {
          ArrayOps.maxDifference(f[i], cost, i * m, mx, m);
        }
      });
      double[] shift = new double[m];
      Arrays.fill(shift, Double.NEGATIVE_INFINITY);
      for (double[] mx : maxima) {
        for (int j = 0; j < m; j++) {
          shift[j] = Math.max(shift[j], mx[j]);
        }
      }
      for (int j = 0; j < m; j++) {
        shift[j] = -shift[j];
      }
      Chunks.run(chunks, ch -> {
        double[] t = partial[ch];
        Arrays.fill(t, 0);
        double[] row = scratch[ch];
        int end = Chunks.start(ch + 1, chunks, n);
        for (int i = Chunks.start(ch, chunks, n); i < end; i++) {
          ArrayOps.gibbs(f[i], shift, cost, i * m, eps, row, 0, m);
          ArrayOps.axpy(1, row, 0, t, 0, m);
        }
      });
      double[] mass = new double[m];
      for (int ch = 0; ch < chunks; ch++) {
        ArrayOps.axpy(1, partial[ch], 0, mass, 0, m);
      }
      for (int j = 0; j < m; j++) {
        current.g[j] = eps * Math.log(b[j] / mass[j]) + shift[j];
      }
    }

    /**
     * The exact row update from s.g: f_i = eps log a_i - eps LSE_j((g_j - M_ij) / eps), the plan's marginals
     * and error; the plan itself into p when not null. Each row is exp((g_j - M_ij - h_i) / eps) with h_i =
     * max_j (g_j - M_ij), so at most 1, scaled to mass a_i.
     */
    void evaluate(State s, double[] p) {
      double[] rowErr = new double[chunks];
      Chunks.run(chunks, ch -> {
        double[] t = partial[ch];
        Arrays.fill(t, 0);
        double err2 = 0;
        int end = Chunks.start(ch + 1, chunks, n);
        for (int i = Chunks.start(ch, chunks, n); i < end; i++) {
          int off = i * m;
          double[] row = p != null ? p : scratch[ch];
          int ro = p != null ? off : 0;
          double h = -ArrayOps.minDifference(cost, off, s.g, 0, m);
          ArrayOps.gibbs(-h, s.g, cost, off, eps, row, ro, m);
          double mass = ArrayOps.sum(row, ro, m);
          s.f[i] = eps * Math.log(a[i] / mass) - h;
          s.r[i] = ArrayOps.scale(row, ro, m, a[i] / mass);
          ArrayOps.axpy(1, row, ro, t, 0, m);
          err2 += (s.r[i] - a[i]) * (s.r[i] - a[i]);
        }
        rowErr[ch] = err2;
      });
      Arrays.fill(s.c, 0);
      double rowErr2 = 0;
      for (int ch = 0; ch < chunks; ch++) {
        ArrayOps.axpy(1, partial[ch], 0, s.c, 0, m);
        rowErr2 += rowErr[ch];
      }
      double colErr2 = 0;
      for (int j = 0; j < m; j++) {
        colErr2 += (s.c[j] - b[j]) * (s.c[j] - b[j]);
      }
      s.error = Math.max(Math.sqrt(rowErr2), Math.sqrt(colErr2));
    }

    /** eps (b - c) with the gauge column's entry zeroed: the right-hand side of S dg = eps (b - c). */
    private double[] rhs(int ground) {
      double[] rhs = new double[m];
      for (int j = 0; j < m; j++) {
        rhs[j] = j == ground ? 0 : eps * (b[j] - current.c[j]);
      }
      return rhs;
    }

    /**
     * The direction by dense Cholesky of S + damping diag(c); the damping grows when a pivot is not positive.
     * Null when it fails up to MAX_DAMPING.
     */
    double[] directDirection() {
      double[] lap = laplacian();
      int ground = 0;
      for (int j = 1; j < m; j++) {
        if (lap[j * m + j] > lap[ground * m + ground]) {
          ground = j;
        }
      }
      for (int k = 0; k < m; k++) {
        lap[ground * m + k] = 0;
        lap[k * m + ground] = 0;
      }
      double[] rhs = rhs(ground);
      double[] work = new double[(m + TILE - 1) / TILE * TILE * m];
      for (; damping <= MAX_DAMPING; damping *= DAMPING_GROWTH) {
        System.arraycopy(lap, 0, work, 0, m * m);
        for (int j = 0; j < m; j++) {
          work[j * m + j] = j == ground ? 1 : work[j * m + j] + damping * current.c[j];
        }
        if (cholesky(work, m)) {
          return solveFactored(work, m, rhs);
        }
      }
      return null;
    }

    /**
     * The Laplacian S, row-major m x m: S_jk = -G_jk off the diagonal, S_jj = sum_{k != j} G_jk, for
     * G = Q^T Q, Q = diag(r)^-1/2 P. G is computed in TILE x TILE tiles of dot products over the rows of Q
     * held transposed (rows padded to whole vectors), each tile by one task.
     */
    private double[] laplacian() {
      int nl = (n + L - 1) / L * L;
      int blocks = (m + TILE - 1) / TILE;
      double[] qt = new double[blocks * TILE * nl];
      double[] p = plan;
      for (int i = 0; i < n; i++) {
        double w = 1 / Math.sqrt(current.r[i]);
        int off = i * m;
        for (int j = 0; j < m; j++) {
          double q = p[off + j] * w;
          qt[j * nl + i] = q < TINY ? 0 : q;
        }
      }
      double[] lap = new double[m * m];
      Chunks.run(blocks, jb -> {
        double[] dots = new double[TILE * TILE];
        double[] lanes = new double[L];
        int j0 = jb * TILE;
        for (int k0 = j0; k0 < m; k0 += TILE) {
          MatrixProduct.rowDots4x4(qt, nl, j0, k0, nl, dots, lanes);
          for (int x = 0; x < TILE && j0 + x < m; x++) {
            for (int y = 0; y < TILE && k0 + y < m; y++) {
              int j = j0 + x;
              int k = k0 + y;
              if (k > j) {
                lap[j * m + k] = -dots[x * TILE + y];
                lap[k * m + j] = -dots[x * TILE + y];
              }
            }
          }
        }
      });
      int rowChunks = Chunks.count(m, m);
      Chunks.run(rowChunks, ch -> {
        int end = Chunks.start(ch + 1, rowChunks, m);
        for (int j = Chunks.start(ch, rowChunks, m); j < end; j++) {
          double d = 0;
          for (int k = 0; k < m; k++) {
            d -= lap[j * m + k];
          }
          lap[j * m + j] = d;
        }
      });
      return lap;
    }

    /**
     * In-place Cholesky S = L L^T of the m x m matrix s (row stride m, rows padded with zeros to a multiple
     * of TILE), left-looking in blocks of BLOCK columns: the block's columns are first updated by the rows'
     * products with all earlier columns (TILE x TILE tiles of dot products), then the diagonal block is
     * factored and the rows below it solved against it. Only the lower triangle is meaningful afterwards.
     * Each entry is computed by one task in a fixed order. False at a non-positive pivot.
     */
    private static boolean cholesky(double[] s, int m) {
      for (int k0 = 0; k0 < m; k0 += BLOCK) {
        int start = k0;
        int k1 = Math.min(m, k0 + BLOCK);
        if (k0 > 0) {
          int groups = (m - k0 + TILE - 1) / TILE;
          int chunks = Chunks.count(groups, (long) TILE * (k1 - k0) * k0);
          Chunks.run(chunks, ch -> {
            double[] dots = new double[TILE * TILE];
            double[] lanes = new double[L];
            int end = Chunks.start(ch + 1, chunks, groups);
            for (int q = Chunks.start(ch, chunks, groups); q < end; q++) {
              int j0 = start + q * TILE;
              for (int c0 = start; c0 < k1; c0 += TILE) {
                MatrixProduct.rowDots4x4(s, m, j0, c0, start, dots, lanes);
                for (int x = 0; x < TILE && j0 + x < m; x++) {
                  for (int y = 0; y < TILE && c0 + y < k1; y++) {
                    s[(j0 + x) * m + c0 + y] -= dots[x * TILE + y];
                  }
                }
              }
            }
          });
        }
        for (int k = k0; k < k1; k++) {
          double d = s[k * m + k] - ArrayOps.dot(s, k * m + k0, s, k * m + k0, k - k0);
          if (!(d > 0) || Double.isInfinite(d)) {
            return false;
          }
          s[k * m + k] = Math.sqrt(d);
          for (int j = k + 1; j < k1; j++) {
            s[j * m + k] = (s[j * m + k] - ArrayOps.dot(s, j * m + k0, s, k * m + k0, k - k0)) / s[k * m + k];
          }
        }
        int below = m - k1;
        int chunks = Chunks.count(below, (long) (k1 - k0) * (k1 - k0));
        Chunks.run(chunks, ch -> {
          int end = k1 + Chunks.start(ch + 1, chunks, below);
          for (int j = k1 + Chunks.start(ch, chunks, below); j < end; j++) {
            for (int k = start; k < k1; k++) {
              s[j * m + k] = (s[j * m + k] - ArrayOps.dot(s, j * m + start, s, k * m + start, k - start)) / s[k * m + k];
            }
          }
        });
      }
      return true;
    }

    /** x with L L^T x = rhs for the factor in the lower triangle of s; rhs is overwritten. */
    private static double[] solveFactored(double[] s, int m, double[] rhs) {
      for (int j = 0; j < m; j++) {
        rhs[j] = (rhs[j] - ArrayOps.dot(s, j * m, rhs, 0, j)) / s[j * m + j];
      }
      for (int j = m - 1; j >= 0; j--) {
        rhs[j] /= s[j * m + j];
        ArrayOps.axpy(-rhs[j], s, j * m, rhs, 0, j);
      }
      return rhs;
    }

    /**
     * The Newton direction by conjugate gradients with a Jacobi preconditioner on S, in the Laplacian form
     * (S x)_j = sum_i P_ij (x_j - (P x)_i / r_i) + shift_j x_j, to the relative residual min(0.1,
     * sqrt(error / ||b||)), in at most 10 m products.
     */
    double[] cgDirection() {
      double[] diag = schurDiagonal();
      int ground = 0;
      for (int j = 1; j < m; j++) {
        if (diag[j] > diag[ground]) {
          ground = j;
        }
      }
      for (int j = 0; j < m; j++) {
        diag[j] += damping * current.c[j];
      }
      double[] res = rhs(ground);
      double tol = Math.min(0.1, Math.sqrt(current.error / Weights.norm2(b))) * Weights.norm2(res);
      double[] x = new double[m];
      double[] z = new double[m];
      double[] q = new double[m];
      for (int j = 0; j < m; j++) {
        z[j] = res[j] / diag[j];
      }
      double[] dir = z.clone();
      double rz = dot(res, z);
      for (int it = 0; it < 10 * m && Weights.norm2(res) > tol; it++) {
        schurProduct(dir, q, ground);
        matvecs++;
        double alpha = rz / dot(dir, q);
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
          break;
        }
        for (int j = 0; j < m; j++) {
          x[j] += alpha * dir[j];
          res[j] -= alpha * q[j];
          z[j] = res[j] / diag[j];
        }
        double rzNext = dot(res, z);
        double beta = rzNext / rz;
        rz = rzNext;
        for (int j = 0; j < m; j++) {
          dir[j] = z[j] + beta * dir[j];
        }
      }
      return x;
    }

    /** S_jj = sum_i P_ij (1 - P_ij / r_i). */
    private double[] schurDiagonal() {
      double[] p = plan;
      Chunks.run(chunks, ch -> {
        double[] t = partial[ch];
        Arrays.fill(t, 0);
        int end = Chunks.start(ch + 1, chunks, n);
        for (int i = Chunks.start(ch, chunks, n); i < end; i++) {
          double inv = 1 / current.r[i];
          int off = i * m;
          for (int j = 0; j < m; j++) {
            t[j] += p[off + j] * (1 - p[off + j] * inv);
          }
        }
      });
      double[] diag = new double[m];
      for (int ch = 0; ch < chunks; ch++) {
        ArrayOps.axpy(1, partial[ch], 0, diag, 0, m);
      }
      return diag;
    }

    /** out = S x with the shift, in the Laplacian form, for x with x_ground = 0; out_ground = 0. */
    private void schurProduct(double[] x, double[] out, int ground) {
      double[] p = plan;
      Chunks.run(chunks, ch -> {
        double[] t = partial[ch];
        Arrays.fill(t, 0);
        int end = Chunks.start(ch + 1, chunks, n);
        for (int i = Chunks.start(ch, chunks, n); i < end; i++) {
          int off = i * m;
          double mean = ArrayOps.dot(p, off, x, 0, m) / current.r[i];
          ArrayOps.deviation(p, off, x, mean, t, m);
        }
      });
      for (int j = 0; j < m; j++) {
        out[j] = damping * current.c[j] * x[j];
      }
      for (int ch = 0; ch < chunks; ch++) {
        ArrayOps.axpy(1, partial[ch], 0, out, 0, m);
      }
      out[ground] = 0;
    }
  }

  private static double dot(double[] x, double[] y) {
    return ArrayOps.dot(x, 0, y, 0, x.length);
  }
}
