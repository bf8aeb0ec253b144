package dev.tokendyn.metrics;

import java.util.Objects;

/**
 * What a full metrics pass over a sequence uses.
 *
 * @param threshold the cosine threshold of the clusters, in [-1, 1]
 * @param transitions how the steps between consecutive clouds are measured
 */
public record MetricsParams(double threshold, TransitionParams transitions) {
  public MetricsParams {
    if (!(threshold >= -1 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be a cosine in [-1, 1], found " + threshold);
    }
    Objects.requireNonNull(transitions, "transitions");
  }

  /** Threshold {@link Clusters#DEFAULT_THRESHOLD} and {@link TransitionParams#defaults()}. */
  public static MetricsParams defaults() {
    return new MetricsParams(Clusters.DEFAULT_THRESHOLD, TransitionParams.defaults());
  }

  /** This with another cluster threshold. */
  public MetricsParams withThreshold(double newThreshold) {
    return new MetricsParams(newThreshold, transitions);
  }

  /** This with other transition settings. */
  public MetricsParams withTransitions(TransitionParams newTransitions) {
    return new MetricsParams(threshold, newTransitions);
  }
}
