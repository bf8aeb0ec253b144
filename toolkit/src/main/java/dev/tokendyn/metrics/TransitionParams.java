package dev.tokendyn.metrics;

/**
 * How transitions between consecutive clouds are measured.
 *
 * @param transport whether to compute the transport distances (W2, Sinkhorn divergence, sliced); when
 *     false only the identity cost is computed
 * @param sinkhornScale the entropic regularisation of the Sinkhorn divergence as a multiple of the median
 *     squared distance between the points of the two clouds: reg = sinkhornScale * median |x_i - y_j|^2;
 *     positive
 * @param slicedProjections the number of random directions of the sliced distance, at least 1
 * @param seed the seed of those directions (and of the pair sample for the median on large clouds)
 * @param rotationComponents k, the principal components of the {@link RotationalShare}, at least 1
 */
public record TransitionParams(boolean transport, double sinkhornScale, int slicedProjections, long seed,
                               int rotationComponents) {
  /** The default Sinkhorn scale: reg = 0.05 x median squared distance. */
  public static final double DEFAULT_SINKHORN_SCALE = 0.05;
  /** The default number of sliced projections. */
  public static final int DEFAULT_PROJECTIONS = 64;

  public TransitionParams {
    if (!(sinkhornScale > 0) || Double.isInfinite(sinkhornScale)) {
      throw new IllegalArgumentException("the Sinkhorn scale must be finite and > 0, found " + sinkhornScale);
    }
    if (slicedProjections < 1) {
      throw new IllegalArgumentException("--projections must be >= 1, found " + slicedProjections);
    }
    if (rotationComponents < 1) {
      throw new IllegalArgumentException("--rotation-components must be >= 1, found " + rotationComponents);
    }
  }

  /** Transport on, reg = 0.05 x median squared distance, 64 projections, seed 0. */
  public static TransitionParams defaults() {
    return new TransitionParams(true, DEFAULT_SINKHORN_SCALE, DEFAULT_PROJECTIONS, 0L,
        RotationalShare.DEFAULT_COMPONENTS);
  }

  /** The same with k principal components for the rotational share. */
  public TransitionParams withRotationComponents(int k) {
    return new TransitionParams(transport, sinkhornScale, slicedProjections, seed, k);
  }

  /** The identity cost and the rotational share only. */
  public static TransitionParams identityOnly() {
    return new TransitionParams(false, DEFAULT_SINKHORN_SCALE, DEFAULT_PROJECTIONS, 0L,
        RotationalShare.DEFAULT_COMPONENTS);
  }
}
