package dev.tokendyn.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector kernels on stretches of arrays (incubating Vector API), each with a scalar tail: dot products,
 * axpy, minima and maxima, squared distances, and rows of a Gibbs kernel exp((f + g_j - c_j) / eps), used
 * by the transport solvers, the simulator and the metrics. Sums and exponentials go through
 * {@link VectorMath}, so the same input gives the same bits whether the code runs interpreted or
 * compiled. The float variants read or write a kernel held in single precision: each float is widened
 * exactly to double before any arithmetic, and written rounded to nearest. No array is modified except
 * the one named as the output. While the process is cold ({@link Warmth}), the kernels with a scalar twin run
 * it: the element-wise ones by their scalar loop, the sums with their lanes kept in an array and added in
 * lane order, so the same bits either way.
 */
public final class ArrayOps {
  private static final VectorSpecies<Double> S = VectorMath.SPECIES;
  private static final int L = VectorMath.LANES;
  /**
   * Floats of the same shape as {@link #S}, twice its lanes: one load of them widens to two double vectors.
   * Every float kernel of the project uses this one species ({@link SingleDistances}, {@link SingleProjections}):
   * the Vector API's shared methods (fromArray, intoArray) compiled for two float shapes in one process lose
   * their intrinsics, and a kernel that calls them then runs several times slower (on MiniLM's corpus run the
   * per-text projections cost 4 CPU-seconds more beside a half-width species here than without it).
   */
  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  /** The upper half of {@link #F}'s lanes, where the second of two double vectors lands when narrowed. */
  private static final jdk.incubator.vector.VectorMask<Float> UPPER = F.indexInRange(-L, L);

  /**
   * The work of one exponential in {@link Warmth}'s units (multiply-adds): its polynomial and reduction
   * take about that many operations.
   */
  private static final int EXP_WORK = 16;

  private ArrayOps() {}

  /** The lanes of an accumulator added in lane order from 0, as {@link VectorMath#sumLanes(DoubleVector)} adds them. */
  private static double lanes(double[] acc) {
    double s = 0;
    for (double a : acc) {
      s += a;
    }
    return s;
  }

