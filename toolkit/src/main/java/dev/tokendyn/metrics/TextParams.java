package dev.tokendyn.metrics;

/**
 * How each text of a corpus is measured ({@link TextMeasures}).
 *
 * @param dropSpecial leave the special tokens ([CLS], [SEP], BOS/EOS) out of every geometry measurement
 * @param threshold the cosine threshold of the clusters, in [-1, 1]
 * @param rotationComponents k, the principal components of {@link RotationalShare}, at least 1
 * @param transport compute the exact W2 between layers and the geodesic ratio
 */
public record TextParams(boolean dropSpecial, double threshold, int rotationComponents, boolean transport)
    implements java.io.Serializable {
  public TextParams {
    if (!(threshold >= -1 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be a cosine in [-1, 1], found " + threshold);
    }
    if (rotationComponents < 1) {
      throw new IllegalArgumentException("rotation components must be >= 1, found " + rotationComponents);
    }
  }

  /** Special tokens dropped, threshold 0.999, k = 10, transport on. */
  public static TextParams defaults() {
    return new TextParams(true, Clusters.DEFAULT_THRESHOLD, RotationalShare.DEFAULT_COMPONENTS, true);
  }

  public TextParams withDropSpecial(boolean v) {
    return new TextParams(v, threshold, rotationComponents, transport);
  }

  public TextParams withThreshold(double v) {
    return new TextParams(dropSpecial, v, rotationComponents, transport);
  }

  public TextParams withRotationComponents(int v) {
    return new TextParams(dropSpecial, threshold, v, transport);
  }

  public TextParams withTransport(boolean v) {
    return new TextParams(dropSpecial, threshold, rotationComponents, v);
  }
}
