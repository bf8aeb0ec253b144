package dev.tokendyn.sphere;

/**
 * How the time step is chosen. USA's velocity grows like exp(beta), so a fixed step that suits beta = 1
 * throws the tokens around the sphere at beta = 64 (Geshkovski et al. shrink dt with beta for that
 * reason). {@link #ADAPTIVE} takes h = min(dt, {@value #MAX_DISPLACEMENT} / max_i |v_i|), so that no
 * token moves by more than {@value #MAX_DISPLACEMENT} in one step, and shortens the step where needed to
 * land exactly on every recorded time (multiples of recordEvery * dt).
 */
public enum StepControl {
  /** Every step is dt. */
  FIXED,
  /** h = min(dt, MAX_DISPLACEMENT / max_i |v_i|), landing exactly on the recorded times. */
  ADAPTIVE;

  /** The largest distance a token travels in one adaptive step (on the unit sphere, about an angle). */
  public static final double MAX_DISPLACEMENT = 0.02;
}
