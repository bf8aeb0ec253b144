package dev.tokendyn.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector-API building blocks whose results do not depend on the JIT: an exponential and a lane sum
 * built only from IEEE operations that are exact or correctly rounded (add, multiply, fused
 * multiply-add, bit shifts), in a fixed order.
 *
 * <p>Why: the Vector API's own {@code EXP} and {@code reduceLanes(ADD)} may give other last bits once
 * compiled than when interpreted (an intrinsic against the Java fallback, or a tree reduction against
 * a sequential one), so a run's result would depend on when the JIT kicked in. With these, the same
 * input gives the same bits every time, which the project promises for every seeded computation.
 */
public final class VectorMath {
  private VectorMath() {}

  /** The preferred species of doubles on this machine. */
  public static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  /** Doubles per SIMD vector. */
  public static final int LANES = SPECIES.length();

  private static final double LOG2E = 1.4426950408889634;
  private static final double LN2_HI = 0.6931471803691238;
  private static final double LN2_LO = 1.9082149292705877e-10;
  private static final double SHIFTER = 0x1.8p52;
  private static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
  /** Below this, exp is held at e^EXP_MIN (about 1e-304) instead of underflowing to subnormals. */
  public static final double EXP_MIN = -700;
  /** Above this, exp is held at e^EXP_MAX (about 8e307) instead of overflowing. */
  public static final double EXP_MAX = 709;
  /** 1/k! for k = 0..12: Taylor coefficients of exp on |r| &lt;= ln(2)/2, truncation error below 2e-16. */
  private static final double[] INV_FACT = new double[13];
  /** Degree of {@link #expForSingle(DoubleVector)}: truncation error below 5.4e-9 absolute, 7.7e-9 relative. */
  private static final int SINGLE_DEGREE = 7;

  static {
    double f = 1;
    for (int k = 0; k < INV_FACT.length; k++) {
      if (k > 0) {
        f *= k;
      }
      INV_FACT[k] = 1 / f;
    }
  }

  /**
   * exp(x) lane-wise within 2 ulp for x in [{@link #EXP_MIN}, {@link #EXP_MAX}]; outside, x is held at
   * the nearer bound (so -Infinity gives e^-700, about 1e-304, and never a subnormal). Method: x = k ln2 + r with k = round(x / ln2) (the 1.5 * 2^52 rounding trick) and
   * Cody-Waite reduction, exp(r) by a degree-12 Horner polynomial, and 2^k put in the exponent bits.
   */
  public static DoubleVector exp(DoubleVector x) {
    DoubleVector y = x.max(EXP_MIN).min(EXP_MAX);
    DoubleVector t = y.fma(LOG2E, SHIFTER);
    DoubleVector k = t.sub(SHIFTER);
    DoubleVector r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_HI), y);
    r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_LO), r);
    DoubleVector p = DoubleVector.broadcast(SPECIES, INV_FACT[12]);
    for (int i = 11; i >= 0; i--) {
      p = p.fma(r, DoubleVector.broadcast(SPECIES, INV_FACT[i]));
    }
    DoubleVector scale = t.reinterpretAsLongs().sub(SHIFTER_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
        .reinterpretAsDoubles();
    return p.mul(scale);
  }

  /** The scalar twin of {@link #exp(DoubleVector)}: the same operations, so the same bits. */
  public static double exp(double x) {
    double y = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
    double t = Math.fma(y, LOG2E, SHIFTER);
    double k = t - SHIFTER;
    double r = Math.fma(k, -LN2_HI, y);
    r = Math.fma(k, -LN2_LO, r);
    double p = INV_FACT[12];
    for (int i = 11; i >= 0; i--) {
      p = Math.fma(p, r, INV_FACT[i]);
    }
    return p * Double.longBitsToDouble((Double.doubleToRawLongBits(t) - (SHIFTER_BITS - 1023)) << 52);
  }

  /**
   * exp(x) lane-wise to a relative error below 8e-9, enough for a result that is then rounded to single
   * precision (half an ulp of a float is 3e-8), at about two thirds of the cost of {@link #exp(DoubleVector)}:
   * the same reduction, with a degree-7 polynomial. Same clamping.
   */
  public static DoubleVector expForSingle(DoubleVector x) {
    DoubleVector y = x.max(EXP_MIN).min(EXP_MAX);
    DoubleVector t = y.fma(LOG2E, SHIFTER);
    DoubleVector k = t.sub(SHIFTER);
    DoubleVector r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_HI), y);
    r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_LO), r);
    DoubleVector p = DoubleVector.broadcast(SPECIES, INV_FACT[SINGLE_DEGREE]);
    for (int i = SINGLE_DEGREE - 1; i >= 0; i--) {
      p = p.fma(r, DoubleVector.broadcast(SPECIES, INV_FACT[i]));
    }
    DoubleVector scale = t.reinterpretAsLongs().sub(SHIFTER_BITS - 1023).lanewise(VectorOperators.LSHL, 52)
        .reinterpretAsDoubles();
    return p.mul(scale);
  }

  /** The scalar twin of {@link #expForSingle(DoubleVector)}: the same operations, so the same bits. */
  public static double expForSingle(double x) {
    double y = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
    double t = Math.fma(y, LOG2E, SHIFTER);
    double k = t - SHIFTER;
    double r = Math.fma(k, -LN2_HI, y);
    r = Math.fma(k, -LN2_LO, r);
    double p = INV_FACT[SINGLE_DEGREE];
    for (int i = SINGLE_DEGREE - 1; i >= 0; i--) {
      p = Math.fma(p, r, INV_FACT[i]);
    }
    return p * Double.longBitsToDouble((Double.doubleToRawLongBits(t) - (SHIFTER_BITS - 1023)) << 52);
  }

  /**
   * The sum of the lanes, added in lane order, the same bits as {@link #sumLanes(DoubleVector, double[])};
   * each lane is extracted in turn, so nothing is allocated (a scratch array made per call would be, many
   * megabytes a second in a loop of short dot products).
   */
  public static double sumLanes(DoubleVector v) {
    double s = 0;
    for (int i = 0; i < LANES; i++) {
      s += v.lane(i);
    }
    return s;
  }

  /** The sum of the lanes, added in lane order; {@code tmp} holds at least {@link #LANES} doubles. */
  public static double sumLanes(DoubleVector v, double[] tmp) {
    v.intoArray(tmp, 0);
    double s = 0;
    for (int i = 0; i < LANES; i++) {
      s += tmp[i];
    }
    return s;
  }
}
