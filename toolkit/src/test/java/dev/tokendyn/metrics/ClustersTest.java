package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ClustersTest {

  /** k centres on the sphere, each with the given number of points jittered by 1e-4. */
  private static TokenCloud tightClusters(int[] sizes, int d, Random rng) {
    TokenCloud centres = Samples.uniformSphere(sizes.length, d, rng);
    int n = Arrays.stream(sizes).sum();
    double[] p = new double[n * d];
    int i = 0;
    for (int c = 0; c < sizes.length; c++) {
      for (int s = 0; s < sizes[c]; s++, i++) {
        for (int k = 0; k < d; k++) {
          p[i * d + k] = centres.get(c, k) + 1e-4 * rng.nextGaussian();
        }
      }
    }
    return TokenCloud.ofFlat(n, d, p);
  }

  @Test
  void kTightClustersGiveK() {
    int[] sizes = {5, 40, 1, 17, 90, 3, 12};
    TokenCloud c = tightClusters(sizes, 32, new Random(345));
    Clusters.Result r = Clusters.of(c);
    assertThat(r.count()).isEqualTo(7);
    assertThat(r.sizes()).containsExactly(90, 40, 17, 12, 5, 3, 1);
    // the points of one centre share a label
    int[] labels = r.labels();
    assertThat(labels[0]).isEqualTo(4); // size 5
    assertThat(labels[5]).isEqualTo(1); // size 40
    assertThat(labels[45]).isEqualTo(6); // size 1
  }

  @Test
  void handExample() {
    TokenCloud c = TokenCloud.of(new double[][] {{0, 1}, {1, 0}, {1, 1e-3}});
    Clusters.Result r = Clusters.of(c);
    assertThat(r.count()).isEqualTo(2);
    assertThat(r.sizes()).containsExactly(2, 1);
    assertThat(r.labels()).containsExactly(1, 0, 0);
    assertThat(r.threshold()).isEqualTo(Clusters.DEFAULT_THRESHOLD);
  }

  @Test
  void linksChainTransitively() {
    // angles 0, 2, 4 degrees: cos(2 deg) = 0.99939 > 0.999 but cos(4 deg) = 0.99756 is not
    double a = Math.toRadians(2);
    TokenCloud c = TokenCloud.of(new double[][] {{1, 0}, {Math.cos(a), Math.sin(a)}, {Math.cos(2 * a), Math.sin(2 * a)}});
    assertThat(Clusters.of(c, 0.999).count()).isEqualTo(1);
    // but only two of the three pairs are above 0.999
    assertThat(Clusters.clusteredFraction(c)).isCloseTo(2.0 / 3, within(1e-15));
  }

  @Test
  void agreesWithBreadthFirstSearch() {
    Random rng = new Random(345);
    for (int trial = 0; trial < 5; trial++) {
      TokenCloud c = Samples.uniformSphere(150, 3, rng);
      double thr = 0.9 + 0.02 * trial;
      int[] expected = componentSizesByBfs(c, thr);
      assertThat(Clusters.of(c, thr).sizes()).as("threshold %s", thr).containsExactly(expected);
    }
  }

  private static int[] componentSizesByBfs(TokenCloud c, double thr) {
    int n = c.size();
    double[][] u = c.normalizedToSphere().toArray();
    boolean[] seen = new boolean[n];
    java.util.List<Integer> sizes = new java.util.ArrayList<>();
    for (int s = 0; s < n; s++) {
      if (seen[s]) {
        continue;
      }
      int size = 0;
      ArrayDeque<Integer> q = new ArrayDeque<>();
      q.add(s);
      seen[s] = true;
      while (!q.isEmpty()) {
        int i = q.poll();
        size++;
        for (int j = 0; j < n; j++) {
          double dot = 0;
          for (int k = 0; k < 3; k++) {
            dot += u[i][k] * u[j][k];
          }
          if (!seen[j] && dot > thr) {
            seen[j] = true;
            q.add(j);
          }
        }
      }
      sizes.add(size);
    }
    return sizes.stream().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
  }

  @Test
  void clusteredFractionCountsPairsWithinClusters() {
    int[] sizes = {10, 20, 30};
    TokenCloud c = tightClusters(sizes, 16, new Random(345));
    double within = (45 + 190 + 435) / (60 * 59 / 2.0);
    assertThat(Clusters.clusteredFraction(c)).isCloseTo(within, within(1e-15));
  }

  @Test
  void spreadCloudHasSingletonsAndNoClusteredPairs() {
    TokenCloud c = Samples.uniformSphere(200, 64, new Random(345));
    assertThat(Clusters.of(c).count()).isEqualTo(200);
    assertThat(Clusters.clusteredFraction(c)).isEqualTo(0.0);
  }

  @Test
  void onePoint() {
    TokenCloud c = TokenCloud.of(new double[][] {{1, 2}});
    assertThat(Clusters.of(c).sizes()).containsExactly(1);
    assertThat(Clusters.clusteredFraction(c)).isEqualTo(1.0);
  }

  @Test
  void thresholdOutsideCosineRangeIsRejected() {
    TokenCloud c = TokenCloud.of(new double[][] {{1, 2}});
    assertThatThrownBy(() -> Clusters.of(c, 1.5)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threshold must be a cosine in [-1, 1], found 1.5");
    assertThatThrownBy(() -> Clusters.of(c, Double.NaN)).hasMessageContaining("found NaN");
  }

  @Test
  void resultIsImmutable() {
    Clusters.Result r = Clusters.of(TokenCloud.of(new double[][] {{1, 0}, {0, 1}}));
    r.sizes()[0] = 99;
    r.labels()[0] = 99;
    assertThat(r.sizes()).containsExactly(1, 1);
    assertThat(r.labels()).containsExactly(0, 1);
  }
}