  /** sum_k x[xo+k] * y[yo+k], k < len. */
  public static double dot(double[] x, int xo, double[] y, int yo, int len) {
    int k = 0;
    double s = 0;
    if (len >= L && Warmth.cold(len)) {
      double[] acc = new double[L];
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        for (int l = 0; l < L; l++) {
          acc[l] = Math.fma(x[xo + k + l], y[yo + k + l], acc[l]);
        }
      }
      s = lanes(acc);
    } else if (len >= L) {
      DoubleVector acc = DoubleVector.zero(S);
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        acc = DoubleVector.fromArray(S, x, xo + k).fma(DoubleVector.fromArray(S, y, yo + k), acc);
      }
      s = VectorMath.sumLanes(acc);
    }
    for (; k < len; k++) {
      s += x[xo + k] * y[yo + k];
    }
    return s;
  }

  /**
   * Weighted sums of the defined entries: for k &lt; len where x[xo+k] is not NaN, s[k] += a * x[xo+k] and
   * c[k] += a (a product then a sum, the same bits in the vector lanes and the tail). Modifies s and c.
   */
  public static void addDefined(double a, double[] x, int xo, double[] s, double[] c, int len) {
    int k = 0;
    if (len >= L) {
      DoubleVector av = DoubleVector.broadcast(S, a);
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        DoubleVector v = DoubleVector.fromArray(S, x, xo + k);
        var defined = v.compare(VectorOperators.EQ, v);
        DoubleVector.fromArray(S, s, k).add(v.mul(av), defined).intoArray(s, k);
        DoubleVector.fromArray(S, c, k).add(av, defined).intoArray(c, k);
      }
    }
    for (; k < len; k++) {
      double v = x[xo + k];
      if (v == v) {
        s[k] += a * v;
        c[k] += a;
      }
    }
  }

  /** sum_k (x[xo+k] - y[yo+k])^2, k < len. */
  public static double squaredDistance(double[] x, int xo, double[] y, int yo, int len) {
    int k = 0;
    double s = 0;
    if (len >= L) {
      DoubleVector acc = DoubleVector.zero(S);
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        DoubleVector diff = DoubleVector.fromArray(S, x, xo + k).sub(DoubleVector.fromArray(S, y, yo + k));
        acc = diff.fma(diff, acc);
      }
      s = VectorMath.sumLanes(acc);
    }
    for (; k < len; k++) {
      double diff = x[xo + k] - y[yo + k];
      s += diff * diff;
    }
    return s;
  }

  /**
   * out[q] = sum_k u[oi+k] * u[oq+k], k &lt; len, for the four rows starting at o0..o3 of u: one row against
   * four others at once, the inner loop of the cluster search. Only out is written.
   */
  public static void dot4(double[] u, int oi, int o0, int o1, int o2, int o3, int len, double[] out) {
    DoubleVector a0 = DoubleVector.zero(S);
    DoubleVector a1 = a0;
    DoubleVector a2 = a0;
    DoubleVector a3 = a0;
    int bound = S.loopBound(len);
    int k = 0;
    for (; k < bound; k += L) {
      DoubleVector x = DoubleVector.fromArray(S, u, oi + k);
      a0 = x.fma(DoubleVector.fromArray(S, u, o0 + k), a0);
      a1 = x.fma(DoubleVector.fromArray(S, u, o1 + k), a1);
      a2 = x.fma(DoubleVector.fromArray(S, u, o2 + k), a2);
      a3 = x.fma(DoubleVector.fromArray(S, u, o3 + k), a3);
    }
    double s0 = VectorMath.sumLanes(a0);
    double s1 = VectorMath.sumLanes(a1);
    double s2 = VectorMath.sumLanes(a2);
    double s3 = VectorMath.sumLanes(a3);
    for (; k < len; k++) {
      double x = u[oi + k];
      s0 += x * u[o0 + k];
      s1 += x * u[o1 + k];
      s2 += x * u[o2 + k];
      s3 += x * u[o3 + k];
    }
    out[0] = s0;
    out[1] = s1;
    out[2] = s2;
    out[3] = s3;
  }

  /** y[yo+k] += alpha * x[xo+k], k < len, as one fused multiply-add per element. */
  public static void axpy(double alpha, double[] x, int xo, double[] y, int yo, int len) {
    int k = 0;
    if (len >= L && !Warmth.cold(len)) {
      DoubleVector va = DoubleVector.broadcast(S, alpha);
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        DoubleVector.fromArray(S, x, xo + k).fma(va, DoubleVector.fromArray(S, y, yo + k)).intoArray(y, yo + k);
      }
    }
    for (; k < len; k++) {
      y[yo + k] = Math.fma(x[xo + k], alpha, y[yo + k]);
    }
  }

  /** out[oo+j] = exp((f + g[j] - c[co+j]) / eps), j < len. */
  public static void gibbs(double f, double[] g, double[] c, int co, double eps, double[] out, int oo, int len) {
    double inv = 1 / eps;
    int j = 0;
    if (len >= L && !Warmth.cold(EXP_WORK * len)) {
      DoubleVector vf = DoubleVector.broadcast(S, f);
      DoubleVector vinv = DoubleVector.broadcast(S, inv);
      int bound = S.loopBound(len);
      for (; j < bound; j += L) {
        VectorMath.exp(DoubleVector.fromArray(S, g, j).add(vf).sub(DoubleVector.fromArray(S, c, co + j)).mul(vinv))
            .intoArray(out, oo + j);
      }
    }
    for (; j < len; j++) {
      out[oo + j] = VectorMath.exp((f + g[j] - c[co + j]) * inv);
    }
  }

  /** out[oo+j] = exp((f + g[j] - c[co+j]) / eps) rounded to float, j < len. */
  public static void gibbs(double f, double[] g, double[] c, int co, double eps, float[] out, int oo, int len) {
    double inv = 1 / eps;
    int j = 0;
    if (len >= 2 * L && !Warmth.cold(EXP_WORK * len)) {
      DoubleVector vf = DoubleVector.broadcast(S, f);
      DoubleVector vinv = DoubleVector.broadcast(S, inv);
      int bound = len - len % (2 * L);
      for (; j < bound; j += 2 * L) {
        DoubleVector lo = VectorMath.expForSingle(DoubleVector.fromArray(S, g, j).add(vf)
            .sub(DoubleVector.fromArray(S, c, co + j)).mul(vinv));
        DoubleVector hi = VectorMath.expForSingle(DoubleVector.fromArray(S, g, j + L).add(vf)
            .sub(DoubleVector.fromArray(S, c, co + j + L)).mul(vinv));
        FloatVector low = (FloatVector) lo.convertShape(VectorOperators.D2F, F, 0);
        FloatVector high = (FloatVector) hi.convertShape(VectorOperators.D2F, F, -1);
        low.blend(high, UPPER).intoArray(out, oo + j);
      }
    }
    for (; j < len; j++) {
      out[oo + j] = (float) VectorMath.expForSingle((f + g[j] - c[co + j]) * inv);
    }
  }

  /** sum_k x[xo+k] * y[yo+k], k < len, for x in single precision. */
  public static double dot(float[] x, int xo, double[] y, int yo, int len) {
    int k = 0;
    double s = 0;
    if (len >= L && Warmth.cold(len)) {
      double[] acc = new double[L];
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        for (int l = 0; l < L; l++) {
          acc[l] = Math.fma(x[xo + k + l], y[yo + k + l], acc[l]);
        }
      }
      s = lanes(acc);
    } else if (len >= L) {
      // lane l adds the products of k = l mod L in order, sixteen floats (two double vectors) a load, and a
      // last stretch of L lanes by lanes: the same chains as the scalar twin's
      DoubleVector acc = DoubleVector.zero(S);
      int pairs = len - len % (2 * L);
      for (; k < pairs; k += 2 * L) {
        FloatVector v = FloatVector.fromArray(F, x, xo + k);
        acc = ((DoubleVector) v.convertShape(VectorOperators.F2D, S, 0)).fma(DoubleVector.fromArray(S, y, yo + k), acc);
        acc = ((DoubleVector) v.convertShape(VectorOperators.F2D, S, 1))
            .fma(DoubleVector.fromArray(S, y, yo + k + L), acc);
      }
      if (k + L <= len) {
        double[] lanes = new double[L];
        acc.intoArray(lanes, 0);
        for (int l = 0; l < L; l++) {
          lanes[l] = Math.fma(x[xo + k + l], y[yo + k + l], lanes[l]);
        }
        k += L;
        s = lanes(lanes);
      } else {
        s = VectorMath.sumLanes(acc);
      }
    }
    for (; k < len; k++) {
      s += x[xo + k] * y[yo + k];
    }
    return s;
  }

  /** y[yo+k] += alpha * x[xo+k], k < len, for x in single precision, as one fused multiply-add per element. */
  public static void axpy(double alpha, float[] x, int xo, double[] y, int yo, int len) {
    int k = 0;
    if (len >= 2 * L && !Warmth.cold(len)) {
      DoubleVector va = DoubleVector.broadcast(S, alpha);
      int bound = len - len % (2 * L);
      for (; k < bound; k += 2 * L) {
        FloatVector v = FloatVector.fromArray(F, x, xo + k);
        ((DoubleVector) v.convertShape(VectorOperators.F2D, S, 0)).fma(va, DoubleVector.fromArray(S, y, yo + k))
            .intoArray(y, yo + k);
        ((DoubleVector) v.convertShape(VectorOperators.F2D, S, 1)).fma(va, DoubleVector.fromArray(S, y, yo + k + L))
            .intoArray(y, yo + k + L);
      }
    }
    for (; k < len; k++) {
      y[yo + k] = Math.fma(x[xo + k], alpha, y[yo + k]);
    }
  }

  /** sum_j p[po+j] * c[co+j] * v[j], j < len. */
  public static double weightedDot(double[] p, int po, double[] c, int co, double[] v, int len) {
    int j = 0;
    double s = 0;
    if (len >= L && Warmth.cold(len)) {
      double[] acc = new double[L];
      int bound = S.loopBound(len);
      for (; j < bound; j += L) {
        for (int l = 0; l < L; l++) {
          acc[l] = Math.fma(p[po + j + l] * v[j + l], c[co + j + l], acc[l]);
        }
      }
      s = lanes(acc);
    } else if (len >= L) {
      DoubleVector acc = DoubleVector.zero(S);
      int bound = S.loopBound(len);
      for (; j < bound; j += L) {
        acc = DoubleVector.fromArray(S, p, po + j).mul(DoubleVector.fromArray(S, v, j))
            .fma(DoubleVector.fromArray(S, c, co + j), acc);
      }
      s = VectorMath.sumLanes(acc);
    }
    for (; j < len; j++) {
      s += p[po + j] * v[j] * c[co + j];
    }
    return s;
  }

  /** min_k (x[xo+k] - y[yo+k]), k < len. */
  public static double minDifference(double[] x, int xo, double[] y, int yo, int len) {
    int k = 0;
    double mn = Double.POSITIVE_INFINITY;
    // differences and minima are exact, so the scalar loop that a cold process runs (Warmth) gives the same value
    if (len >= L && !Warmth.cold(len)) {
      DoubleVector acc = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        acc = acc.min(DoubleVector.fromArray(S, x, xo + k).sub(DoubleVector.fromArray(S, y, yo + k)));
      }
      mn = acc.reduceLanes(VectorOperators.MIN);
    }
    for (; k < len; k++) {
      mn = Math.min(mn, x[xo + k] - y[yo + k]);
    }
    return mn;
  }

  /** Smallest of x[xo..xo+len). */
  public static double min(double[] x, int xo, int len) {
    int k = 0;
    double mn = Double.POSITIVE_INFINITY;
    if (len >= L && !Warmth.cold(len)) {
      DoubleVector acc = DoubleVector.broadcast(S, Double.POSITIVE_INFINITY);
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        acc = acc.min(DoubleVector.fromArray(S, x, xo + k));
      }
      mn = acc.reduceLanes(VectorOperators.MIN);
    }
    for (; k < len; k++) {
      mn = Math.min(mn, x[xo + k]);
    }
    return mn;
  }

  /** The largest of x[xo..xo+len). */
  public static double max(double[] x, int xo, int len) {
    int k = 0;
    double mx = Double.NEGATIVE_INFINITY;
    if (len >= L) {
      DoubleVector acc = DoubleVector.broadcast(S, Double.NEGATIVE_INFINITY);
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        acc = acc.max(DoubleVector.fromArray(S, x, xo + k));
      }
      mx = acc.reduceLanes(VectorOperators.MAX);
    }
    for (; k < len; k++) {
      mx = Math.max(mx, x[xo + k]);
    }
    return mx;
  }

  /** sum_k x[xo..xo+len). */
  public static double sum(double[] x, int xo, int len) {
    int k = 0;
    double s = 0;
    if (len >= L) {
      DoubleVector acc = DoubleVector.zero(S);
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        acc = acc.add(DoubleVector.fromArray(S, x, xo + k));
      }
      s = VectorMath.sumLanes(acc);
    }
    for (; k < len; k++) {
      s += x[xo + k];
    }
    return s;
  }

  /** x[xo..xo+len) *= alpha; returns the sum of the scaled entries. */
  public static double scale(double[] x, int xo, int len, double alpha) {
    int k = 0;
    double s = 0;
    if (len >= L) {
      DoubleVector acc = DoubleVector.zero(S);
      int bound = S.loopBound(len);
      for (; k < bound; k += L) {
        DoubleVector v = DoubleVector.fromArray(S, x, xo + k).mul(alpha);
        v.intoArray(x, xo + k);
        acc = acc.add(v);
      }
      s = VectorMath.sumLanes(acc);
    }
    for (; k < len; k++) {
      x[xo + k] *= alpha;
      s += x[xo + k];
    }
    return s;
  }

  /** mx[j] = max(mx[j], f - c[co+j]), j &lt; len. */
  public static void maxDifference(double f, double[] c, int co, double[] mx, int len) {
    int j = 0;
    if (len >= L) {
      DoubleVector vf = DoubleVector.broadcast(S, f);
      int bound = S.loopBound(len);
      for (; j < bound; j += L) {
        vf.sub(DoubleVector.fromArray(S, c, co + j)).max(DoubleVector.fromArray(S, mx, j)).intoArray(mx, j);
      }
    }
    for (; j < len; j++) {
      mx[j] = Math.max(mx[j], f - c[co + j]);
    }
  }

  /** t[j] += p[po+j] * (x[j] - mean), j &lt; len, as one fused multiply-add per element. */
  public static void deviation(double[] p, int po, double[] x, double mean, double[] t, int len) {
    int j = 0;
    if (len >= L) {
      DoubleVector vm = DoubleVector.broadcast(S, mean);
      int bound = S.loopBound(len);
      for (; j < bound; j += L) {
        DoubleVector dx = DoubleVector.fromArray(S, x, j).sub(vm);
        dx.fma(DoubleVector.fromArray(S, p, po + j), DoubleVector.fromArray(S, t, j)).intoArray(t, j);
      }
    }
    for (; j < len; j++) {
      t[j] = Math.fma(x[j] - mean, p[po + j], t[j]);
    }
  }
}
