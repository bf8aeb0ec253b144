package dev.tokendyn.transport;

import dev.tokendyn.cloud.TokenCloud;

/**
 * The distance between two weighted clouds, x with n points and weights a, y with m points and weights
 * b, in the same dimension d. Weights are the clouds' {@link TokenCloud#normalizedWeights()} (uniform
 * when a cloud has none). Neither cloud is modified.
 */
public interface CloudDistance {
  /**
   * Solves the transport problem from x to y.
   *
   * @throws IllegalArgumentException when the dimensions differ or a cloud's weights sum to zero
   */
  TransportResult between(TokenCloud x, TokenCloud y);
}
