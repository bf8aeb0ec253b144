package dev.tokendyn.sphere;

import dev.tokendyn.kernel.ArrayOps;
import dev.tokendyn.kernel.LogSumExp;
import dev.tokendyn.kernel.MatrixProduct;
import dev.tokendyn.kernel.VectorMath;

/**
 * The velocity field of attention dynamics: v_i = P_{x_i}( sum_j A_ij V x_j ), with A the SA, USA or
 * Sinkformer attention of logits beta &lt;Q x_i, K x_j&gt;; in the Euclidean geometry v_i = sum_j A_ij V x_j
 * (no projection). Under the causal mask row i of A keeps only the columns j &lt;= i (SA's softmax is
 * taken over those).
 *
 * <p>States are n rows of stride {@code dp} (d rounded up to the SIMD width, zero padded). The work per
 * evaluation is two dense products (logits, then attention times values) of n*n*d multiply-adds each,
 * done a block of rows at a time so that a block's logits stay in cache; the softmax is fused between
 * them, in the log-sum-exp form (shift by the row maximum), so that large beta neither overflows nor
 * loses every weight. Rows are split between threads; each row's arithmetic is the same whatever the
 * split, so results are identical bit for bit for any thread count.
 *
 * <p>Not thread-safe: it owns its scratch buffers. One instance serves one simulation.
 */
final class AttentionField {
  private static final int BLOCK = 8;
  /** Shares of a parallel loop per thread of the team. */
  private static final int SHARES_PER_THREAD = 4;
  private static final int L = VectorMath.LANES;
  /** Largest n * n the symmetric path keeps in memory (128 MiB of doubles). */
  private static final long SYMMETRIC_MAX = 1L << 24;

  private final Dynamics dynamics;
  private final int n;
  private final int d;
  private final int dp;
  private final int np;
  private final double beta;
  private final int sinkhornIterations;
  private final boolean causal;
  private final boolean euclidean;
  private final double[] qt;
  private final double[] kt;
  private final double[] vt;
  private final double[] qx;
  private final double[] kx;
  private final double[] vx;
  private final double[] keysT;
  private final double[] logits;
  private final double[] f;
  private final double[] g;
  private final double[][] scratch;
  private final int[] bounds;
  /** With Q = K = I the logits X X^T are symmetric: only the upper blocks are computed, then mirrored. */
  private final double[] gram;
  private final int[] triangleBounds;
  private final Team team;

  private double[] x;
  private double[] out;

  /** The bytes of the arrays that the constructor allocates, in long arithmetic; and of the largest one. */
  static long[] memoryBytes(SimulationParams p, int threads) {
    long n = p.n();
    long d = p.d();
    long dp = MatrixProduct.padded(p.d());
    long np = MatrixProduct.padded(p.n());
    Interaction qkv = p.interaction();
    int projected = (qkv.q() == null ? 0 : 1) + (qkv.k() == null ? 0 : 1) + (qkv.v() == null ? 0 : 1);
    boolean sink = p.dynamics() == Dynamics.SINKFORMER && p.sinkhornIterations() > 1;
    boolean symmetric = qkv.q() == null && qkv.k() == null && n * np <= SYMMETRIC_MAX;
    long tasks = Math.max(1, Math.min((long) SHARES_PER_THREAD * threads, n / (2 * BLOCK)));
    long square = sink || symmetric ? n * np : 0;
    long doubles = projected * n * dp + d * np + square + 2 * np + tasks * BLOCK * np;
    return new long[] {8 * doubles, 8 * Math.max(Math.max(n * dp, d * np), Math.max(square, BLOCK * np))};
  }

  AttentionField(SimulationParams p, Team team) {
    this.dynamics = p.dynamics();
    this.n = p.n();
    this.d = p.d();
    this.dp = MatrixProduct.padded(d);
    this.np = MatrixProduct.padded(n);
    this.beta = p.beta();
    this.sinkhornIterations = p.sinkhornIterations();
    this.causal = p.mask() == Mask.CAUSAL;
    this.euclidean = p.geometry() == Geometry.EUCLIDEAN;
    Interaction qkv = p.interaction();
    this.qt = transposedPadded(qkv.q());
    this.kt = transposedPadded(qkv.k());
    this.vt = transposedPadded(qkv.v());
    this.qx = qt == null ? null : new double[n * dp];
    this.kx = kt == null ? null : new double[n * dp];
    this.vx = vt == null ? null : new double[n * dp];
    this.keysT = new double[d * np];
    boolean sink = dynamics == Dynamics.SINKFORMER && sinkhornIterations > 1;
    boolean symmetric = qt == null && kt == null && (long) n * np <= SYMMETRIC_MAX;
    this.logits = sink ? new double[n * np] : null;
    this.gram = symmetric ? (sink ? logits : new double[n * np]) : null;
    this.f = sink ? new double[n] : null;
    this.g = sink ? new double[np] : null;
    // a few shares per thread, claimed as threads come free, so that one slow thread delays little
    int tasks = team == null ? 1 : Math.max(1, Math.min(SHARES_PER_THREAD * team.size(), n / (2 * BLOCK)));
    this.bounds = new int[tasks + 1];
    for (int t = 0; t <= tasks; t++) {
      bounds[t] = Math.min(n, (int) ((long) n * t / tasks / 4 * 4));
    }
    bounds[tasks] = n;
    this.scratch = new double[tasks][BLOCK * np];
    this.triangleBounds = triangleBounds(tasks);
    this.team = tasks > 1 ? team : null;
  }

