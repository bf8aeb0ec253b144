package dev.tokendyn.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextMetric;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CorpusAnalysisTest {
  /** Texts of 5 to 13 tokens over 3 layers in R^6, the first and last token special, ids from a small vocabulary. */
  static List<TextSequence> corpus(int texts, Random rng) {
    List<TextSequence> out = new ArrayList<>();
    int d = 6;
    for (int t = 0; t < texts; t++) {
      int n = 5 + rng.nextInt(9);
      long[] ids = new long[n];
      boolean[] special = new boolean[n];
      for (int i = 0; i < n; i++) {
        ids[i] = i == 0 ? 101 : i == n - 1 ? 102 : 1000 + rng.nextInt(8);
        special[i] = i == 0 || i == n - 1;
      }
      double[] shift = new double[d];
      for (int k = 0; k < d; k++) {
        shift[k] = rng.nextGaussian();
      }
      List<CloudSequence.Entry> layers = new ArrayList<>();
      double[] p = new double[n * d];
      for (int i = 0; i < p.length; i++) {
        p[i] = rng.nextGaussian() + 0.5;
      }
      for (int l = 0; l < 3; l++) {
        double[] q = p.clone();
        for (int i = 0; i < n; i++) {
          for (int k = 0; k < d; k++) {
            q[i * d + k] = p[i * d + k] * (1 - 0.3 * l) + 0.3 * l * shift[k];
          }
        }
        layers.add(new CloudSequence.Entry("l" + l, l, TokenCloud.ofFlat(n, d, q)));
      }
      out.add(new TextSequence(new CloudSequence(CloudSequence.Axis.LAYER, layers), ids, special));
    }
    return out;
  }

  private static double[] unit(TokenCloud c, int i) {
    double[] x = c.point(i);
    double s = Math.sqrt(Arrays.stream(x).map(v -> v * v).sum());
    return Arrays.stream(x).map(v -> v / s).toArray();
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  @Test
  void theBaselineAndSelfSimilarityMatchBruteForceOverPairs() {
    List<TextSequence> texts = corpus(12, new Random(345));
    CorpusAnalysis.Result r = CorpusAnalysis.of("t", texts, CorpusParams.defaults());
    for (int l = 0; l < 3; l++) {
      double across = 0;
      long pairs = 0;
      double self = 0;
      double[] selfSum = new double[2000];
      long[] selfPairs = new long[2000];
      for (int a = 0; a < texts.size(); a++) {
        for (int b = 0; b < texts.size(); b++) {
          if (a == b) {
            continue;
          }
          TextSequence ta = texts.get(a);
          TextSequence tb = texts.get(b);
          for (int i : ta.kept(true)) {
            for (int j : tb.kept(true)) {
              double c = dot(unit(ta.layers().cloud(l), i), unit(tb.layers().cloud(l), j));
              across += c;
              pairs++;
              if (ta.tokenIds()[i] == tb.tokenIds()[j]) {
                selfSum[(int) ta.tokenIds()[i]] += c;
                selfPairs[(int) ta.tokenIds()[i]]++;
              }
            }
          }
        }
      }
      int words = 0;
      for (int w = 0; w < selfSum.length; w++) {
        if (selfPairs[w] > 0) {
          self += selfSum[w] / selfPairs[w];
          words++;
        }
      }
      CorpusAnalysis.PooledLayer p = r.pooled().get(l);
      assertThat(p.anisotropyBaseline()).as("layer %d", l).isCloseTo(across / pairs, within(1e-12));
      assertThat(p.selfSimilarityWords()).isEqualTo(words);
      assertThat(p.selfSimilarity()).isCloseTo(self / words, within(1e-12));
      Summary raw = r.summaries().get(TextMetric.MEAN_COSINE)[l];
      assertThat(r.adjusted(TextMetric.MEAN_COSINE)[l].mean()).isCloseTo(raw.mean() - across / pairs, within(1e-15));
    }
    assertThat(r.keptTokens()).isEqualTo(r.tokens() - 2L * texts.size());
    assertThat(r.sampleSize()).isEqualTo((int) r.keptTokens()); // fewer tokens than the default sample
  }

  @Test
  void aRestoredStateGivesTheSameBitsAsAnUninterruptedRun() throws Exception {
    List<TextSequence> texts = corpus(20, new Random(345));
    CorpusParams params = CorpusParams.defaults().withPooledSample(60).withSeed(9);
    List<long[]> ids = texts.stream().map(TextSequence::tokenIds).toList();
    List<boolean[]> special = texts.stream().map(TextSequence::special).toList();
    CorpusAnalysis.Result whole = CorpusAnalysis.of("t", texts, params);
    CorpusAnalysis.Accumulator first = new CorpusAnalysis.Accumulator("t", CorpusAnalysis.plan(ids, special, params),
        params);
    for (int i = 0; i < 8; i++) {
      first.accept(i, texts.get(i));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ByteArrayOutputStream rows = new ByteArrayOutputStream();
    ByteArrayOutputStream perText = new ByteArrayOutputStream();
    // the sample rows and per-text values go out in two appends, as the checkpoint writes them batch by batch
    first.appendSample(new DataOutputStream(rows), 0);
    first.appendPerText(new DataOutputStream(perText), 0);
    int rowsSoFar = first.sampleRowsFilled();
    int textsSoFar = first.count();
    first.accept(8, texts.get(8));
    first.appendSample(new DataOutputStream(rows), rowsSoFar);
    first.appendPerText(new DataOutputStream(perText), textsSoFar);
    first.writeState(new DataOutputStream(bytes));
    assertThat(rows.size()).isEqualTo(first.sampleRowsFilled() * first.sampleRowBytes());
    assertThat(perText.size()).isEqualTo(first.count() * first.perTextBytes());
    CorpusAnalysis.Accumulator second = new CorpusAnalysis.Accumulator("t", CorpusAnalysis.plan(ids, special, params),
        params);
    second.readState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertThat(second.readRest(new DataInputStream(new ByteArrayInputStream(rows.toByteArray())),
        new DataInputStream(new ByteArrayInputStream(perText.toByteArray())))).isEqualTo(9);
    for (int i = 9; i < texts.size(); i++) {
      second.accept(i, texts.get(i));
    }
    CorpusAnalysis.Result resumed = second.finish();
    for (TextMetric m : whole.summaries().keySet()) {
      assertThat(resumed.summaries().get(m)).as(m.jsonName()).containsExactly(whole.summaries().get(m));
    }
    assertThat(resumed.pooled()).isEqualTo(whole.pooled());
    assertThat(resumed.transitions()).isEqualTo(whole.transitions());
    assertThat(resumed.pooledGeodesicRatio()).isEqualTo(whole.pooledGeodesicRatio());
  }

  @Test
  void theAllTokenSlicedW2MatchesTheSlicedDistanceOverEveryMeasuredToken() {
    List<TextSequence> texts = corpus(120, new Random(77));
    CorpusParams params = CorpusParams.defaults().withPooledSample(40).withSeed(5);
    CorpusAnalysis.Result r = CorpusAnalysis.of("t", texts, params);
    int d = texts.get(0).layers().cloud(0).dimension();
    for (int l = 0; l + 1 < 3; l++) {
      List<double[]> x = new ArrayList<>();
      List<double[]> y = new ArrayList<>();
      for (TextSequence t : texts) {
        for (int i = 0; i < t.special().length; i++) {
          if (!t.special()[i]) {
            x.add(t.layers().cloud(l).point(i));
            y.add(t.layers().cloud(l + 1).point(i));
          }
        }
      }
      double[] xf = x.stream().flatMapToDouble(Arrays::stream).toArray();
      double[] yf = y.stream().flatMapToDouble(Arrays::stream).toArray();
      double exact = dev.tokendyn.transport.Transport.sliced(TokenCloud.ofFlat(x.size(), d, xf),
          TokenCloud.ofFlat(y.size(), d, yf), params.slicedProjections(), params.seed());
      assertThat(r.keptTokens()).isEqualTo(x.size());
      assertThat(r.transitions().get(l).slicedAllTokens()).isCloseTo(exact, within(3e-3 * exact));
    }
  }

  @Test
  void anAccumulatorSurvivesJavaSerializationAsSparkShipsIt() throws Exception {
    List<TextSequence> texts = corpus(12, new Random(3));
    CorpusParams params = CorpusParams.defaults().withPooledSample(30).withSeed(2);
    List<long[]> ids = texts.stream().map(TextSequence::tokenIds).toList();
    List<boolean[]> special = texts.stream().map(TextSequence::special).toList();
    CorpusPlan plan = CorpusAnalysis.plan(ids, special, params);
    CorpusAnalysis.Accumulator acc = new CorpusAnalysis.Accumulator("t", plan, params);
    for (int i = 0; i < texts.size(); i++) {
      acc.accept(i, texts.get(i));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(acc);
    }
    CorpusAnalysis.Accumulator back;
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (CorpusAnalysis.Accumulator) in.readObject();
    }
    assertThat(back.finish().transitions()).isEqualTo(acc.finish().transitions());
  }

  @Test
  void thePooledSampleIsSeededAndLeavesOutSpecialTokens() {
    List<TextSequence> texts = corpus(30, new Random(345));
    List<long[]> ids = texts.stream().map(TextSequence::tokenIds).toList();
    List<boolean[]> special = texts.stream().map(TextSequence::special).toList();
    CorpusPlan a = CorpusPlan.of(ids, special, true, 50, 10, 1);
    CorpusPlan b = CorpusPlan.of(ids, special, true, 50, 10, 1);
    CorpusPlan c = CorpusPlan.of(ids, special, true, 50, 10, 2);
    assertThat(a.sampleSize()).isEqualTo(50);
    assertThat(a.sampleText()).isEqualTo(b.sampleText());
    assertThat(a.samplePosition()).isEqualTo(b.samplePosition());
    assertThat(a.samplePosition()).isNotEqualTo(c.samplePosition());
    int total = 0;
    for (int t = 0; t < texts.size(); t++) {
      assertThat(a.sampleOffset(t)).isEqualTo(total);
      for (int row : a.sampleRows(t)) {
        assertThat(special.get(t)[row]).isFalse();
      }
      total += a.sampleRows(t).length;
    }
    assertThat(total).isEqualTo(50);
    // the words: ids in at least two texts, never the special ones
    assertThat(a.words()).isNotEmpty().doesNotContain(101L, 102L).hasSizeLessThanOrEqualTo(10);
  }

  @Test
  void aCorpusOfTooShortTextsIsRefusedNamingTheMinimum() {
    List<boolean[]> special = List.of(new boolean[] {true, false, true}, new boolean[] {true, true});
    List<long[]> ids = List.of(new long[] {1, 2, 3}, new long[] {1, 3});
    assertThatThrownBy(() -> CorpusAnalysis.plan(ids, special, CorpusParams.defaults()))
        .hasMessageStartingWith("every text has fewer than 2 tokens besides its special tokens");
    assertThatThrownBy(() -> CorpusAnalysis.plan(List.of(new long[] {1, 2, 3, 4}), List.of(new boolean[4]),
        CorpusParams.defaults().withRequireRotation(true)))
        .hasMessageStartingWith("--rotation-components 10 needs at least 30 tokens in the pooled sample");
  }
}
