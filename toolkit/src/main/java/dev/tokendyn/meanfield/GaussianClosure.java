package dev.tokendyn.meanfield;

import dev.tokendyn.sphere.Interaction;
import java.util.ArrayList;
import java.util.List;

/**
 * The Gaussian closure of softmax self-attention in R^d (Castin, Ablin, Carrillo, Peyr&eacute;, "A unified
 * perspective on the dynamics of deep Transformers", 2025). For mu = N(m, Sigma) the velocity field
 * v(x) = int exp(beta &lt;Q x, K y&gt;) V y dmu(y) / int exp(beta &lt;Q x, K y&gt;) dmu(y) is affine: tilting
 * N(m, Sigma) by exp(&lt;a, y&gt;) gives N(m + Sigma a, Sigma), so v(x) = V (m + beta Sigma K^T Q x). A Gaussian
 * therefore stays Gaussian, with
 * <pre>
 *   m'     = V m + A m,            A = beta V Sigma K^T Q,
 *   Sigma' = A Sigma + Sigma A^T   = beta (V Sigma K^T Q Sigma + Sigma Q^T K Sigma V^T),
 * </pre>
 * integrated here by classical RK4. With Q = K = V = I and m = 0, Sigma' = 2 beta Sigma^2, so
 * Sigma(t) = Sigma0 (I - 2 beta t Sigma0)^{-1}: it blows up at t = 1 / (2 beta lambda_max(Sigma0)).
 *
 * <pre>{@code
 * var frames = GaussianClosure.integrate(Interaction.IDENTITY, 1.0, GaussianState.standard(2), 0.01, 40, 10);
 * frames.get(4).cov()[0];   // 1 / (1 - 2 * 0.4) = 5.0 to RK4's accuracy
 * }</pre>
 */
public final class GaussianClosure {
  private GaussianClosure() {}

  /** Entries past this stop the integration: the closure has blown up. */
  public static final double BLOW_UP = 1e150;

  /**
   * One recorded state.
   *
   * @param mean m, length d
   * @param cov Sigma, d*d row-major
   */
  public record Frame(int step, double time, double[] mean, double[] cov) {
    public Frame {
      mean = mean.clone();
      cov = cov.clone();
    }

    @Override
    public double[] mean() {
      return mean.clone();
    }

    @Override
    public double[] cov() {
      return cov.clone();
    }

    /** The state as a validated Gaussian. */
    public GaussianState state() {
      return new GaussianState(mean, cov);
    }
  }

  /**
   * Integrates the moment equations from {@code start} for {@code steps} RK4 steps of {@code dt};
   * frames at step 0, every {@code recordEvery} steps and the last. Arguments are not modified.
   *
   * @throws IllegalArgumentException when Q, K, V do not match the dimension or an argument is out of range
   * @throws ArithmeticException naming the time when an entry passes {@link #BLOW_UP}
   */
  public static List<Frame> integrate(Interaction qkv, double beta, GaussianState start, double dt, int steps,
      int recordEvery) {
    int d = start.dimension();
    if (qkv.dimension() != -1 && qkv.dimension() != d) {
      throw new IllegalArgumentException("Q, K and V are " + qkv.dimension() + "x" + qkv.dimension()
          + " but the mean has " + d + " entries");
    }
    if (!Double.isFinite(beta) || beta < 0) {
      throw new IllegalArgumentException("beta must be finite and >= 0, found " + beta);
    }
    if (!Double.isFinite(dt) || dt <= 0) {
      throw new IllegalArgumentException("dt must be finite and > 0, found " + dt);
    }
    if (steps < 0 || recordEvery < 1) {
      throw new IllegalArgumentException("steps must be >= 0 and recordEvery >= 1, found " + steps + " and "
          + recordEvery);
    }
    double[] q = identityIfNull(qkv.q(), d);
    double[] k = identityIfNull(qkv.k(), d);
    double[] v = identityIfNull(qkv.v(), d);
    // K^T Q, fixed
    double[] ktq = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
          s += k[c * d + i] * q[c * d + j];
        }
        ktq[i * d + j] = s;
      }
    }
    int len = d + d * d;
    double[] y = new double[len];
    System.arraycopy(start.mean(), 0, y, 0, d);
    System.arraycopy(start.cov(), 0, y, d, d * d);
    double[] k1 = new double[len];
    double[] k2 = new double[len];
    double[] k3 = new double[len];
    double[] k4 = new double[len];
    double[] tmp = new double[len];
    List<Frame> frames = new ArrayList<>();
    frames.add(frame(0, 0.0, y, d));
    for (int step = 1; step <= steps; step++) {
      rhs(y, k1, v, ktq, beta, d);
      axpy(y, 0.5 * dt, k1, tmp);
      rhs(tmp, k2, v, ktq, beta, d);
      axpy(y, 0.5 * dt, k2, tmp);
      rhs(tmp, k3, v, ktq, beta, d);
      axpy(y, dt, k3, tmp);
      rhs(tmp, k4, v, ktq, beta, d);
      double h = dt / 6;
      for (int i = 0; i < len; i++) {
        y[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
      }
      double t = step * dt;
      for (int i = 0; i < len; i++) {
        if (!(Math.abs(y[i]) <= BLOW_UP)) {
          throw new ArithmeticException("the Gaussian closure blew up at t=" + t + " (step " + step + "): "
              + (i < d ? "a mean" : "a covariance") + " entry passed 1e150; lower beta or --time (with Q = K = V"
              + " = I and m = 0 the covariance blows up at t = 1/(2 beta lambda_max(Sigma)))");
        }
      }
      if (step % recordEvery == 0 || step == steps) {
        frames.add(frame(step, t, y, d));
      }
    }
    return frames;
  }

  /** The right-hand side (m', Sigma') at y = (m, Sigma). */
  private static void rhs(double[] y, double[] out, double[] v, double[] ktq, double beta, int d) {
    double[] sigma = new double[d * d];
    System.arraycopy(y, d, sigma, 0, d * d);
    // A = beta V Sigma K^T Q
    double[] a = GaussianState.multiply(GaussianState.multiply(v, sigma, d), ktq, d);
    for (int i = 0; i < a.length; i++) {
      a[i] *= beta;
    }
    for (int i = 0; i < d; i++) {
      double s = 0;
      for (int j = 0; j < d; j++) {
        s += (v[i * d + j] + a[i * d + j]) * y[j];
      }
      out[i] = s;
    }
    double[] as = GaussianState.multiply(a, sigma, d);
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        out[d + i * d + j] = as[i * d + j] + as[j * d + i];
      }
    }
  }

  private static Frame frame(int step, double time, double[] y, int d) {
    double[] m = new double[d];
    double[] c = new double[d * d];
    System.arraycopy(y, 0, m, 0, d);
    System.arraycopy(y, d, c, 0, d * d);
    return new Frame(step, time, m, c);
  }

  private static double[] identityIfNull(double[] m, int d) {
    if (m != null) {
      return m;
    }
    double[] id = new double[d * d];
    for (int i = 0; i < d; i++) {
      id[i * d + i] = 1;
    }
    return id;
  }

  private static void axpy(double[] x, double a, double[] v, double[] out) {
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i] + a * v[i];
    }
  }
}