  /**
   * Row ranges for the upper-triangle product, multiples of the SIMD width, with about equal work:
   * the row block at i costs np - i columns.
   */
  private int[] triangleBounds(int tasks) {
    int[] b = new int[tasks + 1];
    double total = 0;
    for (int i0 = 0; i0 < n; i0 += L) {
      total += np - i0;
    }
    double acc = 0;
    int t = 1;
    for (int i0 = 0; i0 < n && t < tasks; i0 += L) {
      acc += np - i0;
      if (acc >= total * t / tasks) {
        b[t++] = Math.min(n, i0 + L);
      }
    }
    for (; t <= tasks; t++) {
      b[t] = n;
    }
    return b;
  }

  /** Upper blocks of the Gram matrix: row block [i0, i0 + L) against columns [i0, np). */
  private void upperGram(int lo, int hi, double[] src) {
    for (int i0 = lo; i0 < hi; i0 += L) {
      int rows = Math.min(L, hi - i0);
      MatrixProduct.multiply(src, i0 * dp, dp, rows, d, keysT, i0, np, np - i0, gram, i0 * np + i0, np);
    }
  }

  /**
   * Rows [i0, i0 + rows) of the full Gram matrix into s: the computed upper part as is, the lower part
   * from the transposed upper entries (the same sums, so the same bits).
   */
  private void mirroredRows(int i0, int rows, double[] s) {
    // column j of the upper part holds the block's rows side by side: read each of its cache lines once
    // for all the rows, rather than once per row (a stride of np doubles between rows)
    int shared = i0 / L * L;
    for (int j = 0; j < shared; j++) {
      int g = j * np + i0;
      for (int r = 0; r < rows; r++) {
        s[r * np + j] = gram[g + r];
      }
    }
    for (int r = 0; r < rows; r++) {
      int i = i0 + r;
      int j0 = i / L * L;
      for (int j = shared; j < j0; j++) {
        s[r * np + j] = gram[j * np + i];
      }
      System.arraycopy(gram, i * np + j0, s, r * np + j0, np - j0);
    }
  }

  /** The lower part of the Gram matrix in place, from the upper part (rows [lo, hi)). */
  private void mirrorInPlace(int lo, int hi) {
    for (int i = lo; i < hi; i++) {
      int j0 = i / L * L;
      for (int j = 0; j < j0; j++) {
        gram[i * np + j] = gram[j * np + i];
      }
    }
  }

  /** M^T as d rows of stride dp (the right operand of X M^T), or null for the identity. */
  private double[] transposedPadded(double[] m) {
    if (m == null) {
      return null;
    }
    double[] t = new double[d * dp];
    for (int r = 0; r < d; r++) {
      for (int c = 0; c < d; c++) {
        t[c * dp + r] = m[r * d + c];
      }
    }
    return t;
  }

