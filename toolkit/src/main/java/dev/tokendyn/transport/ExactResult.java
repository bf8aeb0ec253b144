package dev.tokendyn.transport;

import java.util.List;

/**
 * The result of exact OT.
 *
 * @param plan the optimal plan P (n x m), sparse: at most n + m - 1 non-zeros
 * @param value sum_ij P_ij M_ij, as POT's {@code ot.emd2}
 * @param iterations network-simplex pivots
 * @param converged true when an optimal basis was reached within maxIter pivots
 * @param warnings e.g. the iteration limit was reached
 */
public record ExactResult(TransportPlan plan, double value, long iterations, boolean converged, List<String> warnings)
    implements TransportResult {
  public ExactResult {
    warnings = List.copyOf(warnings);
  }
}
