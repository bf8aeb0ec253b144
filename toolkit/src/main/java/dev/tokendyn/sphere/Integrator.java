package dev.tokendyn.sphere;

/** Time stepping on the sphere; each step ends by renormalising every point to unit length. */
public enum Integrator {
  /** Projected explicit Euler: x &lt;- normalise(x + dt v(x)); Euler-Maruyama when there is noise. */
  EULER,
  /** Classical fourth-order Runge-Kutta in the ambient space, then renormalisation (deterministic only). */
  RK4
}
