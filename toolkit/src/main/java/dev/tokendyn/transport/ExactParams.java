package dev.tokendyn.transport;

/**
 * Parameters of exact OT.
 *
 * @param cost the ground cost used when the solver is given two clouds
 * @param maxIter the most network-simplex pivots, POT's {@code numItermax} (default 100000)
 */
public record ExactParams(Cost cost, int maxIter) {
  /** POT's default {@code numItermax}. */
  public static final int DEFAULT_MAX_ITER = 100_000;

  public ExactParams {
    if (cost == null) {
      throw new IllegalArgumentException("cost must be given, found null");
    }
    if (maxIter < 1) {
      throw new IllegalArgumentException("maxIter must be >= 1, found " + maxIter);
    }
  }

  /** Squared Euclidean cost and POT's default iteration limit. */
  public static ExactParams defaults() {
    return new ExactParams(Cost.SQEUCLIDEAN, DEFAULT_MAX_ITER);
  }

  /** These parameters with another cost. */
  public ExactParams withCost(Cost c) {
    return new ExactParams(c, maxIter);
  }
}
