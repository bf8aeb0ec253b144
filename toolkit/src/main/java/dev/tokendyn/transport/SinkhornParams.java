package dev.tokendyn.transport;

/**
 * Parameters of entropic OT, in POT's order and with POT's defaults.
 *
 * @param cost the ground cost used when the solver is given two clouds
 * @param reg the entropic regularisation epsilon &gt; 0, in the units of the cost (POT's {@code reg})
 * @param maxIter the most Sinkhorn iterations over all epsilon stages, POT's {@code numItermax} (1000)
 * @param stopThr stop when the L2 norm of the marginal error is below this, POT's {@code stopThr} (1e-9)
 * @param scaling the factor in (0, 1) by which epsilon shrinks between stages of epsilon-scaling (0.5)
 */
public record SinkhornParams(Cost cost, double reg, int maxIter, double stopThr, double scaling) {
  /** POT's default {@code numItermax} for Sinkhorn. */
  public static final int DEFAULT_MAX_ITER = 1000;
  /** POT's default {@code stopThr}. */
  public static final double DEFAULT_STOP_THR = 1e-9;
  /** Default epsilon-scaling factor. */
  public static final double DEFAULT_SCALING = 0.5;

  public SinkhornParams {
    if (cost == null) {
      throw new IllegalArgumentException("cost must be given, found null");
    }
    if (!(reg > 0) || Double.isInfinite(reg)) {
      throw new IllegalArgumentException("reg must be > 0 and finite, found " + reg);
    }
    if (maxIter < 1) {
      throw new IllegalArgumentException("maxIter must be >= 1, found " + maxIter);
    }
    if (!(stopThr > 0) || Double.isInfinite(stopThr)) {
      throw new IllegalArgumentException("stopThr must be > 0 and finite, found " + stopThr);
    }
    if (!(scaling > 0 && scaling < 1)) {
      throw new IllegalArgumentException("scaling must be in (0, 1), found " + scaling);
    }
  }

  /** Squared Euclidean cost, the given reg, and POT's defaults otherwise. */
  public static SinkhornParams of(double reg) {
    return new SinkhornParams(Cost.SQEUCLIDEAN, reg, DEFAULT_MAX_ITER, DEFAULT_STOP_THR, DEFAULT_SCALING);
  }

  public SinkhornParams withCost(Cost c) {
    return new SinkhornParams(c, reg, maxIter, stopThr, scaling);
  }

  public SinkhornParams withMaxIter(int n) {
    return new SinkhornParams(cost, reg, n, stopThr, scaling);
  }

  public SinkhornParams withStopThr(double t) {
    return new SinkhornParams(cost, reg, maxIter, t, scaling);
  }
}
