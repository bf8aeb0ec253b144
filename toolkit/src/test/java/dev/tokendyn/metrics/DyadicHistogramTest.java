package dev.tokendyn.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DyadicHistogramTest {

  private static double[] gaussian(int n, double mean, double sd, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = mean + sd * r.nextGaussian();
    }
    return x;
  }

  private static DyadicHistogram of(double[] x) {
    DyadicHistogram h = new DyadicHistogram();
    for (double v : x) {
      h.add(v);
    }
    return h;
  }

  /** The exact 1-D W2^2 between two samples of equal size: the mean squared gap of the sorted values. */
  private static double exactSquared(double[] x, double[] y) {
    double[] a = x.clone();
    double[] b = y.clone();
    Arrays.sort(a);
    Arrays.sort(b);
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s / a.length;
  }

  private static byte[] bytes(DyadicHistogram h) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    h.write(new DataOutputStream(b));
    return b.toByteArray();
  }

  @Test
  void w2MatchesTheSortedSamplesWithinABinWidth() {
    double[] x = gaussian(20_000, 0.3, 1.0, 1);
    double[] y = gaussian(20_000, -0.2, 1.7, 2);
    DyadicHistogram hx = of(x);
    DyadicHistogram hy = of(y);
    double exact = Math.sqrt(exactSquared(x, y));
    double binned = Math.sqrt(hx.w2Squared(hy));
    double width = Math.max(hx.binWidth(), hy.binWidth());
    assertTrue(Math.abs(binned - exact) < width, binned + " vs " + exact + ", bin width " + width);
    // and both near the Gaussian closed form sqrt((m1 - m2)^2 + (s1 - s2)^2)
    assertEquals(Math.sqrt(0.25 + 0.49), exact, 0.03);
  }

  @Test
  void aHistogramIsAtZeroDistanceFromItselfAndSymmetric() {
    DyadicHistogram hx = of(gaussian(5000, 2, 0.5, 3));
    DyadicHistogram hy = of(gaussian(3000, 1, 3, 4));
    assertEquals(0, hx.w2Squared(hx.copy()), 1e-20);
    assertEquals(hx.w2Squared(hy), hy.w2Squared(hx), 1e-12 * hx.w2Squared(hy));
  }

  @Test
  void aTranslationMovesW2ByExactlyTheShiftWhenTheBinsAlign() {
    // a shift by a whole number of bins keeps every bin's shape: W2 is the shift itself
    double[] x = gaussian(4000, 0, 1, 5);
    DyadicHistogram hx = of(x);
    double shift = 64 * hx.binWidth();
    double[] y = Arrays.stream(x).map(v -> v + shift).toArray();
    DyadicHistogram hy = of(y);
    assertEquals(hx.binWidth(), hy.binWidth());
    assertEquals(shift, Math.sqrt(hx.w2Squared(hy)), 1e-9 * shift);
  }

  @Test
  void theStateDependsOnlyOnTheValuesNotOnOrderOrSplit() throws IOException {
    double[] x = gaussian(10_000, 5, 2, 6);
    x[17] = 1e4;   // a late outlier forces coarsening after fine bins were filled
    x[9000] = -3e3;
    byte[] inOrder = bytes(of(x));
    double[] shuffled = x.clone();
    SplittableRandom r = new SplittableRandom(7);
    for (int i = shuffled.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      double t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    assertArrayEquals(inOrder, bytes(of(shuffled)));
    DyadicHistogram a = of(Arrays.copyOfRange(x, 0, 100));
    DyadicHistogram b = of(Arrays.copyOfRange(x, 100, 9500));
    DyadicHistogram c = of(Arrays.copyOfRange(x, 9500, x.length));
    b.merge(c);
    a.merge(b);
    assertArrayEquals(inOrder, bytes(a));
    DyadicHistogram empty = new DyadicHistogram();
    empty.merge(a);
    assertArrayEquals(inOrder, bytes(empty));
  }

  @Test
  void binsStayNarrowerThanTwiceTheRangeOverBins() {
    double[] x = gaussian(10_000, 100, 0.01, 8);
    DyadicHistogram h = of(x);
    double range = Arrays.stream(x).max().getAsDouble() - Arrays.stream(x).min().getAsDouble();
    assertTrue(h.binWidth() < 2 * range / DyadicHistogram.BINS, h.binWidth() + " for range " + range);
    assertTrue(h.binWidth() >= range / DyadicHistogram.BINS / 2, "not finer than needed");
  }

  @Test
  void writeAndReadRestoreTheState() throws IOException {
    DyadicHistogram h = of(gaussian(3000, -1, 4, 9));
    byte[] b = bytes(h);
    DyadicHistogram back = DyadicHistogram.read(new DataInputStream(new ByteArrayInputStream(b)));
    assertArrayEquals(b, bytes(back));
    assertEquals(h.w2Squared(of(gaussian(100, 0, 1, 10))), back.w2Squared(of(gaussian(100, 0, 1, 10))));
    byte[] cut = Arrays.copyOf(b, b.length - 8);
    assertThrows(IOException.class, () -> DyadicHistogram.read(new DataInputStream(new ByteArrayInputStream(cut))));
  }

  @Test
  void countsOfEveryMagnitudeSurviveWriteAndRead() throws IOException {
    // doubling by merges gives counts past 2^40, whose varints take six bytes and more
    DyadicHistogram h = of(gaussian(500, 0, 1, 3));
    for (int i = 0; i < 42; i++) {
      h.merge(DyadicHistogram.read(new DataInputStream(new ByteArrayInputStream(bytes(h)))));
    }
    assertEquals(500L << 42, h.count());
    byte[] b = bytes(h);
    DyadicHistogram back = DyadicHistogram.read(new DataInputStream(new ByteArrayInputStream(b)));
    assertEquals(h.count(), back.count());
    assertArrayEquals(b, bytes(back));
    assertEquals(h.w2Squared(of(gaussian(100, 0, 1, 10))), back.w2Squared(of(gaussian(100, 0, 1, 10))));
    // a count whose last byte is cut off, or a byte too many, is refused
    byte[] shortened = Arrays.copyOf(b, b.length - 1);
    assertThrows(IOException.class, () -> DyadicHistogram.read(new DataInputStream(new ByteArrayInputStream(shortened))));
  }

  @Test
  void addingInBatchesGivesTheStateOfAddingOneByOne() throws IOException {
    SplittableRandom r = new SplittableRandom(17);
    for (int trial = 0; trial < 40; trial++) {
      int n = 1 + r.nextInt(3000);
      double[] x = new double[n];
      double sd = Math.scalb(1.0, r.nextInt(-20, 20));
      for (int i = 0; i < n; i++) {
        // a drift and an occasional outlier, so that batches widen the range and coarsen the bins
        x[i] = sd * (r.nextGaussian() + i * 1e-3) + (r.nextInt(200) == 0 ? sd * 1e4 * r.nextGaussian() : 0);
      }
      if (trial % 10 == 3) {
        Arrays.fill(x, 0.25 * sd); // all equal
      }
      DyadicHistogram batched = new DyadicHistogram();
      for (int at = 0; at < n; ) {
        int to = Math.min(n, at + 1 + r.nextInt(700));
        batched.addAll(x, at, to);
        at = to;
      }
      assertArrayEquals(bytes(of(x)), bytes(batched), "trial " + trial);
      assertEquals(n, batched.count());
    }
    DyadicHistogram h = new DyadicHistogram();
    assertThrows(IllegalArgumentException.class, () -> h.addAll(new double[] {1, 2, Double.NaN, 4}, 0, 4));
  }

  @Test
  void badInputIsRefused() {
    DyadicHistogram h = new DyadicHistogram();
    assertThrows(IllegalArgumentException.class, () -> h.add(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> h.add(Double.POSITIVE_INFINITY));
    h.add(1);
    assertThrows(IllegalArgumentException.class, () -> h.w2Squared(new DyadicHistogram()));
    h.add(1e300);
    h.add(-1e300);
    assertEquals(3, h.count());
  }
}
