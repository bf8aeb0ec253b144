package dev.tokendyn.transport;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.kernel.ArrayOps;
import dev.tokendyn.kernel.MatrixProduct;
import java.lang.ref.SoftReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Entropic optimal transport by Sinkhorn's algorithm in the log domain, with epsilon-scaling.
 *
 * <p>Solves min_P &lt;P, M&gt; + reg sum_ij P_ij log P_ij subject to P 1 = a, P^T 1 = b, the problem of POT's
 * {@code ot.sinkhorn(a, b, M, reg)}; the result's {@code value} is &lt;P, M&gt;, as {@code ot.sinkhorn2}.
 * The stopping rule is POT's: stop when the L2 norm of the marginal error is below {@code stopThr}, or
 * after {@code maxIter} iterations, in which case {@code converged} is false and a warning names the fix.
 * Here the error is checked after every iteration, not every tenth.
 *
 * <p>Stability. The plan is held as P_ij = u_i K_ij v_j with K_ij = exp((f_i + g_j - M_ij) / eps): the
 * potentials f, g live in the log domain, and the scalings u, v are folded back into them ("absorbed")
 * whenever they leave [e^-30, e^30], whenever eps changes, and in the blocked mode after every
 * iteration; a row whose kernel underflows entirely is updated by an exact log-sum-exp. So it stays
 * finite for reg as small as 1e-4 times the median cost (Schmitzer, Stabilized sparse scaling
 * algorithms for entropy regularized transport problems, 2019).
 *
 * <p>Epsilon-scaling. The solver starts at eps_0 = max(reg, median(M) / 32) and multiplies eps by
 * {@code scaling} until it reaches reg; the intermediate stages stop at a loose marginal error of
 * max(stopThr, 1e-3 |a|_2), only the last at stopThr.
 *
 * <p>Anderson acceleration. Each stage first iterates on the column potentials G = g / eps + log v with
 * {@link Anderson}'s combination of the last five steps (history dropped every ten): the map is one plain
 * update, G -&gt; g / eps + log(b / K^T u') with u' = a / K v, and an iterate is judged by the plan (u', v),
 * whose rows carry a exactly, so its marginal error is that of its columns. An accelerated step whose error is
 * more than twice the last one's is followed by a plain step from it and a new history; after five such
 * failures the stage goes on without acceleration, as below. Between consecutive layers of MiniLM at 4,000
 * pooled tokens, reg = 0.05 times the median cost, warm-started from the symmetric potentials, stopThr 1e-5:
 * 9 to 29 iterations against 69 to 137 with over-relaxation alone and 58 to 172 plain.
 *
 * <p>Over-relaxation. Without acceleration, when a stage converges fast (the marginal error shrinks by a factor
 * theta below 0.9 in its fifth iteration), the updates are over-relaxed from there with w = 2 / (1 + sqrt(1 -
 * theta)), and w is refined every second iteration over the next eight from the relaxed rate l by (l + w - 1)^2 = l
 * w^2 theta (the rate of successive over-relaxation below the optimal w); at reg = 0.05 times the median cost this
 * saves about a third of the iterations. When a stage converges slowly (the error shrinks by a factor above 0.9 per
 * iteration over ten iterations), the updates are over-relaxed, log u &lt;- (1 - w) log u + w log(a / K v) and
 * likewise for v, with w = 2 / (1 + sqrt(1 - rate)) capped at 1.99 (Thibault, Chizat, Dossal and Papadakis,
 * Overrelaxed Sinkhorn-Knopp algorithm for regularized optimal transport, 2021); w is raised when the error still
 * falls slowly after a hundred iterations, halved when it stops falling, and an update that makes the error run
 * away is undone. The fixed point, and so the result, is that of plain Sinkhorn; the stopping criterion counts the
 * column error as well as the row error. At reg = 1e-4 times the median cost the last digits still converge slowly,
 * at a rate too close to 1 for any relaxation: plain Sinkhorn can need more than 10^5 iterations to reach 1e-9.
 *
 * <p>Newton finish. So a stage whose measured rate predicts more iterations than are left, or than a Newton
 * finish costs (about 2 min(n, m) passes), is declared stalled after at least 50 iterations. An intermediate
 * stage then simply hands over to the next eps (it only warm-starts it); the last stage is finished by
 * Newton steps on the dual ({@link SinkhornNewton}), which converge quadratically where Sinkhorn crawls, and
 * need the cost in memory (not in the blocked mode). Each Newton step counts as one iteration. The result is
 * the same fixed point; at reg = 1e-4 times the median cost stopThr 1e-9 is reached within POT's default of
 * 1000 iterations.
 *
 * <p>Passes. Each iteration is one sweep over the kernel: the row sums K v give u, and the same rows,
 * still in cache, are added into K^T u for v, so the kernel is read once per iteration instead of twice.
 * The first sweep, and the first after the kernel changes (a new eps, absorbed scalings), computes the
 * kernel rows from the cost as it goes.
 *
 * <p>Precision. A held kernel of more than 2^18 entries is held in single precision: every pass reads it,
 * and at that size the passes are limited by memory bandwidth, so halving the bytes nearly halves their
 * time. Sums, scalings and potentials stay in double precision. The rounded kernel moves the fixed point
 * by a relative 7e-8 per entry at most (rounding to float, after an exponential accurate to 8e-9), so the
 * iterations stop on its marginal error, and then the plan is checked with the kernel recomputed from the
 * cost in double precision: the value, the potentials and the reported marginal error are always those of
 * the exact kernel. When that check fails (a rounding error above stopThr, as with very small reg on small
 * problems), the iterations go on with a double kernel.
 *
 * <p>Memory. The kernel is held (n*m floats, or doubles up to 2^18 entries, beside the cost matrix in double:
 * 12 bytes an entry) when that fits the memory budget, by default a quarter of the maximum heap
 * ({@link #defaultMemory()}); otherwise the cost and kernel are recomputed in every sweep, {@value #ROW_BLOCK}
 * rows at a time, as |x|^2 + |y|^2 - 2 X Y^T by a register-blocked matrix-product kernel
 * ({@link dev.tokendyn.kernel.SquaredDistances}), so that memory is O((n + m) d) and a sweep costs about a
 * matrix product: n = m = 20,000 in d = 64 runs in a few hundred MiB. The result says which path ran
 * ({@link SinkhornResult#kernel()}). Rows are processed in parallel, in a number of chunks that depends on the
 * problem size only, so results are reproducible.
 *
 * <p>Zero-weight points are left out; their potentials are reported as -infinity.
 */
public final class Sinkhorn implements CloudDistance {
  /** Cost rows computed per block, as a matrix product, in a sweep over a kernel computed on the fly. */
  static final int ROW_BLOCK = 32;
  /** A limit on n*m for holding the kernel that tests give, above every problem they solve held. */
  static final long STORE_LIMIT = 1L << 23;
  /** eps_0 / median(M) of epsilon-scaling. */
  private static final double SCALING_START = 1.0 / 32;
  /** Largest n*m for which a held kernel is held in double precision (2 MiB, cache-sized); above, in float. */
  static final long DOUBLE_LIMIT = 1L << 18;
  /** Scalings outside [1 / ABSORB_BOUND, ABSORB_BOUND] = [e^-30, e^30] are absorbed into the potentials. */
  private static final double ABSORB_BOUND = Math.exp(30);
  /** Iterations over which the convergence rate is measured before over-relaxing. */
  private static final int HISTORY = 10;
  private static final double MAX_OMEGA = 1.99;
  /** Iteration of a stage after which a fast-converging stage starts to over-relax. */
  private static final int EARLY = 5;
  /** Iterations of the last stage before it may be declared stalled and finished by Newton steps. */
  private static final int STALL_AFTER = 5 * HISTORY;
  /** The most Newton steps of a finish. */
  private static final int MAX_NEWTON_STEPS = 50;
  /** Differences that Anderson's acceleration keeps. */
  private static final int ANDERSON_MEMORY = 5;
  /** Steps after which Anderson's history is dropped. */
  private static final int ANDERSON_RESTART = 10;
  /** An accelerated step whose marginal error is more than this many times the last one's starts a new history. */
  private static final double ANDERSON_GUARD = 2;
  /** Failed accelerated steps after which a stage goes on with plain (over-relaxed) iterations. */
  private static final int ANDERSON_FAILURES = 5;

  private final SinkhornParams params;
  private final long memory;
  private final long storeLimit;
  private final long doubleLimit;
  private final boolean newtonFinish;
  private final boolean accelerate;
  /**
   * A single-precision kernel kept from the last solve for the next one, which saves allocating and
   * zeroing up to 32 MiB per solve when one solver is used many times; softly held, so the collector
   * may take it back, and taken by one solve at a time.
   */
  private final AtomicReference<SoftReference<float[]>> spare = new AtomicReference<>();

  /** With the default memory budget, {@link #defaultMemory()}. */
  public Sinkhorn(SinkhornParams params) {
    this(params, defaultMemory());
  }

  /**
   * With a memory budget in bytes for the kernel and the cost: when the dense kernel does not fit it, the
   * solver computes them on the fly.
   *
   * @throws IllegalArgumentException when the budget is not positive
   */
  public Sinkhorn(SinkhornParams params, long memoryBytes) {
    this(params, memoryBytes, Long.MAX_VALUE, DOUBLE_LIMIT, true);
  }

  /** With a limit on n*m for holding the kernel; tests use it to run the online path on small clouds. */
  static Sinkhorn withStoreLimit(SinkhornParams params, long storeLimit) {
    return new Sinkhorn(params, defaultMemory(), storeLimit, DOUBLE_LIMIT, true);
  }

  /**
   * With other limits on n*m for holding the kernel, and for holding it in double rather than single
   * precision, and with or without the Newton finish of a stalled solve; tests use them to run each path.
   */
  Sinkhorn(SinkhornParams params, long storeLimit, long doubleLimit, boolean newtonFinish) {
    this(params, defaultMemory(), storeLimit, doubleLimit, newtonFinish);
  }

  private Sinkhorn(SinkhornParams params, long memory, long storeLimit, long doubleLimit, boolean newtonFinish) {
    this(params, memory, storeLimit, doubleLimit, newtonFinish, true);
  }

  private Sinkhorn(SinkhornParams params, long memory, long storeLimit, long doubleLimit, boolean newtonFinish,
      boolean accelerate) {
    if (params == null) {
      throw new IllegalArgumentException("params must be given, found null");
    }
    if (memory < 1) {
      throw new IllegalArgumentException("the memory budget must be > 0 bytes, found " + memory);
    }
    this.params = params;
    this.memory = memory;
    this.storeLimit = storeLimit;
    this.doubleLimit = doubleLimit;
    this.newtonFinish = newtonFinish;
    this.accelerate = accelerate;
  }

  /** The same solver without Anderson's acceleration (over-relaxation only); tests compare the two. */
  Sinkhorn unaccelerated() {
    return new Sinkhorn(params, memory, storeLimit, doubleLimit, newtonFinish, false);
  }

  public SinkhornParams params() {
    return params;
  }

  /** The memory budget in bytes. */
  public long memory() {
    return memory;
  }

  /** A quarter of the JVM's maximum heap: the default memory budget. */
  public static long defaultMemory() {
    return Runtime.getRuntime().maxMemory() / 4;
  }

  /** Bytes of the dense path for an n x m problem: the cost in double and the kernel in float (or double). */
  public static long denseBytes(int n, int m) {
    long entries = (long) n * m;
    return entries * (entries <= DOUBLE_LIMIT ? 16 : 12);
  }

  /**
   * Bytes of the online path for an n x m problem in dimension d, the least a solve needs: the two clouds
   * and the packed copy of the targets of the tile kernel, a block of {@value #ROW_BLOCK} cost rows and a row of
   * partial column sums per chunk of rows, and the potentials and scalings.
   */
  public static long minimumMemory(int n, int m, int d) {
    long chunks = Chunks.count(n, m);
    long clouds = (2L * n + 3L * m + 2L * dev.tokendyn.kernel.MatrixProduct.STRIP) * d * 8;
    long blocks = Math.min(chunks, Runtime.getRuntime().availableProcessors() + 1) * (ROW_BLOCK + 1L) * m * 8;
    return clouds + blocks + chunks * m * 8 + 8L * (n + m) * 8;
  }

  /** The storage a solve of an n x m problem in dimension d would use within this solver's budget. */
  public KernelStorage storageFor(int n, int m) {
    long entries = (long) n * m;
    if (entries > storeLimit || entries > Integer.MAX_VALUE - 16 || denseBytes(n, m) > memory) {
      return KernelStorage.ONLINE;
    }
    return entries <= doubleLimit ? KernelStorage.DENSE_DOUBLE : KernelStorage.DENSE_FLOAT;
  }

  @Override
  public SinkhornResult between(TokenCloud x, TokenCloud y) {
    return solve(x.normalizedWeights(), y.normalizedWeights(), CostMatrix.between(params.cost(), x, y));
  }

  /**
   * Entropic OT between weights a (length n) and b (length m) for the n x m cost M, in POT's argument
   * order; the cost may be held in memory or computed on the fly. Neither argument is modified.
   *
   * @throws IllegalArgumentException on a shape mismatch, a negative or non-finite weight, or a zero sum
   */
  public SinkhornResult solve(double[] a, double[] b, CostMatrix cost) {
    return solve(a, b, cost, null, null);
  }

  /**
   * As {@link #solve(double[], double[], CostMatrix)}, starting from the potentials f0 (length n) and g0
   * (length m) at eps = reg, instead of from f_i = min_j M_ij, g = 0 by epsilon-scaling: a warm start, for a
   * problem whose solution at this reg is near one already known. (Where reg is below median(M) / 32, so that
   * a cold start would scale, far-off potentials can cost more iterations than they save;
   * {@link #scales(CostMatrix)} tells.) Entries of zero weight are ignored. The fixed point, and so the result
   * to within the stopping threshold, is the same.
   *
   * @throws IllegalArgumentException as solve, or when f0 or g0 has the wrong length or a non-finite entry
   *     where the weight is positive
   */
  public SinkhornResult solve(double[] a, double[] b, CostMatrix cost, double[] f0, double[] g0) {
    if ((f0 == null) != (g0 == null)) {
      throw new IllegalArgumentException("give both starting potentials or neither");
    }
    if (f0 != null && (f0.length != cost.rows() || g0.length != cost.cols())) {
      throw new IllegalArgumentException("starting potentials must have lengths " + cost.rows() + " and "
          + cost.cols() + ", found " + f0.length + " and " + g0.length);
    }
    List<String> warnings = new ArrayList<>();
    double[] an = Weights.normalized("a", a, cost.rows(), warnings);
    double[] bn = Weights.normalized("b", b, cost.cols(), warnings);
    int[] rows = NetworkSimplex.support(an);
    int[] cols = NetworkSimplex.support(bn);
    CostMatrix c = cost.restrict(rows, cols);
    boolean store = storageFor(c.rows(), c.cols()) != KernelStorage.ONLINE;
    if (!store && !c.isMaterialized()) {
      long least = minimumMemory(c.rows(), c.cols(), c.dimension());
      if (memory < least) {
        throw new IllegalArgumentException(String.format("a memory budget of %d bytes is below the %d bytes (%.1f MiB)"
            + " that the smallest tiles of a %d x %d problem in d = %d need; give at least that", memory, least,
            least / 1048576.0, c.rows(), c.cols(), c.dimension()));
      }
    }
    if (store) {
      c = c.materialize();
    }
    double[] sa = new double[rows.length];
    double[] sb = new double[cols.length];
    for (int r = 0; r < rows.length; r++) {
      sa[r] = an[rows[r]];
    }
    for (int s = 0; s < cols.length; s++) {
      sb[s] = bn[cols[s]];
    }
    Run run = new Run(c, sa, sb, store, doubleLimit, spare(), newtonFinish);
    run.accelerate = accelerate;
    if (f0 != null) {
      for (int r = 0; r < rows.length; r++) {
        run.fh[r] = finite("f0", f0[rows[r]], rows[r]);
      }
      for (int s = 0; s < cols.length; s++) {
        run.gh[s] = finite("g0", g0[cols[s]], cols[s]);
      }
      run.warm = true;
    }
    run.solve(params);
    if (run.kernelF != null) {
      spare.set(new SoftReference<>(run.kernelF));
    }
    if (!run.converged) {
      warnings.add(String.format("Sinkhorn did not converge: marginal error %.3g > stopThr %.3g after %d iterations;"
          + " increase maxIter or reg", run.error, params.stopThr(), run.iterations));
    }
    double[] f = new double[an.length];
    double[] g = new double[bn.length];
    Arrays.fill(f, Double.NEGATIVE_INFINITY);
    Arrays.fill(g, Double.NEGATIVE_INFINITY);
    for (int r = 0; r < rows.length; r++) {
      f[rows[r]] = run.fFull[r];
    }
    for (int s = 0; s < cols.length; s++) {
      g[cols[s]] = run.gFull[s];
    }
    KernelStorage storage = run.kernelF != null ? KernelStorage.DENSE_FLOAT
        : run.kernelD != null ? KernelStorage.DENSE_DOUBLE : KernelStorage.ONLINE;
    return new SinkhornResult(f, g, params.reg(), run.value, run.regularizedValue, run.iterations, run.converged,
        run.error, warnings, storage);
  }

  private static double finite(String name, double x, int i) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException(name + "[" + i + "] is " + x + " where the weight is positive; give finite"
          + " starting potentials");
    }
    return x;
  }

  /** Whether a cold start on this cost runs epsilon-scaling: reg below median(M) / 32. */
  public boolean scales(CostMatrix cost) {
    return params.reg() < cost.median() * SCALING_START;
  }

  /** The kept single-precision kernel, now this solve's (null when there is none). */
  private float[] spare() {
    SoftReference<float[]> r = spare.getAndSet(null);
    return r == null ? null : r.get();
  }

  /**
   * Entropic OT of a with itself for a symmetric n x n cost, by the symmetric update F &lt;- (F + T(F)) / 2,
   * where T(F)_i = reg log a_i - reg LSE_j((F_j - M_ij) / reg) is the soft c-transform, so that the plan
   * P_ij = exp((F_i + F_j - M_ij) / reg) is symmetric and both marginals are equal (Feydy et al. 2019,
   * section 3.1). The alternating updates of {@link #solve} oscillate on such problems and can need
   * 10^4 iterations or more; this one converges in a few dozen. Same stopping rule and result; f = g.
   * A kernel of more than 2^18 entries is held in single precision for the iterations
   * ({@link #symmetricInFloat}); the last passes, which give the error, value and potentials, use the exact
   * kernel.
   *
   * @throws IllegalArgumentException when M is not square or a is invalid
   */
  SinkhornResult solveSymmetric(double[] a, CostMatrix cost) {
    if (cost.rows() != cost.cols()) {
      throw new IllegalArgumentException("a symmetric problem needs a square cost matrix, found "
          + cost.rows() + "x" + cost.cols());
    }
    List<String> warnings = new ArrayList<>();
    double[] an = Weights.normalized("a", a, cost.rows(), warnings);
    int[] keep = NetworkSimplex.support(an);
    CostMatrix c = cost.restrict(keep, keep);
    int n = keep.length;
    if (storageFor(n, n) != KernelStorage.ONLINE) {
      c = c.materialize();
    }
    double[] w = new double[n];
    for (int r = 0; r < n; r++) {
      w[r] = an[keep[r]];
    }
    double eps = params.reg();
    double[] f = new double[n];
    for (int i = 0; i < n; i++) {
      // with F_i = eps log a_i every row mass lies in [a_i^2, a_i]: no overflow, no underflow
      f[i] = eps * Math.log(w[i]);
    }
    double[] rowMass = new double[n];
    int chunks = Chunks.count(n, n);
    double[] chunkValue = new double[chunks];
    CostMatrix cc = c;
    long iterations = 0;
    boolean inFloat = storageFor(n, n) == KernelStorage.DENSE_FLOAT;
    if (inFloat) {
      iterations = symmetricInFloat(c, w, f, eps, rowMass, chunks);
    }
    double err;
    boolean converged;
    while (true) {
      symmetricPass(cc, f, eps, rowMass, chunks, chunkValue);
      double e2 = 0;
      for (int i = 0; i < n; i++) {
        e2 += (rowMass[i] - w[i]) * (rowMass[i] - w[i]);
      }
      err = Math.sqrt(e2);
      if (err < params.stopThr()) {
        converged = true;
        break;
      }
      if (iterations >= params.maxIter()) {
        converged = false;
        break;
      }
      for (int i = 0; i < n; i++) {
        f[i] += 0.5 * eps * (Math.log(w[i]) - Math.log(rowMass[i]));
      }
      iterations++;
    }
    double value = 0;
    for (double v : chunkValue) {
      value += v;
    }
    double regValue = 0;
    for (int i = 0; i < n; i++) {
      regValue += 2 * f[i] * rowMass[i];
    }
    if (!converged) {
      warnings.add(String.format("Sinkhorn did not converge: marginal error %.3g > stopThr %.3g after %d iterations;"
          + " increase maxIter or reg", err, params.stopThr(), iterations));
    }
    double[] full = new double[an.length];
    Arrays.fill(full, Double.NEGATIVE_INFINITY);
    for (int r = 0; r < n; r++) {
      full[keep[r]] = f[r];
    }
    return new SinkhornResult(full, full, eps, value, regValue, iterations, converged, err, warnings,
        inFloat ? KernelStorage.DENSE_FLOAT : cc.isMaterialized() ? KernelStorage.DENSE_DOUBLE : KernelStorage.ONLINE);
  }

  /**
   * The symmetric iterations of {@link #solveSymmetric} on a kernel held in single precision, from f, until
   * the marginal error with that kernel is below stopThr: K_ij = exp((f_i + f_j - M_ij) / eps) for the f
   * given, and the update F &lt;- (F + T(F)) / 2 as a scaling s_i &lt;- s_i sqrt(w_i / (s_i (K s)_i)), so that
   * an iteration reads the n^2 floats once instead of computing n^2 exponentials. f is then the potential of
   * the scaled plan; the caller's passes with the exact kernel check it and go on from it when the rounding
   * of the kernel (a relative 7e-8 an entry) leaves the error above stopThr. A row whose mass is not a
   * positive finite number (a kernel that under- or overflowed) ends these iterations with f as it was.
   *
   * @return the iterations taken
   */
  private long symmetricInFloat(CostMatrix c, double[] w, double[] f, double eps, double[] rowMass, int chunks) {
    int n = w.length;
    double[] cv = c.values();
    float[] k = spare();
    if (k == null || k.length < (long) n * n) {
      k = new float[n * n];
    }
    float[] kernel = k;
    Chunks.run(chunks, ch -> {
      int end = Chunks.start(ch + 1, chunks, n);
      for (int i = Chunks.start(ch, chunks, n); i < end; i++) {
        ArrayOps.gibbs(f[i], f, cv, i * n, eps, kernel, i * n, n);
      }
    });
    double[] scale = new double[n];
    Arrays.fill(scale, 1);
    long iterations = 0;
    boolean finite = true;
    while (iterations < params.maxIter()) {
      Chunks.run(chunks, ch -> {
        int end = Chunks.start(ch + 1, chunks, n);
        for (int i = Chunks.start(ch, chunks, n); i < end; i++) {
          rowMass[i] = scale[i] * ArrayOps.dot(kernel, i * n, scale, 0, n);
        }
      });
      double e2 = 0;
      for (int i = 0; i < n; i++) {
        finite &= rowMass[i] > 0 && rowMass[i] < Double.POSITIVE_INFINITY;
        e2 += (rowMass[i] - w[i]) * (rowMass[i] - w[i]);
      }
      if (!finite || Math.sqrt(e2) < params.stopThr()) {
        break;
      }
      for (int i = 0; i < n; i++) {
        scale[i] *= Math.sqrt(w[i] / rowMass[i]);
      }
      iterations++;
    }
    spare.set(new SoftReference<>(kernel));
    for (int i = 0; i < n && finite; i++) {
      f[i] += eps * Math.log(scale[i]);
    }
    return iterations;
  }

  /** Row masses of P_ij = exp((f_i + f_j - M_ij) / eps) into rowMass, and sum P M per chunk. */
  private static void symmetricPass(CostMatrix c, double[] f, double eps, double[] rowMass, int chunks,
      double[] chunkValue) {
    int n = f.length;
    Chunks.run(chunks, ch -> {
      double[] cr = new double[n];
      double[] p = new double[n];
      double[] ones = new double[n];
      Arrays.fill(ones, 1);
      double val = 0;
      int end = Chunks.start(ch + 1, chunks, n);
      for (int i = Chunks.start(ch, chunks, n); i < end; i++) {
        c.row(i, cr, 0);
        ArrayOps.gibbs(f[i], f, cr, 0, eps, p, 0, n);
        rowMass[i] = ArrayOps.dot(p, 0, ones, 0, n);
        val += ArrayOps.weightedDot(p, 0, cr, 0, ones, n);
      }
      chunkValue[ch] = val;
    });
  }

  /** How a stage of {@link Run#stage} ended. */
  private enum End {
    /** The marginal error fell below the stage's threshold. */
    CONVERGED,
    /** The iteration budget is spent. */
    BUDGET,
    /** The measured rate predicts that Newton steps will finish sooner. */
    STALLED
  }

  /** One solve: the state of the iteration and the passes over the kernel. */
  private static final class Run {
    final CostMatrix c;
    final double[] a;
    final double[] b;
    final int n;
    final int m;
    /** The kernel in single precision while it is held so, else null. */
    float[] kernelF;
    /** The kernel in double precision while it is held so, else null; both null: computed on the fly. */
    double[] kernelD;
    final double[] fh;
    final double[] gh;
    double[] u;
    double[] uNew;
    final double[] v;
    /** Scratch of {@link #commitAccelerated}: the column potentials before and after a plain update. */
    final double[] potential;
    final double[] image;
    /** Whether the stages run Anderson's acceleration (else only over-relaxation). */
    boolean accelerate;
    /** K^T u for the current u and kernel: the column marginal of the plan is v o colSum. */
    double[] colSum;
    /** K^T u' for the u' of the last pass, committed into colSum with it. */
    double[] colSumNew;
    final int chunks;
    final double[][] partial;
    final double[] chunkErr;
    final double[] chunkValue;
    /** Buffers of cost rows for sweeps computed on the fly, reused from sweep to sweep. */
    final ConcurrentLinkedQueue<double[]> blocks = new ConcurrentLinkedQueue<>();
    /** f_i = min_j M_ij is still to be set, in the next sweep over the cost. */
    boolean rowsUnset = true;
    /** fh and gh hold starting potentials at reg: no epsilon-scaling, no row minima. */
    boolean warm;
    /** The held kernel no longer matches f, g and eps; the next sweep recomputes it from the cost. */
    boolean kernelStale = true;
    double eps;
    double omega = 1;
    /** Whether a stalled last stage may be finished by Newton steps. */
    final boolean newton;
    long iterations;
    boolean converged;
    double error = Double.POSITIVE_INFINITY;
    double value;
    double regularizedValue;
    double[] fFull;
    double[] gFull;

    /** {@code spare}: a single-precision buffer to reuse when it is large enough, or null. */
    Run(CostMatrix c, double[] a, double[] b, boolean store, long doubleLimit, float[] spare, boolean newton) {
      this.c = c;
      this.a = a;
      this.b = b;
      this.n = a.length;
      this.m = b.length;
      this.newton = newton;
      long size = (long) n * m;
      if (store && size > doubleLimit) {
        // every row of the kernel is written in the first pass before it is read, so the old contents do no harm
        kernelF = spare != null && spare.length >= size ? spare : new float[(int) size];
      } else if (store) {
        kernelD = new double[(int) size];
      }
      fh = new double[n];
      gh = new double[m];
      u = new double[n];
      uNew = new double[n];
      v = new double[m];
      potential = new double[m];
      image = new double[m];
      colSum = new double[m];
      colSumNew = new double[m];
      chunks = Chunks.count(n, m);
      partial = new double[chunks][m];
      chunkErr = new double[chunks];
      chunkValue = new double[chunks];
    }

    void solve(SinkhornParams p) {
      double reg = p.reg();
      eps = warm ? reg : Math.max(reg, c.median() * SCALING_START);
      rowsUnset = !warm;
      Arrays.fill(u, 1);
      Arrays.fill(v, 1);
      double loose = Math.max(p.stopThr(), 1e-3 * Weights.norm2(a));
      boolean last = eps <= reg;
      boolean polished = false;
      while (true) {
        // an intermediate stage only warm-starts the next one and may stop when it stalls; the last stage is
        // finished by Newton steps when it stalls, which need the cost in memory, once
        End end = last ? stage(p.stopThr(), p.maxIter(), newton && !polished && c.isMaterialized(), newtonWorth())
            : stage(loose, p.maxIter(), true, STALL_AFTER);
        if (end == End.BUDGET) {
          converged = false;
          break;
        }
        if (end == End.STALLED && last) {
          polished = true;
          polish(p);
          finish();
          if (error < p.stopThr()) {
            converged = true;
            return;
          }
          continue;
        }
        if (last) {
          finish();
          if (error < p.stopThr()) {
            converged = true;
            return;
          }
          // not yet converged with the exact kernel: take the last pass's update, so that every round progresses
          commit();
          iterations++;
          if (kernelF != null) {
            // the fixed point of the rounded kernel is further than stopThr from the exact one: go on in double
            kernelF = null;
            kernelD = new double[n * m];
            kernelStale = true;
          }
          continue;
        }
        absorb();
        eps = Math.max(reg, eps * p.scaling());
        last = eps <= reg;
        kernelStale = true;
      }
      finish();
    }

    /**
     * Newton steps on the dual from the current plan ({@link SinkhornNewton}), within what is left of the
     * iteration budget; each step counts as one iteration. The potentials are taken when Newton lowered the
     * marginal error; the kernel is then stale, and {@link #finish} recomputes the sums.
     */
    private void polish(SinkhornParams p) {
      double[] f = new double[n];
      double[] g = new double[m];
      for (int i = 0; i < n; i++) {
        f[i] = fh[i] + eps * Math.log(u[i]);
      }
      for (int j = 0; j < m; j++) {
        g[j] = gh[j] + eps * Math.log(v[j]);
      }
      int budget = (int) Math.min(MAX_NEWTON_STEPS, p.maxIter() - iterations);
      SinkhornNewton.Polished r = SinkhornNewton.polish(c, a, b, eps, f, g, p.stopThr(), budget);
      iterations += r.steps();
      if (r.error() < error) {
        System.arraycopy(r.f(), 0, fh, 0, n);
        System.arraycopy(r.g(), 0, gh, 0, m);
        Arrays.fill(u, 1);
        Arrays.fill(v, 1);
        kernelStale = true;
      }
    }

    /**
     * The number of iterations that cost about as much as a Newton finish: a step costs about min(n, m) / 2
     * passes (forming the Schur complement takes n m min(n, m) / 2 multiply-adds), and a finish takes a few.
     */
    private double newtonWorth() {
      return Math.max(STALL_AFTER, 2.0 * Math.min(n, m));
    }

    /**
     * Iterates at the current eps until the marginal error is below thr (CONVERGED) or the iteration budget
     * is spent (BUDGET), accelerated or over-relaxed as the class comment describes. With {@code mayStall}, it
     * gives up (STALLED) when the measured rate predicts more iterations than are left, or than
     * {@code stallAfter}.
     */
    private End stage(double thr, int maxIter, boolean mayStall, double stallAfter) {
      double[] history = new double[HISTORY + 1];
      int stageIterations = 0;
      int sinceChange = 0;
      double atChange = Double.POSITIVE_INFINITY;
      double baseline = Double.POSITIVE_INFINITY;
      int retries = 0;
      boolean tuning = false;
      omega = 1;
      Anderson anderson = accelerate ? new Anderson(m, ANDERSON_MEMORY, ANDERSON_RESTART) : null;
      int failures = 0;
      double last = Double.POSITIVE_INFINITY;
      while (iterations < maxIter) {
        double err = pass();
        if (anderson != null && err < Double.POSITIVE_INFINITY) {
          // an accelerated v is judged by the plan (u', v) whose rows u' were just fitted to it
          err = fittedRowsError();
        }
        error = err;
        if (err < thr) {
          if (anderson != null) {
            acceptRows();
          }
          return End.CONVERGED;
        }
        if (anderson != null && !(err <= ANDERSON_GUARD * last) && anderson.stored() > 0) {
          // the extrapolated iterate is worse than the one it came from: a plain step from it, a new history,
          // and after a few such failures the plain iterations with over-relaxation instead
          anderson.reset();
          if (++failures >= ANDERSON_FAILURES) {
            anderson = null;
          }
        }
        if (omega != 1 && err < Double.POSITIVE_INFINITY && err > 1e3 * atChange) {
          // the over-relaxed iteration is running away: undo this update and relax less
          omega = retries++ < 3 ? 1 + (omega - 1) / 2 : 1;
          sinceChange = 0;
          tuning = false;
          continue;
        }
        if (anderson != null) {
          commitAccelerated(anderson);
        } else {
          commit();
        }
        iterations++;
        history[stageIterations % history.length] = err;
        stageIterations++;
        sinceChange++;
        double previous = stageIterations > 1 ? history[(stageIterations - 2) % history.length] : err;
        double before = stageIterations > HISTORY ? history[(stageIterations - 1 - HISTORY) % history.length] : err;
        double rate = Math.pow(err / before, 1.0 / HISTORY);
        if (mayStall && stageIterations >= STALL_AFTER && sinceChange >= HISTORY) {
          double remaining = rate < 1 ? Math.log(thr / err) / Math.log(rate) : Double.POSITIVE_INFINITY;
          if (remaining > Math.min(maxIter - iterations, stallAfter)) {
            return End.STALLED;
          }
        }
        if (anderson != null) {
          last = err;
          continue;
        }
        if (omega == 1) {
          double step = err / previous;
          if (retries == 0 && stageIterations == EARLY && step > 0 && step < 0.9) {
            // a fast stage: relax from here, at the rate of the last step, then refine (tuning)
            omega = optimalOmega(step);
            tuning = true;
            sinceChange = 0;
            atChange = err;
          } else if (retries == 0 && sinceChange >= 3 * HISTORY && rate > 0.9 && rate < 1) {
            // the optimal over-relaxation for a linear rate (Thibault et al. 2021), capped
            omega = optimalOmega(rate);
            sinceChange = 0;
            atChange = err;
          }
        } else if (tuning && sinceChange % 2 == 0 && sinceChange < HISTORY) {
          // the relaxed rate l at w < w_opt satisfies (l + w - 1)^2 = l w^2 theta (successive over-relaxation
          // theory), which gives the rate theta of plain Sinkhorn and so a better w
          double l = err / previous;
          double theta = (l + omega - 1) * (l + omega - 1) / (l * omega * omega);
          if (l > 0 && l < 1 && theta > 0 && theta < 1) {
            omega = optimalOmega(theta);
          }
          if (sinceChange == HISTORY - 2) {
            tuning = false;
          }
        } else if (sinceChange == HISTORY) {
          // the error now includes the column error: measure progress from here
          baseline = err;
        } else if (sinceChange == 4 * HISTORY && !(err < baseline)) {
          // no progress since relaxing: relax less
          omega = retries++ < 3 ? 1 + (omega - 1) / 2 : 1;
          sinceChange = 0;
          atChange = err;
        } else if (sinceChange >= 10 * HISTORY && omega < MAX_OMEGA && rate > 0.999) {
          // still slow: the first estimate came before the asymptotic regime; relax more
          omega = Math.min(MAX_OMEGA, 1 + 1.5 * (omega - 1));
          sinceChange = 0;
          atChange = err;
        }
      }
      return End.BUDGET;
    }

    /** w = 2 / (1 + sqrt(1 - theta)) for plain Sinkhorn's linear rate theta (Thibault et al. 2021), capped. */
    static double optimalOmega(double theta) {
      return Math.min(MAX_OMEGA, 2 / (1 + Math.sqrt(1 - theta)));
    }

    /** Whether the kernel is held (in either precision) rather than computed on the fly. */
    boolean held() {
      return kernelF != null || kernelD != null;
    }

    /**
     * One Sinkhorn iteration in one sweep over the rows: for each row, s_i = (K v)_i gives the row marginal
     * u_i s_i of the current plan, then u_i' = a_i / s_i, and u_i' K_i. is added to the column sums from
     * which v' = b / (K^T u') follows. The same sweep sets f_i = min_j M_ij on the first call and recomputes a
     * stale held kernel, each row while it is in cache. Returns the L2 error of the current plan's marginals.
     */
    double pass() {
      boolean relaxed = omega != 1;
      boolean initRows = rowsUnset;
      boolean build = held() && kernelStale;
      double[] cv = c.isMaterialized() ? c.values() : null;
      Chunks.run(chunks, ch -> {
        double[] t = partial[ch];
        Arrays.fill(t, 0);
        boolean online = !held() && cv == null;
        double[] row = held() ? null : new double[m];
        double[] block = online ? takeBlock() : null;
        double err2 = 0;
        int end = Chunks.start(ch + 1, chunks, n);
        // once f is set, a sweep on the fly needs only the kernel: the tile kernel makes it with the distances
        boolean fused = online && !initRows && c.fusesGibbs();
        for (int i0 = Chunks.start(ch, chunks, n); i0 < end; i0 += ROW_BLOCK) {
          int i1 = Math.min(end, i0 + ROW_BLOCK);
          if (fused) {
            c.gibbsRows(i0, i1, fh, gh, eps, block);
          } else if (online) {
            c.rows(i0, i1, block, 0);
          }
          for (int i = i0; i < i1; i++) {
            err2 += online ? sweepRow(i, row, t, relaxed, initRows, build, fused, block, (i - i0) * m)
                : sweepRow(i, row, t, relaxed, initRows, build, false, cv, i * m);
          }
        }
        giveBlock(block);
        chunkErr[ch] = err2;
      });
      rowsUnset = false;
      kernelStale = false;
      Arrays.fill(colSumNew, 0);
      double err2 = 0;
      for (int ch = 0; ch < chunks; ch++) {
        // the vector kernel the sweeps use (fma(t, 1, s) is t + s exactly), compiled from the first solve
        ArrayOps.axpy(1, partial[ch], 0, colSumNew, 0, m);
        err2 += chunkErr[ch];
      }
      // the column error of the current plan, from the sums of the last committed sweep (or of finish): zero to
      // rounding after a plain update, not after an over-relaxed one or a change of the kernel's precision
      for (int j = 0; j < m; j++) {
        double r = v[j] * colSum[j] - b[j];
        err2 += r * r;
      }
      return Math.sqrt(err2);
    }

    /**
     * Row i of {@link #pass}: u'_i into uNew, u'_i K_i. added into t; returns the squared row error (infinite
     * when the row had to be rescued). {@code row} is scratch for a kernel computed on the fly; cost row i is
     * cv[co .. co + m) (the held cost, or a block of rows computed for this sweep), read only when the kernel is
     * computed on the fly or rebuilt; with {@code fused}, cv[co .. co + m) is kernel row i itself, made on the fly
     * by the tile kernel. A method of its own, called once per row, so that the JIT compiles it within the
     * first solve.
     */
    private double sweepRow(int i, double[] row, double[] t, boolean relaxed, boolean initRows, boolean build,
        boolean fused, double[] cv, int co) {
      int off = i * m;
      double[] kd = kernelD;
      if (fused) {
        kd = cv;
        off = co;
      } else if (kernelF == null && kernelD == null) {
        if (initRows) {
          fh[i] = ArrayOps.min(cv, co, m);
        }
        ArrayOps.gibbs(fh[i], gh, cv, co, eps, row, 0, m);
        kd = row;
        off = 0;
      } else if (build) {
        if (initRows) {
          fh[i] = ArrayOps.min(cv, off, m);
        }
        buildRow(i, cv, off);
      }
      float[] kf = kernelF;
      double s = kf != null ? ArrayOps.dot(kf, off, v, 0, m) : ArrayOps.dot(kd, off, v, 0, m);
      double un;
      double r2;
      if (s > 0 && s < Double.POSITIVE_INFINITY) {
        double r = u[i] * s - a[i];
        un = relaxed ? Math.exp(omega * Math.log(a[i] / s) + (1 - omega) * Math.log(u[i])) : a[i] / s;
        r2 = r * r;
      } else {
        rescueRow(i, row);
        un = 1;
        r2 = Double.POSITIVE_INFINITY;
        if (fused) {
          kd = row;
          off = 0;
        }
      }
      uNew[i] = un;
      if (kf != null) {
        ArrayOps.axpy(un, kf, off, t, 0, m);
      } else {
        ArrayOps.axpy(un, kd, off, t, 0, m);
      }
      return r2;
    }

    /** A buffer of {@link #ROW_BLOCK} cost rows for a sweep computed on the fly: one per running chunk. */
    private double[] takeBlock() {
      double[] b = blocks.poll();
      return b != null ? b : new double[ROW_BLOCK * m];
    }

    private void giveBlock(double[] b) {
      if (b != null) {
        blocks.add(b);
      }
    }

    /** Writes the held kernel's row i, exp((f_i + g_j - M_ij) / eps), from the held cost values. */
    private void buildRow(int i, double[] cv, int off) {
      if (kernelF != null) {
        ArrayOps.gibbs(fh[i], gh, cv, off, eps, kernelF, off, m);
      } else {
        ArrayOps.gibbs(fh[i], gh, cv, off, eps, kernelD, off, m);
      }
    }

    /**
     * Row i's kernel underflowed or overflowed: set f_i by an exact log-sum-exp so that the row carries
     * mass a_i against the current g + eps log v, and rewrite the row's kernel (the held row, or {@code row}
     * when computed on the fly) for u_i = 1.
     */
    void rescueRow(int i, double[] row) {
      double[] cr = new double[m];
      c.row(i, cr, 0);
      double mx = Double.NEGATIVE_INFINITY;
      double[] z = new double[m];
      for (int j = 0; j < m; j++) {
        z[j] = (gh[j] + eps * Math.log(v[j]) - cr[j]) / eps;
        mx = Math.max(mx, z[j]);
      }
      double s = 0;
      for (int j = 0; j < m; j++) {
        s += Math.exp(z[j] - mx);
      }
      fh[i] = eps * (Math.log(a[i]) - mx - Math.log(s));
      if (held()) {
        buildRow(i, c.values(), i * m);
      } else {
        ArrayOps.gibbs(fh[i], gh, cr, 0, eps, row, 0, m);
      }
    }

    /**
     * The marginal error of the plan (u', v) after a {@link #pass}, u' = a / K v: its rows carry a exactly,
     * so this is the L2 error of its column marginal v o K^T u'.
     */
    double fittedRowsError() {
      double e2 = 0;
      for (int j = 0; j < m; j++) {
        double r = v[j] * colSumNew[j] - b[j];
        e2 += r * r;
      }
      return Math.sqrt(e2);
    }

    /** Takes the last pass's u' = a / K v, and its column sums, keeping v. */
    void acceptRows() {
      double[] swap = u;
      u = uNew;
      uNew = swap;
      swap = colSum;
      colSum = colSumNew;
      colSumNew = swap;
    }

    /**
     * As {@link #commit}, with v from Anderson's step on the column potentials G = g / eps + log v (which
     * absorption leaves unchanged): the plain update's G' = g / eps + log(b / K^T u') is the image of G.
     */
    void commitAccelerated(Anderson anderson) {
      acceptRows();
      for (int j = 0; j < m; j++) {
        double base = gh[j] / eps;
        potential[j] = base + Math.log(v[j]);
        image[j] = base + Math.log(b[j] / colSum[j]);
      }
      anderson.step(potential, image);
      boolean absorb = !held();
      for (int j = 0; j < m; j++) {
        double vj = Math.exp(potential[j] - gh[j] / eps);
        v[j] = vj;
        absorb |= !(vj >= 1 / ABSORB_BOUND && vj <= ABSORB_BOUND);
      }
      absorbWhenOutOfBounds(absorb);
    }

    /** Accepts the iteration's new scalings; absorbs them into the potentials when needed. */
    void commit() {
      acceptRows();
      // a kernel computed on the fly is rebuilt in every pass anyway: absorb every iteration
      boolean absorb = !held();
      for (int j = 0; j < m; j++) {
        double vj = omega == 1 ? b[j] / colSum[j]
            : Math.exp(omega * Math.log(b[j] / colSum[j]) + (1 - omega) * Math.log(v[j]));
        v[j] = vj;
        absorb |= !(vj >= 1 / ABSORB_BOUND && vj <= ABSORB_BOUND);
      }
      absorbWhenOutOfBounds(absorb);
    }

    /** Absorbs the scalings into the potentials when asked, or when some u_i has left [e^-30, e^30]. */
    private void absorbWhenOutOfBounds(boolean absorb) {
      for (int i = 0; i < n && !absorb; i++) {
        absorb = !(u[i] >= 1 / ABSORB_BOUND && u[i] <= ABSORB_BOUND);
      }
      if (absorb) {
        absorb();
        kernelStale = true;
      }
    }

    /**
     * f += eps log u, g += eps log v, u = v = 1; a column with no mass gets an exact log-sum-exp. The
     * column sums follow the kernel diag(u) K diag(v) of the same plan: K^T u becomes v o K^T u.
     */
    void absorb() {
      for (int i = 0; i < n; i++) {
        fh[i] += eps * Math.log(u[i]);
        u[i] = 1;
      }
      for (int j = 0; j < m; j++) {
        if (v[j] > 0 && v[j] < Double.POSITIVE_INFINITY) {
          gh[j] += eps * Math.log(v[j]);
          colSum[j] *= v[j];
        } else {
          gh[j] = columnTransform(j);
          colSum[j] = b[j];
        }
        v[j] = 1;
      }
    }

    /** g_j such that column j carries mass b_j against f: eps log b_j - eps LSE_i((f_i - M_ij) / eps). */
    double columnTransform(int j) {
      double[] z = new double[n];
      double mx = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        z[i] = (fh[i] - c.get(i, j)) / eps;
        mx = Math.max(mx, z[i]);
      }
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += Math.exp(z[i] - mx);
      }
      return eps * (Math.log(b[j]) - mx - Math.log(s));
    }

    /**
     * Potentials, value and regularised value of the current plan u K v, and its marginal error, all with
     * the kernel recomputed from the cost in double precision, whatever precision the iterations held it in.
     */
    void finish() {
      fFull = new double[n];
      gFull = new double[m];
      for (int i = 0; i < n; i++) {
        fFull[i] = fh[i] + eps * Math.log(u[i]);
      }
      for (int j = 0; j < m; j++) {
        gFull[j] = gh[j] + eps * Math.log(v[j]);
      }
      double[] rowMass = new double[n];
      double[] cv = c.isMaterialized() ? c.values() : null;
      Chunks.run(chunks, ch -> {
        double[] t = partial[ch];
        Arrays.fill(t, 0);
        double[] row = new double[m];
        double[] block = cv == null ? takeBlock() : null;
        double val = 0;
        int end = Chunks.start(ch + 1, chunks, n);
        for (int i0 = Chunks.start(ch, chunks, n); i0 < end; i0 += ROW_BLOCK) {
          int i1 = Math.min(end, i0 + ROW_BLOCK);
          if (block != null) {
            c.rows(i0, i1, block, 0);
          }
          for (int i = i0; i < i1; i++) {
            val += block != null ? finishRow(i, row, block, (i - i0) * m, t, rowMass)
                : finishRow(i, row, cv, i * m, t, rowMass);
          }
        }
        giveBlock(block);
        chunkValue[ch] = val;
      });
      double val = 0;
      Arrays.fill(colSum, 0);
      for (int ch = 0; ch < chunks; ch++) {
        val += chunkValue[ch];
        ArrayOps.axpy(1, partial[ch], 0, colSum, 0, m);
      }
      double rowErr2 = 0;
      double reg = 0;
      for (int i = 0; i < n; i++) {
        double r = rowMass[i] - a[i];
        rowErr2 += r * r;
        reg += fFull[i] * rowMass[i];
      }
      double colErr2 = 0;
      for (int j = 0; j < m; j++) {
        double r = colSum[j] * v[j] - b[j];
        colErr2 += r * r;
        reg += gFull[j] * colSum[j] * v[j];
      }
      value = val;
      regularizedValue = reg;
      error = Math.max(Math.sqrt(rowErr2), Math.sqrt(colErr2));
    }

    /**
     * Row i of {@link #finish}: the exact kernel row into {@code row}, its mass into rowMass, u_i K_i. added
     * into t; returns sum_j P_ij M_ij. Cost row i is cc[co .. co + m).
     */
    private double finishRow(int i, double[] row, double[] cc, int co, double[] t, double[] rowMass) {
      ArrayOps.gibbs(fh[i], gh, cc, co, eps, row, 0, m);
      rowMass[i] = u[i] * ArrayOps.dot(row, 0, v, 0, m);
      ArrayOps.axpy(u[i], row, 0, t, 0, m);
      return u[i] * ArrayOps.weightedDot(row, 0, cc, co, v, m);
    }
  }
}
