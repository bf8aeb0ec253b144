/**
 * Measurements on token clouds and cloud sequences, the same for a model's layers and a simulation's
 * frames.
 *
 * <p>Per cloud: {@link dev.tokendyn.metrics.MeanCosine}, {@link dev.tokendyn.metrics.Clusters},
 * {@link dev.tokendyn.metrics.RankCollapse}, {@link dev.tokendyn.metrics.EffectiveRank},
 * {@link dev.tokendyn.metrics.StableRank}, {@link dev.tokendyn.metrics.Anisotropy},
 * {@link dev.tokendyn.metrics.IntrinsicDimension} (TwoNN) and {@link dev.tokendyn.metrics.Entropy}
 * (Kozachenko-Leonenko). Between consecutive clouds of the same tokens: {@link dev.tokendyn.metrics.Transition}
 * (identity cost, W2 and the transport efficiency). Across a sequence: {@link dev.tokendyn.metrics.Spreading}
 * (mean squared displacement and its exponent, variance growth, entropy curve).
 * {@link dev.tokendyn.metrics.SequenceMetrics} runs them all, as the {@code metrics} command does.
 *
 * <p>Every entry point is static, takes clouds that it does not modify, and returns a number or an
 * immutable record. Misuse (a wrong shape, too few points) is an {@link IllegalArgumentException} that
 * names the value; a quantity that the data leave undefined (the dimension of a cloud whose points all
 * coincide) is {@code NaN} in a result, and {@code null} in JSON.
 */
package dev.tokendyn.metrics;
