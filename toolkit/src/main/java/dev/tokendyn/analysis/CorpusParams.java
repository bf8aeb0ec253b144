package dev.tokendyn.analysis;

import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextParams;
import dev.tokendyn.metrics.TransitionParams;

/**
 * How a corpus is analysed ({@link CorpusAnalysis}).
 *
 * @param text how each text is measured
 * @param pooledSample the number of tokens in the seeded uniform sample of the corpus on which the
 *     distribution-level transport, rotational share and intrinsic dimension are measured, at least 2
 * @param slicedProjections directions of the sliced W2, at least 1
 * @param sinkhornScale the Sinkhorn divergence's reg as a multiple of the median squared distance, &gt; 0
 * @param seed the seed of the sample, the bootstrap and the sliced directions
 * @param resamples bootstrap resamples over texts, at least 1
 * @param selfSimilarityWords the most frequent token ids (in at least two texts) whose self-similarity
 *     is measured, at least 0
 * @param requireRotation refuse a corpus whose pooled sample is too small for the rotational share's
 *     components (when the user chose them), instead of reporting the pooled share as undefined
 * @param standardize measure every text in coordinates standardised over the corpus
 *     ({@link dev.tokendyn.metrics.Standardization}), which takes a first pass over the corpus
 */
public record CorpusParams(TextParams text, int pooledSample, int slicedProjections, double sinkhornScale, long seed,
                           int resamples, int selfSimilarityWords, boolean requireRotation, boolean standardize)
    implements java.io.Serializable {
  /** The default size of the pooled sample. */
  public static final int DEFAULT_POOLED_SAMPLE = 4000;
  /** The default number of words whose self-similarity is measured. */
  public static final int DEFAULT_WORDS = 200;
  /** The most tokens of the pooled sample on which the intrinsic dimension's decimation curve starts. */
  public static final int INTRINSIC_DIMENSION_SAMPLE = 1000;

  public CorpusParams {
    java.util.Objects.requireNonNull(text, "text");
    if (pooledSample < 2) {
      throw new IllegalArgumentException("--pooled-sample must be >= 2, found " + pooledSample);
    }
    if (slicedProjections < 1) {
      throw new IllegalArgumentException("--projections must be >= 1, found " + slicedProjections);
    }
    if (!(sinkhornScale > 0) || Double.isInfinite(sinkhornScale)) {
      throw new IllegalArgumentException("the Sinkhorn scale must be finite and > 0, found " + sinkhornScale);
    }
    if (resamples < 1) {
      throw new IllegalArgumentException("--bootstrap must be >= 1, found " + resamples);
    }
    if (selfSimilarityWords < 0) {
      throw new IllegalArgumentException("the number of self-similarity words must be >= 0, found "
          + selfSimilarityWords);
    }
  }

  /** Every default, seed 0. */
  public static CorpusParams defaults() {
    return new CorpusParams(TextParams.defaults(), DEFAULT_POOLED_SAMPLE, TransitionParams.DEFAULT_PROJECTIONS,
        TransitionParams.DEFAULT_SINKHORN_SCALE, 0L, Summary.Resamples.DEFAULT, DEFAULT_WORDS, false, false);
  }

  public CorpusParams withText(TextParams t) {
    return new CorpusParams(t, pooledSample, slicedProjections, sinkhornScale, seed, resamples, selfSimilarityWords, requireRotation,
        standardize);
  }

  public CorpusParams withPooledSample(int n) {
    return new CorpusParams(text, n, slicedProjections, sinkhornScale, seed, resamples, selfSimilarityWords, requireRotation,
        standardize);
  }

  public CorpusParams withSeed(long s) {
    return new CorpusParams(text, pooledSample, slicedProjections, sinkhornScale, s, resamples, selfSimilarityWords, requireRotation,
        standardize);
  }

  public CorpusParams withRequireRotation(boolean r) {
    return new CorpusParams(text, pooledSample, slicedProjections, sinkhornScale, seed, resamples, selfSimilarityWords,
        r, standardize);
  }

  public CorpusParams withStandardize(boolean z) {
    return new CorpusParams(text, pooledSample, slicedProjections, sinkhornScale, seed, resamples, selfSimilarityWords,
        requireRotation, z);
  }

  public CorpusParams withResamples(int b) {
    return new CorpusParams(text, pooledSample, slicedProjections, sinkhornScale, seed, b, selfSimilarityWords, requireRotation,
        standardize);
  }
}
