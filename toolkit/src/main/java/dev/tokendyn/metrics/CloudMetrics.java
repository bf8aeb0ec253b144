package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Arrays;

/**
 * Every per-cloud measurement of this package, for one cloud. The names of the components are the keys
 * of the {@code metrics} command's JSON (in snake_case).
 *
 * @param meanCosine {@link MeanCosine#of}
 * @param clusters the number of clusters at the threshold, {@link Clusters#of(TokenCloud, double)}
 * @param clusterSizes their sizes, largest first
 * @param clusteredFraction {@link Clusters#clusteredFraction}
 * @param rankCollapse {@link RankCollapse#of}
 * @param effectiveRank {@link EffectiveRank#of}
 * @param stableRank {@link StableRank#of}
 * @param anisotropy {@link Anisotropy#of}, the expected cosine between random tokens of this cloud
 * @param intrinsicDimension {@link IntrinsicDimension#of}, NaN where undefined
 * @param entropy {@link Entropy#of} with k = {@link Entropy#DEFAULT_K}, nats, NaN where undefined
 */
public record CloudMetrics(
    double meanCosine,
    int clusters,
    int[] clusterSizes,
    double clusteredFraction,
    double rankCollapse,
    double effectiveRank,
    double stableRank,
    double anisotropy,
    double intrinsicDimension,
    double entropy) {

  public CloudMetrics {
    clusterSizes = clusterSizes.clone();
  }

  /**
   * Measures one cloud; the nearest-neighbour search is shared by TwoNN and the entropy.
   *
   * @param threshold the cosine threshold of the clusters, in [-1, 1]
   * @throws IllegalArgumentException when the cloud has fewer than 4 points (TwoNN needs 3, the entropy
   *     estimate k + 1 = 4), a zero point, or a threshold outside [-1, 1]
   */
  public static CloudMetrics of(TokenCloud cloud, double threshold) {
    requireMeasurable(cloud);
    Clusters.Result clusters = Clusters.of(cloud, threshold);
    double[] sigma = SingularValues.ofCentred(cloud);
    int d = cloud.dimension();
    int k = Entropy.DEFAULT_K;
    double[] nearest = Neighbours.nearest(Neighbours.distinctPoints(cloud), d, k);
    double meanCosine = MeanCosine.of(cloud);
    return new CloudMetrics(
        meanCosine,
        clusters.count(),
        clusters.sizes(),
        Clusters.clusteredFraction(cloud),
        RankCollapse.of(cloud),
        EffectiveRank.fromSingularValues(sigma),
        StableRank.fromSingularValues(sigma),
        meanCosine,
        IntrinsicDimension.fromNearest(nearest, k, IntrinsicDimension.DEFAULT_DISCARD),
        Entropy.fromNearest(nearest, k, k, d));
  }

  /**
   * Checks that every measurement can run on the cloud.
   *
   * @throws IllegalArgumentException naming the measurement that needs more points
   */
  public static void requireMeasurable(TokenCloud cloud) {
    IntrinsicDimension.requireEnoughPoints(cloud);
    Entropy.requireEnoughPoints(cloud, Entropy.DEFAULT_K);
  }

  @Override
  public int[] clusterSizes() {
    return clusterSizes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CloudMetrics c && Double.compare(c.meanCosine, meanCosine) == 0 && c.clusters == clusters
        && Arrays.equals(c.clusterSizes, clusterSizes) && Double.compare(c.clusteredFraction, clusteredFraction) == 0
        && Double.compare(c.rankCollapse, rankCollapse) == 0 && Double.compare(c.effectiveRank, effectiveRank) == 0
        && Double.compare(c.stableRank, stableRank) == 0 && Double.compare(c.anisotropy, anisotropy) == 0
        && Double.compare(c.intrinsicDimension, intrinsicDimension) == 0 && Double.compare(c.entropy, entropy) == 0;
  }

  @Override
  public int hashCode() {
    return Double.hashCode(meanCosine) * 31 + Arrays.hashCode(clusterSizes);
  }

  @Override
  public String toString() {
    return "CloudMetrics[mean_cosine=" + meanCosine + ", clusters=" + clusters + ", rank_collapse=" + rankCollapse
        + ", effective_rank=" + effectiveRank + ", intrinsic_dimension=" + intrinsicDimension + ", entropy=" + entropy
        + "]";
  }
}
