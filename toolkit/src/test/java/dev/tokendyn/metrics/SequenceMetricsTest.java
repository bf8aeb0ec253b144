package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceMetricsTest {

  private static CloudSequence walk(int layers, int n, int d, Random rng) {
    double[] x = Samples.gaussian(n, d, rng);
    List<TokenCloud> clouds = new ArrayList<>();
    clouds.add(TokenCloud.ofFlat(n, d, x));
    for (int l = 1; l < layers; l++) {
      x = x.clone();
      for (int i = 0; i < x.length; i++) {
        x[i] += 0.3 * rng.nextGaussian();
      }
      clouds.add(TokenCloud.ofFlat(n, d, x));
    }
    return CloudSequence.ofLayers(clouds);
  }

  @Test
  void perCloudValuesAgreeWithTheSingleMetrics() {
    CloudSequence seq = walk(3, 80, 6, new Random(345));
    SequenceMetrics m = SequenceMetrics.of(seq, MetricsParams.defaults().withTransitions(TransitionParams.identityOnly()));
    for (int l = 0; l < 3; l++) {
      TokenCloud c = seq.cloud(l);
      CloudMetrics cm = m.clouds().get(l);
      assertThat(cm.meanCosine()).isEqualTo(MeanCosine.of(c));
      assertThat(cm.clusterSizes()).containsExactly(Clusters.of(c).sizes());
      assertThat(cm.clusteredFraction()).isEqualTo(Clusters.clusteredFraction(c));
      assertThat(cm.rankCollapse()).isEqualTo(RankCollapse.of(c));
      assertThat(cm.effectiveRank()).isEqualTo(EffectiveRank.of(c));
      assertThat(cm.stableRank()).isEqualTo(StableRank.of(c));
      assertThat(cm.intrinsicDimension().value()).isEqualTo(IntrinsicDimension.of(c));
      assertThat(cm.entropy()).isEqualTo(Entropy.of(c));
      assertThat(m.spreading().entropy()[l]).isEqualTo(cm.entropy());
    }
    assertThat(m.transitions()).hasSize(2);
    assertThat(m.transitions().get(1).identityCost()).isEqualTo(IdentityCost.of(seq.cloud(1), seq.cloud(2)));
  }

  @Test
  void jsonLayoutAndUndefinedValuesAsNull() {
    // the second cloud has all its points at one place: intrinsic dimension and entropy are undefined
    TokenCloud spread = TokenCloud.of(new double[][] {{1, 0}, {0, 1}, {-1, 0.5}, {0.3, -1}, {2, 2}});
    TokenCloud collapsed = TokenCloud.of(new double[][] {{1, 1}, {1, 1}, {1, 1}, {1, 1}, {1, 1}});
    SequenceMetrics m = SequenceMetrics.of(CloudSequence.ofLayers(List.of(spread, collapsed)),
        MetricsParams.defaults().withTransitions(TransitionParams.identityOnly()));
    JsonNode j = m.toJson();
    assertThat(j.get("schema").asText()).isEqualTo("tokendyn.metrics/1");
    JsonNode c1 = j.get("clouds").get(1);
    assertThat(c1.get("clusters").asInt()).isEqualTo(1);
    assertThat(c1.get("cluster_sizes").get(0).asInt()).isEqualTo(5);
    assertThat(c1.get("mean_cosine").asDouble()).isCloseTo(1, within(1e-12));
    assertThat(c1.get("intrinsic_dimension").isNull()).isTrue();
    assertThat(c1.get("entropy").isNull()).isTrue();
    assertThat(c1.get("effective_rank").asDouble()).isEqualTo(0.0);
    JsonNode t = j.get("transitions").get(0);
    assertThat(t.get("from").asInt()).isEqualTo(0);
    assertThat(t.get("to").asInt()).isEqualTo(1);
    assertThat(t.has("identity_cost")).isTrue();
    assertThat(t.has("w2")).isFalse();
    assertThat(j.get("spreading").get("msd").size()).isEqualTo(2);
    assertThat(j.get("spreading").get("msd_alpha").isNull()).isTrue(); // one point with t > 0: no fit
  }

  @Test
  void badInputNamesTheCloud() {
    TokenCloud ok = TokenCloud.of(new double[][] {{1, 0}, {0, 1}, {-1, 0.5}, {0.3, -1}});
    TokenCloud zero = TokenCloud.of(new double[][] {{1, 0}, {0, 0}, {-1, 0.5}, {0.3, -1}});
    assertThatThrownBy(() -> SequenceMetrics.of(CloudSequence.ofLayers(List.of(ok, zero)), MetricsParams.defaults()))
        .hasMessage("cloud 1 (1): point 1 is the zero vector; its cosine with other points is undefined");
    // a cloud too small for some measurements is measured; those are NaN with their reason
    TokenCloud one = TokenCloud.of(new double[][] {{1, 0}});
    CloudMetrics m = SequenceMetrics.of(CloudSequence.ofLayers(List.of(one)), MetricsParams.defaults()).clouds().get(0);
    assertThat(m.meanCosine()).isNaN();
    assertThat(m.undefined()).containsEntry("mean_cosine", "needs at least 2 points, found 1");
    assertThat(m.intrinsicDimension().value()).isNaN();
    assertThat(m.undefined()).containsEntry("intrinsic_dimension", "needs at least 20 distinct points, found 1");
    assertThat(m.clusters()).isEqualTo(1);
    assertThatThrownBy(() -> MetricsParams.defaults().withThreshold(2))
        .hasMessage("threshold must be a cosine in [-1, 1], found 2.0");
  }
}