  /**
   * Writes the velocity at state {@code state} (n rows of stride dp, unit rows) into {@code velocity}
   * (same layout); the state is not modified.
   */
  void velocity(double[] state, double[] velocity) {
    this.x = state;
    this.out = velocity;
    double[] qsrc = project(qt, qx);
    double[] ksrc = project(kt, kx);
    double[] vsrc = project(vt, vx);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        keysT[k * np + i] = ksrc[i * dp + k];
      }
    }
    if (gram != null) {
      forRanges(triangleBounds, (lo, hi, t) -> upperGram(lo, hi, qsrc));
    }
    if (logits == null) {
      forRows((lo, hi, t) -> fusedRows(lo, hi, scratch[t], qsrc, vsrc));
      return;
    }
    if (gram != null) {
      forRows((lo, hi, t) -> mirrorInPlace(lo, hi));
    } else {
      forRows((lo, hi, t) -> MatrixProduct.multiply(qsrc, lo * dp, dp, hi - lo, d, keysT, 0, np, np, logits, lo * np, np));
    }
    java.util.Arrays.fill(f, 0);
    java.util.Arrays.fill(g, 0);
    for (int it = 1; it <= sinkhornIterations; it++) {
      if (it % 2 == 1) {
        forRows((lo, hi, t) -> rowPotentials(lo, hi));
      } else {
        forColumns(this::columnPotentials);
      }
    }
    forRows((lo, hi, t) -> sinkformerRows(lo, hi, vsrc));
  }

  /** X M^T into buffer, or X itself for the identity. */
  private double[] project(double[] mt, double[] buffer) {
    if (mt == null) {
      return x;
    }
    forRows((lo, hi, t) -> MatrixProduct.multiply(x, lo * dp, dp, hi - lo, d, mt, 0, dp, dp, buffer, lo * dp, dp));
    return buffer;
  }

  /** SA and USA: logits, softmax and product, a block of rows at a time. */
  private void fusedRows(int lo, int hi, double[] s, double[] qsrc, double[] vsrc) {
    double[] factor = new double[BLOCK];
    for (int i0 = lo; i0 < hi; i0 += BLOCK) {
      int rows = Math.min(BLOCK, hi - i0);
      if (gram != null) {
        mirroredRows(i0, rows, s);
      } else {
        MatrixProduct.multiply(qsrc, i0 * dp, dp, rows, d, keysT, 0, np, np, s, 0, np);
      }
      for (int r = 0; r < rows; r++) {
        // causal: token i sees j <= i; the masked weights are zeroed so that the product ignores them
        int seen = causal ? i0 + r + 1 : n;
        double shift = beta * ArrayOps.max(s, r * np, seen);
        double sum = LogSumExp.expScaled(s, r * np, seen, beta, shift);
        java.util.Arrays.fill(s, r * np + seen, r * np + n, 0.0);
        factor[r] = dynamics == Dynamics.USA ? Math.exp(shift) / n : 1 / sum;
      }
      MatrixProduct.multiply(s, 0, np, rows, n, vsrc, 0, dp, dp, out, i0 * dp, dp);
      for (int r = 0; r < rows; r++) {
        projectRow(i0 + r, factor[r]);
      }
    }
  }

  /** out_i &lt;- P_{x_i}(factor * out_i), or factor * out_i in the Euclidean geometry. */
  private void projectRow(int i, double factor) {
    int o = i * dp;
    if (euclidean) {
      for (int k = 0; k < d; k++) {
        out[o + k] *= factor;
      }
      return;
    }
    double dot = 0;
    for (int k = 0; k < d; k++) {
      out[o + k] *= factor;
      dot += out[o + k] * x[o + k];
    }
    for (int k = 0; k < d; k++) {
      out[o + k] -= dot * x[o + k];
    }
  }

  /** f_i = -log sum_j exp(beta s_ij + g_j). */
  private void rowPotentials(int lo, int hi) {
    for (int i = lo; i < hi; i++) {
      f[i] = -LogSumExp.row(logits, i * np, n, beta, g);
    }
  }

  /** g_j = -log sum_i exp(beta s_ij + f_i), for columns [c0, c1), c0 and c1 multiples of the SIMD width. */
  private void columnPotentials(int c0, int c1) {
    LogSumExp.negativeColumns(logits, n, np, c0, c1, beta, f, g);
  }

  /** A_ij = exp(beta s_ij + f_i + g_j) in place, then the product and the projection. */
  private void sinkformerRows(int lo, int hi, double[] vsrc) {
    for (int i = lo; i < hi; i++) {
      LogSumExp.gibbsInPlace(logits, i * np, n, beta, g, f[i]);
    }
    MatrixProduct.multiply(logits, lo * np, np, hi - lo, n, vsrc, 0, dp, dp, out, lo * dp, dp);
    for (int i = lo; i < hi; i++) {
      projectRow(i, 1.0);
    }
  }

  @FunctionalInterface
  private interface RangeTask {
    void run(int lo, int hi, int task);
  }

  private void forRows(RangeTask task) {
    forRanges(bounds, task);
  }

  private void forRanges(int[] ranges, RangeTask task) {
    if (team == null) {
      task.run(0, n, 0);
      return;
    }
    team.run(ranges.length - 1, t -> task.run(ranges[t], ranges[t + 1], t));
  }

  private void forColumns(java.util.function.BiConsumer<Integer, Integer> task) {
    if (team == null) {
      task.accept(0, np);
      return;
    }
    int tasks = bounds.length - 1;
    int chunks = np / L;
    team.run(tasks, t -> task.accept(chunks * t / tasks * L, chunks * (t + 1) / tasks * L));
  }
}
