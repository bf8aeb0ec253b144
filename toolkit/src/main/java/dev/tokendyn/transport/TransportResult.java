package dev.tokendyn.transport;

import java.util.List;

/**
 * What one call of a solver returns. Each solver has its own record with what it knows (a plan, dual
 * potentials, a standard error); all of them say the value, the iterations, whether the solver
 * converged, and the warnings (non-convergence names its fix). Numerical trouble is reported here,
 * never thrown.
 */
public sealed interface TransportResult permits ExactResult, SinkhornResult, DivergenceResult, SlicedResult {
  /** The distance or transport cost; see each record for its definition. */
  double value();

  /** Iterations (pivots, Sinkhorn updates) performed; 0 where the method does not iterate. */
  long iterations();

  /** Whether the solver reached its stopping criterion. */
  boolean converged();

  /** Warnings for the user, such as non-convergence with its fix, or normalised weights. */
  List<String> warnings();
}
