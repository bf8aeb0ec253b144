package dev.tokendyn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.transport.Transport;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreamedSlicedTest {

  private static double[] cloud(int n, int d, double shift, double scale, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = shift + scale * r.nextGaussian() * (1 + (i % d) * 0.1);
    }
    return x;
  }

  @Test
  void streamedInTextsMatchesTheSlicedDistanceOnAllPoints() {
    int n = 3000;
    int d = 24;
    int directions = 32;
    long seed = 11;
    double[] x = cloud(n, d, 0.5, 1.0, 1);
    double[] y = cloud(n, d, -0.3, 1.6, 2);
    StreamedSliced s = new StreamedSliced(2, d, directions, seed);
    // texts of 37 tokens, the first two of each left out (as special tokens are), and the same left out below
    int text = 37;
    java.util.List<Integer> kept = new java.util.ArrayList<>();
    for (int t = 0; t * text < n; t++) {
      int rows = Math.min(text, n - t * text);
      double[] xt = Arrays.copyOfRange(x, t * text * d, (t * text + rows) * d);
      double[] yt = Arrays.copyOfRange(y, t * text * d, (t * text + rows) * d);
      int[] keep = java.util.stream.IntStream.range(Math.min(2, rows), rows).toArray();
      s.add(0, xt, keep);
      s.add(1, yt, keep);
      for (int j : keep) {
        kept.add(t * text + j);
      }
    }
    double[] xs = new double[kept.size() * d];
    double[] ys = new double[kept.size() * d];
    for (int i = 0; i < kept.size(); i++) {
      System.arraycopy(x, kept.get(i) * d, xs, i * d, d);
      System.arraycopy(y, kept.get(i) * d, ys, i * d, d);
    }
    double exact = Transport.sliced(TokenCloud.ofFlat(kept.size(), d, xs), TokenCloud.ofFlat(kept.size(), d, ys),
        directions, seed);
    assertEquals(kept.size(), s.count(0));
    double streamed = s.distance(0, 1);
    assertTrue(Math.abs(streamed - exact) < 2e-3 * exact, streamed + " vs POT-equivalent " + exact);
    assertEquals(0, s.distance(0, 0), 1e-12);
  }

  @Test
  void mergingPartsGivesTheWholeStreamsDistance() {
    int d = 8;
    StreamedSliced whole = new StreamedSliced(2, d, 16, 3);
    StreamedSliced a = new StreamedSliced(2, d, 16, 3);
    StreamedSliced b = new StreamedSliced(2, d, 16, 3);
    for (int t = 0; t < 40; t++) {
      double[] x = cloud(20, d, t * 0.01, 1, 100 + t);
      int[] keep = java.util.stream.IntStream.range(0, 20).toArray();
      for (int l = 0; l < 2; l++) {
        double[] xl = Arrays.stream(x).map(v -> v * 1.5).toArray();
        whole.add(l, l == 0 ? x : xl, keep);
        (t < 13 ? a : b).add(l, l == 0 ? x : xl, keep);
      }
    }
    a.merge(b);
    assertEquals(whole.distance(0, 1), a.distance(0, 1), 0.0);
  }
}
