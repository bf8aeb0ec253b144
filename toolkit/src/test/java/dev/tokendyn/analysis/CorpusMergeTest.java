package dev.tokendyn.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A corpus taken in consecutive parts and merged, against one pass and against pairs counted one by one. */
class CorpusMergeTest {
  static List<TextSequence> corpus(int texts, int layers, int d, long seed) {
    Random r = new Random(seed);
    List<TextSequence> out = new ArrayList<>();
    for (int t = 0; t < texts; t++) {
      int n = 3 + r.nextInt(10);
      long[] ids = new long[n];
      boolean[] special = new boolean[n];
      for (int i = 0; i < n; i++) {
        ids[i] = 100 + r.nextInt(12);
        special[i] = i == 0 || i == n - 1;
      }
      List<TokenCloud> clouds = new ArrayList<>();
      double[] drift = new double[d];
      for (int l = 0; l < layers; l++) {
        drift[l % d] += 0.7; // the layers grow more anisotropic
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < d; k++) {
            x[i][k] = r.nextGaussian() + drift[k];
          }
        }
        clouds.add(TokenCloud.of(x));
      }
      out.add(new TextSequence(CloudSequence.ofLayers(clouds), ids, special));
    }
    return out;
  }

  /** The mean cosine between measured tokens of different texts, pair by pair. */
  static double baselineByPairs(List<TextSequence> texts, int layer) {
    double s = 0;
    long pairs = 0;
    for (int a = 0; a < texts.size(); a++) {
      for (int b = 0; b < texts.size(); b++) {
        if (a == b) {
          continue;
        }
        TokenCloud x = texts.get(a).layers().cloud(layer);
        TokenCloud y = texts.get(b).layers().cloud(layer);
        for (int i : texts.get(a).kept(true)) {
          for (int j : texts.get(b).kept(true)) {
            double dot = 0;
            double nx = 0;
            double ny = 0;
            for (int k = 0; k < x.dimension(); k++) {
              dot += x.get(i, k) * y.get(j, k);
              nx += x.get(i, k) * x.get(i, k);
              ny += y.get(j, k) * y.get(j, k);
            }
            s += dot / Math.sqrt(nx * ny);
            pairs++;
          }
        }
      }
    }
    return s / pairs;
  }

  @Test
  void partsMergedInOrderGiveOnePassWithSumsTo1e12() {
    List<TextSequence> texts = corpus(40, 4, 6, 345);
    CorpusParams params = CorpusParams.defaults().withPooledSample(60).withResamples(50).withSeed(9);
    List<long[]> ids = texts.stream().map(TextSequence::tokenIds).toList();
    List<boolean[]> special = texts.stream().map(TextSequence::special).toList();
    CorpusPlan plan = CorpusAnalysis.plan(ids, special, params);
    CorpusAnalysis.Result one = CorpusAnalysis.of("m", texts, params);

    int[] cuts = {0, 7, 8, 23, 40}; // uneven parts, one of a single text
    CorpusAnalysis.Accumulator whole = new CorpusAnalysis.Accumulator("m", plan, params, 0);
    for (int p = 0; p + 1 < cuts.length; p++) {
      CorpusAnalysis.Accumulator part = new CorpusAnalysis.Accumulator("m", plan, params, cuts[p]);
      for (int i = cuts[p]; i < cuts[p + 1]; i++) {
        part.accept(i, texts.get(i));
      }
      whole.merge(part);
    }
    CorpusAnalysis.Result merged = whole.finish();

    assertThat(merged.perText()).hasSize(40);
    for (int i = 0; i < 40; i++) {
      assertThat(merged.perText().get(i).values()).isEqualTo(one.perText().get(i).values());
    }
    assertThat(merged.cosineHistogram()).isEqualTo(one.cosineHistogram());
    assertThat(merged.paths()).isEqualTo(one.paths());
    assertThat(merged.tokens()).isEqualTo(one.tokens());
    assertThat(merged.keptTokens()).isEqualTo(one.keptTokens());
    for (int l = 0; l + 1 < 4; l++) {
      // the pooled sample is the same tokens, so the transport on it is the same bits
      assertThat(merged.transitions().get(l).w2()).isEqualTo(one.transitions().get(l).w2());
    }
    for (int l = 0; l < 4; l++) {
      double truth = baselineByPairs(texts, l);
      double a = one.pooled().get(l).anisotropyBaseline();
      double b = merged.pooled().get(l).anisotropyBaseline();
      assertThat(a).isCloseTo(truth, within(1e-12 * Math.abs(truth) + 1e-15));
      assertThat(b).isCloseTo(a, within(1e-12 * Math.abs(a)));
      assertThat(merged.pooled().get(l).selfSimilarity())
          .isCloseTo(one.pooled().get(l).selfSimilarity(), within(1e-12 * Math.abs(one.pooled().get(l).selfSimilarity())));
    }
    // the layers do grow more anisotropic, so the test is not of zeros
    assertThat(one.pooled().get(3).anisotropyBaseline()).isGreaterThan(one.pooled().get(0).anisotropyBaseline() + 0.1);
  }

  @Test
  void theDimensionsStartedWhileTextsComeAreThoseComputedAtTheEnd() {
    // a sample above the 1,000 tokens of the dimension: one pass starts them once its first 1,000 sampled
    // tokens are in, merged parts (whose rows a merge may replace) compute them at the end
    List<TextSequence> texts = corpus(260, 3, 5, 77);
    CorpusParams params = CorpusParams.defaults().withPooledSample(1200).withResamples(20).withSeed(3)
        .withText(dev.tokendyn.metrics.TextParams.defaults().withTransport(false));
    CorpusPlan plan = CorpusAnalysis.plan(texts.stream().map(TextSequence::tokenIds).toList(),
        texts.stream().map(TextSequence::special).toList(), params);
    assertThat(plan.sampleSize()).isEqualTo(1200);
    CorpusAnalysis.Result one = CorpusAnalysis.of("m", texts, params);
    CorpusAnalysis.Accumulator whole = new CorpusAnalysis.Accumulator("m", plan, params, 0);
    for (int[] range : new int[][] {{0, 100}, {100, 260}}) {
      CorpusAnalysis.Accumulator part = new CorpusAnalysis.Accumulator("m", plan, params, range[0]);
      for (int i = range[0]; i < range[1]; i++) {
        part.accept(i, texts.get(i));
      }
      whole.merge(part);
    }
    CorpusAnalysis.Result merged = whole.finish();
    for (int l = 0; l < 3; l++) {
      var a = one.pooled().get(l);
      var b = merged.pooled().get(l);
      assertThat(a.intrinsicDimension().value()).isFinite().isEqualTo(b.intrinsicDimension().value());
      assertThat(a.decimation().sizes()).isEqualTo(b.decimation().sizes());
      assertThat(a.decimation().values()).isEqualTo(b.decimation().values());
      assertThat(a.decimation().plateau()).isEqualTo(b.decimation().plateau());
    }
  }

  @Test
  void partsMustFollowEachOther() {
    List<TextSequence> texts = corpus(6, 2, 3, 1);
    CorpusParams params = CorpusParams.defaults().withPooledSample(10).withResamples(10);
    CorpusPlan plan = CorpusAnalysis.plan(texts.stream().map(TextSequence::tokenIds).toList(),
        texts.stream().map(TextSequence::special).toList(), params);
    CorpusAnalysis.Accumulator a = new CorpusAnalysis.Accumulator("m", plan, params, 0);
    a.accept(0, texts.get(0));
    CorpusAnalysis.Accumulator c = new CorpusAnalysis.Accumulator("m", plan, params, 2);
    c.accept(2, texts.get(2));
    assertThatThrownBy(() -> a.merge(c)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("merge in order: the next part must start at text 1, found 2");
    assertThatThrownBy(() -> c.accept(4, texts.get(4))).hasMessage("texts must arrive in order: expected text 3, found 4");
  }
}
