package dev.tokendyn.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StandardizationTest {
  @Test
  void everyMeasuredDimensionHasMeanZeroAndSdOneOverTheCorpus() {
    Random rng = new Random(345);
    int d = 5;
    List<TextSequence> texts = new ArrayList<>();
    for (int t = 0; t < 7; t++) {
      int n = 4 + t;
      double[] p = new double[n * d];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < d; k++) {
          // a rogue dimension 0 of large mean and spread, and a constant dimension 4
          p[i * d + k] = k == 0 ? 50 + 20 * rng.nextGaussian() : k == 4 ? 3 : rng.nextGaussian();
        }
      }
      p[0] = 1e6; // the first token is special and must not count
      boolean[] special = new boolean[n];
      special[0] = true;
      texts.add(new TextSequence(CloudSequence.ofLayers(List.of(TokenCloud.ofFlat(n, d, p))), null, special));
    }
    Standardization.Moments m = new Standardization.Moments(true);
    texts.forEach(m::add);
    Standardization z = m.result();
    double[] sum = new double[d];
    double[] sq = new double[d];
    int count = 0;
    for (TextSequence t : texts) {
      TextSequence s = z.apply(t);
      TokenCloud c = s.layers().cloud(0);
      for (int i : s.kept(true)) {
        for (int k = 0; k < d; k++) {
          sum[k] += c.get(i, k);
          sq[k] += c.get(i, k) * c.get(i, k);
        }
        count++;
      }
      assertThat(t.layers().cloud(0).get(0, 0)).isEqualTo(1e6); // the input is not modified
    }
    for (int k = 0; k < 4; k++) {
      assertThat(sum[k] / count).as("mean of %d", k).isCloseTo(0, within(1e-12));
      assertThat(sq[k] / count).as("variance of %d", k).isCloseTo(1, within(1e-12));
    }
    assertThat(sq[4]).isCloseTo(0, within(1e-20)); // a constant dimension is only centred
  }

  /** Moments of a corpus cut into consecutive ranges and merged in order: the same bits as one pass. */
  @Test
  void momentsMergedFromRangesAreThoseOfOnePassBitForBit() {
    Random rng = new Random(345);
    int d = 3;
    List<TextSequence> texts = new ArrayList<>();
    for (int t = 0; t < 37; t++) {
      int n = 2 + rng.nextInt(6);
      double[] p = new double[n * d];
      for (int i = 0; i < p.length; i++) {
        p[i] = 1e3 * rng.nextGaussian() + rng.nextDouble() * 1e-3;
      }
      texts.add(new TextSequence(CloudSequence.ofLayers(List.of(TokenCloud.ofFlat(n, d, p))), null, new boolean[n]));
    }
    Standardization.Moments whole = new Standardization.Moments(false);
    texts.forEach(whole::add);
    Standardization one = whole.result();
    double[] naive = new double[d];
    int count = 0;
    for (TextSequence t : texts) {
      for (int i = 0; i < t.size(); i++) {
        for (int k = 0; k < d; k++) {
          naive[k] += t.layers().cloud(0).get(i, k);
        }
        count++;
      }
    }
    for (int k = 0; k < d; k++) {
      assertThat(one.mean()[0][k]).isCloseTo(naive[k] / count, within(1e-9));
    }
    for (int[] cuts : new int[][] {{0, 37}, {0, 1, 37}, {0, 5, 6, 19, 32, 37}, {0, 16, 32, 37}, {0, 3, 11, 12, 13, 37}}) {
      Standardization.Moments merged = null;
      for (int c = 0; c + 1 < cuts.length; c++) {
        Standardization.Moments part = new Standardization.Moments(false, cuts[c]);
        texts.subList(cuts[c], cuts[c + 1]).forEach(part::add);
        if (merged == null) {
          merged = part;
        } else {
          merged.merge(part);
        }
      }
      Standardization z = merged.result();
      assertThat(z.mean()[0]).as("cuts %s", java.util.Arrays.toString(cuts)).isEqualTo(one.mean()[0]);
      assertThat(z.sd()[0]).as("cuts %s", java.util.Arrays.toString(cuts)).isEqualTo(one.sd()[0]);
    }
  }
}
