package dev.tokendyn.transport;

/**
 * Parameters of a sliced Wasserstein estimate.
 *
 * @param projections the number L of random directions (or planes), POT's {@code n_projections}
 * @param seed the seed of the directions: the same seed gives the same directions and the same bits
 */
public record SlicedParams(int projections, long seed) {
  /** POT's default number of projections. */
  public static final int DEFAULT_PROJECTIONS = 50;

  public SlicedParams {
    if (projections < 1) {
      throw new IllegalArgumentException("projections must be >= 1, found " + projections);
    }
  }
}
