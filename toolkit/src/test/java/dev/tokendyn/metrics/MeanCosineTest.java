package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.TokenCloud;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MeanCosineTest {

  @Test
  void twoPointsByHand() {
    TokenCloud c = TokenCloud.of(new double[][] {{1, 0}, {1, 1}});
    assertThat(MeanCosine.of(c)).isCloseTo(Math.sqrt(0.5), within(1e-15));
    MeanCosine.Moments m = MeanCosine.moments(c);
    assertThat(m.mean()).isCloseTo(Math.sqrt(0.5), within(1e-15));
    assertThat(m.variance()).isCloseTo(0, within(1e-15));
  }

  @Test
  void threePointsByHand() {
    // cosines: (e1,e2)=0, (e1,-e1)=-1, (e2,-e1)=0 -> mean -1/3, mean of squares 1/3, variance 1/3 - 1/9
    TokenCloud c = TokenCloud.of(new double[][] {{2, 0}, {0, 3}, {-1, 0}});
    assertThat(MeanCosine.of(c)).isCloseTo(-1.0 / 3, within(1e-15));
    assertThat(MeanCosine.moments(c).variance()).isCloseTo(2.0 / 9, within(1e-15));
  }

  @Test
  void agreesWithPairwiseLoop() {
    Random rng = new Random(345);
    TokenCloud c = TokenCloud.ofFlat(57, 9, Samples.gaussian(57, 9, rng));
    double sum = 0;
    double sumSq = 0;
    int pairs = 0;
    for (int i = 0; i < c.size(); i++) {
      for (int j = 0; j < c.size(); j++) {
        if (i == j) {
          continue;
        }
        double dot = 0;
        double ni = 0;
        double nj = 0;
        for (int k = 0; k < c.dimension(); k++) {
          dot += c.get(i, k) * c.get(j, k);
          ni += c.get(i, k) * c.get(i, k);
          nj += c.get(j, k) * c.get(j, k);
        }
        double cos = dot / Math.sqrt(ni * nj);
        sum += cos;
        sumSq += cos * cos;
        pairs++;
      }
    }
    double mean = sum / pairs;
    assertThat(MeanCosine.of(c)).isCloseTo(mean, within(1e-13));
    assertThat(MeanCosine.moments(c).variance()).isCloseTo(sumSq / pairs - mean * mean, within(1e-13));
  }

  @Test
  void uniformOnSphereHasMeanZeroAndVarianceOneOverD() {
    int d = 16;
    TokenCloud c = Samples.uniformSphere(3000, d, new Random(345));
    MeanCosine.Moments m = MeanCosine.moments(c);
    // sd of the mean is about sqrt(2/d)/n = 1.2e-4
    assertThat(m.mean()).isCloseTo(0, within(1e-3));
    assertThat(m.variance()).isCloseTo(1.0 / d, within(0.03 / d));
  }

  @Test
  void scaleDoesNotMatter() {
    TokenCloud c = TokenCloud.of(new double[][] {{1, 2, 3}, {-1, 0.5, 2}, {4, 4, -1}});
    TokenCloud scaled = TokenCloud.of(new double[][] {{10, 20, 30}, {-0.1, 0.05, 0.2}, {4, 4, -1}});
    assertThat(MeanCosine.of(scaled)).isCloseTo(MeanCosine.of(c), within(1e-14));
  }

  @Test
  void onePointIsFullyCollapsed() {
    assertThat(MeanCosine.of(TokenCloud.of(new double[][] {{0.3, -2}}))).isEqualTo(1.0);
  }

  @Test
  void zeroPointIsRejectedByIndex() {
    TokenCloud c = TokenCloud.of(new double[][] {{1, 0}, {0, 0}});
    assertThatThrownBy(() -> MeanCosine.of(c)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("point 1 is the zero vector");
  }
}
