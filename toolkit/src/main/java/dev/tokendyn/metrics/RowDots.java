package dev.tokendyn.metrics;

import dev.tokendyn.kernel.VectorMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products of one row of a row-major matrix with four others at once, the inner loop of the
 * cluster search. Uses the Vector API when the JVM was started with {@code --add-modules
 * jdk.incubator.vector} (as the launcher and the build do), and a scalar loop otherwise; both give the
 * same values up to rounding.
 */
final class RowDots {
  private RowDots() {}

  /** Whether the Vector API module is present in this JVM. */
  static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  /** out[q] = &lt;u[oi..oi+d), u[oj[q]..oj[q]+d)&gt; for q = 0..3. */
  static void dot4(double[] u, int oi, int o0, int o1, int o2, int o3, int d, double[] out) {
    if (SIMD && d >= 8) {
      Simd.dot4(u, oi, o0, o1, o2, o3, d, out);
    } else {
      out[0] = Clusters.dot(u, oi, o0, d);
      out[1] = Clusters.dot(u, oi, o1, d);
      out[2] = Clusters.dot(u, oi, o2, d);
      out[3] = Clusters.dot(u, oi, o3, d);
    }
  }

  /** Loaded only when the module is present. */
  private static final class Simd {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    static void dot4(double[] u, int oi, int o0, int o1, int o2, int o3, int d, double[] out) {
      DoubleVector a0 = DoubleVector.zero(S);
      DoubleVector a1 = DoubleVector.zero(S);
      DoubleVector a2 = DoubleVector.zero(S);
      DoubleVector a3 = DoubleVector.zero(S);
      int step = S.length();
      int bound = S.loopBound(d);
      int k = 0;
      for (; k < bound; k += step) {
        DoubleVector x = DoubleVector.fromArray(S, u, oi + k);
        a0 = x.fma(DoubleVector.fromArray(S, u, o0 + k), a0);
        a1 = x.fma(DoubleVector.fromArray(S, u, o1 + k), a1);
        a2 = x.fma(DoubleVector.fromArray(S, u, o2 + k), a2);
        a3 = x.fma(DoubleVector.fromArray(S, u, o3 + k), a3);
      }
      double[] tmp = new double[step];
      double s0 = VectorMath.sumLanes(a0, tmp);
      double s1 = VectorMath.sumLanes(a1, tmp);
      double s2 = VectorMath.sumLanes(a2, tmp);
      double s3 = VectorMath.sumLanes(a3, tmp);
      for (; k < d; k++) {
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
  }
}
