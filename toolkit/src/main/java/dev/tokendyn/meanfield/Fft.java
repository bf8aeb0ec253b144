package dev.tokendyn.meanfield;

/**
 * In-place complex FFT of any size N &gt;= 1, X_k = sum_j x_j exp(-2 pi i j k / N) forward, and the inverse
 * with 1/N. A power of two is done by the iterative radix-2 algorithm; any other N by Bluestein's chirp-z
 * identity jk = (j^2 + k^2 - (k - j)^2) / 2, which turns the transform into a circular convolution of length
 * M = the power of two &gt;= 2N - 1, done by three radix-2 transforms of size M (Bluestein 1970; Rabiner, Schafer
 * and Rader 1969). Both are O(N log N). The twiddle factors and chirps are computed once per size with
 * Math.cos and Math.sin (not by recurrence), the chirp's angle from j^2 mod 2N in integers, so rounding
 * does not accumulate along the stages nor grow with j.
 *
 * <p>Not thread-safe: the Bluestein path owns scratch buffers.
 */
final class Fft {
  private final int n;
  private final double[] cos;
  private final double[] sin;
  private final int[] reversed;
  /** Bluestein only (null for a power of two): the chirp w_j = exp(-i pi j^2 / N), and the inner size-M FFT. */
  private final double[] chirpRe;
  private final double[] chirpIm;
  private final Fft inner;
  /** The transform of the conjugate chirp, extended circularly to length M. */
  private final double[] kernelRe;
  private final double[] kernelIm;
  private final double[] bufRe;
  private final double[] bufIm;

  Fft(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("the FFT size must be >= 1, found " + n);
    }
    this.n = n;
    if (Integer.bitCount(n) == 1) {
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
      chirpRe = chirpIm = kernelRe = kernelIm = bufRe = bufIm = null;
      inner = null;
      return;
    }
    cos = sin = null;
    reversed = null;
    int m = Integer.highestOneBit(2 * n - 1) << 1;
    inner = new Fft(m);
    chirpRe = new double[n];
    chirpIm = new double[n];
    long twoN = 2L * n;
    for (int j = 0; j < n; j++) {
      long q = (long) j * j % twoN;
      double a = Math.PI * q / n;
      chirpRe[j] = Math.cos(a);
      chirpIm[j] = -Math.sin(a);
    }
    kernelRe = new double[m];
    kernelIm = new double[m];
    kernelRe[0] = chirpRe[0];
    kernelIm[0] = -chirpIm[0];
    for (int j = 1; j < n; j++) {
      kernelRe[j] = kernelRe[m - j] = chirpRe[j];
      kernelIm[j] = kernelIm[m - j] = -chirpIm[j];
    }
    inner.forward(kernelRe, kernelIm);
    bufRe = new double[m];
    bufIm = new double[m];
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
    if (inner != null) {
      bluestein(re, im, sign);
      return;
    }
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

  /**
   * X_k = w_k sum_j (x_j w_j) conj(w)_{k-j} with w_j = exp(sign i pi j^2 / N); the inverse direction
   * (sign = +1) is the forward one on conjugated input and output.
   */
  private void bluestein(double[] re, double[] im, int sign) {
    int m = bufRe.length;
    for (int j = 0; j < n; j++) {
      double xr = re[j];
      double xi = -sign * im[j];
      bufRe[j] = xr * chirpRe[j] - xi * chirpIm[j];
      bufIm[j] = xr * chirpIm[j] + xi * chirpRe[j];
    }
    java.util.Arrays.fill(bufRe, n, m, 0);
    java.util.Arrays.fill(bufIm, n, m, 0);
    inner.forward(bufRe, bufIm);
    multiply(bufRe, bufIm, kernelRe, kernelIm, m);
    inner.inverse(bufRe, bufIm);
    for (int k = 0; k < n; k++) {
      double yr = bufRe[k] * chirpRe[k] - bufIm[k] * chirpIm[k];
      double yi = bufRe[k] * chirpIm[k] + bufIm[k] * chirpRe[k];
      re[k] = yr;
      im[k] = -sign * yi;
    }
  }

  /** (re + i im)[k] *= (kr + i ki)[k] for k &lt; len: a convolution's pointwise product in frequency space. */
  static void multiply(double[] re, double[] im, double[] kr, double[] ki, int len) {
    for (int k = 0; k < len; k++) {
      double a = re[k];
      double b = im[k];
      re[k] = a * kr[k] - b * ki[k];
      im[k] = a * ki[k] + b * kr[k];
    }
  }
}
