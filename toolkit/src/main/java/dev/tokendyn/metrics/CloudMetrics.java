package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every per-cloud measurement of this package, for one cloud. The names of the components are the keys
 * of the {@code metrics} command's JSON (in snake_case). A measurement that is undefined for the cloud is
 * NaN, and {@link #undefined()} gives the reason under its JSON name; the others are still measured.
 *
 * @param meanCosine {@link MeanCosine#of}; undefined for fewer than 2 points
 * @param clusters the number of clusters at the threshold, {@link Clusters#of(TokenCloud, double)}
 * @param clusterSizes their sizes, largest first
 * @param clusteredFraction {@link Clusters#clusteredFraction}
 * @param rankCollapse {@link RankCollapse#of}; undefined for fewer than 2 points
 * @param effectiveRank {@link EffectiveRank#of}; undefined for fewer than 2 points
 * @param stableRank {@link StableRank#of}; undefined for fewer than 2 points
 * @param intrinsicDimension {@link IntrinsicDimension#estimate}: the value, the duplicates dropped and why
 *     it is undefined
 * @param entropy {@link Entropy#of} with k = {@link Entropy#DEFAULT_K}, nats; given only when
 *     n &gt;= {@link #ENTROPY_POINTS_PER_DIMENSION} d, since at fewer points the estimate is d times the mean
 *     log neighbour distance plus a constant and says nothing about a density
 * @param undefined the reason for each undefined measurement, by JSON name
 */
public record CloudMetrics(
    double meanCosine,
    int clusters,
    int[] clusterSizes,
    double clusteredFraction,
    double rankCollapse,
    double effectiveRank,
    double stableRank,
    IntrinsicDimension.Estimate intrinsicDimension,
    double entropy,
    Map<String, String> undefined) {

  /** The entropy estimate is given only when the cloud has at least this many points per dimension. */
  public static final int ENTROPY_POINTS_PER_DIMENSION = 10;

  public CloudMetrics {
    clusterSizes = clusterSizes.clone();
    undefined = Collections.unmodifiableMap(new LinkedHashMap<>(undefined));
  }

  /**
   * Measures one cloud. Nothing is refused for being small: what a cloud is too small for is NaN, with
   * its reason.
   *
   * @param threshold the cosine threshold of the clusters, in [-1, 1]
   * @throws IllegalArgumentException when the cloud has a zero point (its cosine with anything is
   *     undefined) or the threshold lies outside [-1, 1]
   */
  public static CloudMetrics of(TokenCloud cloud, double threshold) {
    UnitRows.of(cloud);
    Map<String, String> undefined = new LinkedHashMap<>();
    int n = cloud.size();
    int d = cloud.dimension();
    Clusters.Result clusters = Clusters.of(cloud, threshold);
    double meanCosine = Double.NaN;
    double rankCollapse = Double.NaN;
    double effectiveRank = Double.NaN;
    double stableRank = Double.NaN;
    if (n >= 2) {
      double[] sigma = SingularValues.ofCentred(cloud);
      meanCosine = MeanCosine.of(cloud);
      rankCollapse = RankCollapse.of(cloud);
      effectiveRank = EffectiveRank.fromSingularValues(sigma);
      stableRank = StableRank.fromSingularValues(sigma);
    } else {
      for (String k : new String[] {"mean_cosine", "rank_collapse", "effective_rank", "stable_rank"}) {
        undefined.put(k, "needs at least 2 points, found " + n);
      }
    }
    IntrinsicDimension.Estimate id = IntrinsicDimension.estimate(cloud, IntrinsicDimension.DEFAULT_DISCARD);
    if (!id.defined()) {
      undefined.put("intrinsic_dimension", id.reason());
    }
    double entropy = Double.NaN;
    if (n < (long) ENTROPY_POINTS_PER_DIMENSION * d) {
      undefined.put("entropy", "given only for n >= " + ENTROPY_POINTS_PER_DIMENSION + " d = "
          + (long) ENTROPY_POINTS_PER_DIMENSION * d + " points, found " + n);
    } else {
      entropy = Entropy.of(cloud, Entropy.DEFAULT_K);
      if (Double.isNaN(entropy)) {
        undefined.put("entropy", "needs more than " + Entropy.DEFAULT_K + " distinct points");
      }
    }
    if (!Double.isFinite(stableRank) && n >= 2) {
      undefined.put("stable_rank", "every point coincides with the mean");
      undefined.putIfAbsent("effective_rank", "every point coincides with the mean");
    }
    return new CloudMetrics(meanCosine, clusters.count(), clusters.sizes(), Clusters.clusteredFraction(cloud),
        rankCollapse, effectiveRank, stableRank, id, entropy, undefined);
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
        && Double.compare(c.stableRank, stableRank) == 0 && c.intrinsicDimension.equals(intrinsicDimension)
        && Double.compare(c.entropy, entropy) == 0 && c.undefined.equals(undefined);
  }

  @Override
  public int hashCode() {
    return Double.hashCode(meanCosine) * 31 + Arrays.hashCode(clusterSizes);
  }

  @Override
  public String toString() {
    return "CloudMetrics[mean_cosine=" + meanCosine + ", clusters=" + clusters + ", rank_collapse=" + rankCollapse
        + ", effective_rank=" + effectiveRank + ", intrinsic_dimension=" + intrinsicDimension.value()
        + ", entropy=" + entropy + "]";
  }
}
