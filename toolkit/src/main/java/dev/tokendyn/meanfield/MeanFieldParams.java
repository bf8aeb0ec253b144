package dev.tokendyn.meanfield;

/**
 * The parameters of the mean-field equation of SA on the circle.
 *
 * @param beta inverse temperature, finite and &gt;= 0
 * @param time final time, finite and &gt;= 0
 * @param frames recorded intervals: frames at t = k time / frames, k = 0..frames; &gt;= 1
 * @param cfl the time step is cfl * h (h = 2 pi / N; the velocity is bounded by 1), in (0, 0.5] so that
 *     the scheme keeps the density non-negative
 */
public record MeanFieldParams(double beta, double time, int frames, double cfl) {
  /** The default Courant number. */
  public static final double DEFAULT_CFL = 0.45;

  public MeanFieldParams {
    if (!Double.isFinite(beta) || beta < 0) {
      throw new IllegalArgumentException("beta must be finite and >= 0, found " + beta);
    }
    if (!Double.isFinite(time) || time < 0) {
      throw new IllegalArgumentException("time must be finite and >= 0, found " + time);
    }
    if (frames < 1) {
      throw new IllegalArgumentException("frames must be >= 1, found " + frames);
    }
    if (!(cfl > 0 && cfl <= 0.5)) {
      throw new IllegalArgumentException("cfl must be in (0, 0.5] for a non-negative density, found " + cfl);
    }
  }

  /** With the default Courant number. */
  public static MeanFieldParams of(double beta, double time, int frames) {
    return new MeanFieldParams(beta, time, frames, DEFAULT_CFL);
  }
}
