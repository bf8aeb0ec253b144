/**
 * Optimal transport between two weighted token clouds: exact OT (network simplex), entropic OT
 * (log-domain Sinkhorn with epsilon-scaling), the debiased Sinkhorn divergence, and sliced
 * Wasserstein distances (Euclidean and spherical).
 *
 * <p>Every solver answers one question, the distance between two weighted clouds
 * ({@link dev.tokendyn.transport.CloudDistance}), and follows the conventions of POT (Python Optimal
 * Transport): arguments in the order {@code (a, b, M, reg, numItermax, stopThr)}, {@code value = <P, M>} as
 * {@code ot.emd2} and {@code ot.sinkhorn2}, and sliced distances as {@code ot.sliced_wasserstein_distance}
 * with p = 2. {@link dev.tokendyn.transport.Transport} holds the one-line entry points that other
 * packages call. The package knows nothing of layers or time.
 */
package dev.tokendyn.transport;
