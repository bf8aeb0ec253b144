package dev.tokendyn.meanfield;

/**
 * In-place radix-2 complex FFT, X_k = sum_j x_j exp(-2 pi i j k / N) forward, and the inverse with 1/N.
 * N must be a power of two. The twiddle factors are computed once per size with Math.cos and Math.sin
 * (not by recurrence), so rounding does not accumulate along the stages.
 */
final class Fft {
  private final int n;
  private final double[] cos;
  private final double[] sin;
  private final int[] reversed;

  Fft(int n) {
    if (n < 1 || Integer.bitCount(n) != 1) {
      throw new IllegalArgumentException("the FFT size must be a power of two, found " + n);
    }
    this.n = n;
    cos = new double[n / 2];
    sin = new double[n / 2];
    for (int k = 0; k < n / 2; k++) {
      cos[k] = Math.cos(2 * Math.PI * k / n);
      sin[k] = Math.sin(2 * Math.PI * k / n);
    }
    reversed = new int[n];
    int bits = Integer.numberOfTrailingZeros(n);
    for (int i = 0; i < n; i++) {
      reversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
    }
  }

  /** Forward transform of (re, im) in place. */
  void forward(double[] re, double[] im) {
    transform(re, im, -1);
  }

  /** Inverse transform of (re, im) in place, scaled by 1/N. */
  void inverse(double[] re, double[] im) {
    transform(re, im, 1);
    double s = 1.0 / n;
    for (int i = 0; i < n; i++) {
      re[i] *= s;
      im[i] *= s;
    }
  }

  private void transform(double[] re, double[] im, int sign) {
    for (int i = 0; i < n; i++) {
      int j = reversed[i];
      if (j > i) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    for (int len = 2; len <= n; len <<= 1) {
      int half = len >> 1;
      int stride = n / len;
      for (int start = 0; start < n; start += len) {
        for (int k = 0; k < half; k++) {
          double wr = cos[k * stride];
          double wi = sign * sin[k * stride];
          int a = start + k;
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
