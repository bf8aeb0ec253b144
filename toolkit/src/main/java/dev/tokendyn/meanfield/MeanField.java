package dev.tokendyn.meanfield;

import java.util.ArrayList;
import java.util.List;

/**
 * The continuity equation of SA on the circle (Q = K = V = I, d = 2; Geshkovski, Letrouit, Polyanskiy,
 * Rigollet, section 3),
 * <pre>
 *   d_t rho + d_theta (rho v[rho]) = 0,
 *   v[rho](theta) = int e^{beta cos(theta - phi)} sin(phi - theta) rho(phi) dphi / int e^{beta cos(theta - phi)} rho(phi) dphi,
 * </pre>
 * the Eulerian picture of the particles theta_i' = sum_j softmax_j(beta cos(theta_i - theta_j)) sin(theta_j - theta_i),
 * which the sphere simulator integrates in d = 2 (the Lagrangian picture).
 *
 * <p>Scheme: finite volumes on N cells (conservative: the mass changes only by the telescoping sum of
 * face fluxes), MUSCL reconstruction with the minmod limiter, upwind flux, and the three-stage strong
 * stability preserving Runge-Kutta method (Shu and Osher) with step cfl * h. Both integrals are circular
 * convolutions of the cell averages with kernels sampled at the faces, computed with the FFT (two
 * transforms per stage; the kernels carry the factor e^{-beta} so that beta = 64 does not overflow).
 * Since |sin| &lt;= 1 the velocity is bounded by one; it is clipped to [-1, 1] against rounding where the
 * denominator is tiny. With cfl &lt;= 1/2 each stage is a convex combination of non-negative states, so the
 * density stays non-negative.
 *
 * <pre>{@code
 * var frames = MeanField.solve(InitialDensity.vonMises(0, 1).on(1024), MeanFieldParams.of(4, 30, 30));
 * frames.get(30).density().meanCosine();   // near 1: the density has collapsed
 * }</pre>
 */
public final class MeanField {
  private MeanField() {}

  /** One recorded state. */
  public record Frame(double time, CircleDensity density) {}

  /** Solves from {@code start}; frames at t = k time / frames. The start is not modified. */
  public static List<Frame> solve(CircleDensity start, MeanFieldParams p) {
    Solver s = new Solver(start.size(), p.beta());
    double[] rho = start.values();
    List<Frame> frames = new ArrayList<>();
    frames.add(new Frame(0, start));
    double h = 2 * Math.PI / rho.length;
    double maxStep = p.cfl() * h;
    double t = 0;
    for (int k = 1; k <= p.frames(); k++) {
      double target = p.time() * k / p.frames();
      int steps = (int) Math.ceil((target - t) / maxStep - 1e-9);
      double dt = steps > 0 ? (target - t) / steps : 0;
      for (int i = 0; i < steps; i++) {
        s.step(rho, dt);
      }
      t = target;
      frames.add(new Frame(t, new CircleDensity(rho)));
    }
    return frames;
  }

  /** The face velocities v[rho](theta_i + h/2) of a density; for tests and plots. */
  public static double[] faceVelocity(CircleDensity rho, double beta) {
    Solver s = new Solver(rho.size(), beta);
    double[] v = new double[rho.size()];
    s.velocity(rho.values(), v);
    return v;
  }

  /** The buffers of one solve. */
  private static final class Solver {
    private final int n;
    private final double h;
    private final Fft fft;
    /** FFT of the numerator kernel plus i times the FFT of the denominator kernel. */
    private final double[] kr;
    private final double[] ki;
    private final double[] re;
    private final double[] im;
    private final double[] v;
    private final double[] flux;
    private final double[] l;
    private final double[] stage1;
    private final double[] stage2;

    Solver(int n, double beta) {
      this.n = n;
      this.h = 2 * Math.PI / n;
      this.fft = new Fft(n);
      double[] nr = new double[n];
      double[] ni = new double[n];
      double[] dr = new double[n];
      double[] di = new double[n];
      for (int m = 0; m < n; m++) {
        // face i + 1/2 against cell j: the offset is (i - j) h + h/2
        double u = m * h + h / 2;
        double e = Math.exp(beta * (Math.cos(u) - 1));
        nr[m] = -Math.sin(u) * e * h;
        dr[m] = e * h;
      }
      fft.forward(nr, ni);
      fft.forward(dr, di);
      kr = new double[n];
      ki = new double[n];
      for (int m = 0; m < n; m++) {
        // N + i D
        kr[m] = nr[m] - di[m];
        ki[m] = ni[m] + dr[m];
      }
      re = new double[n];
      im = new double[n];
      v = new double[n];
      flux = new double[n];
      l = new double[n];
      stage1 = new double[n];
      stage2 = new double[n];
    }

    /** v[i] = velocity at face i + 1/2. */
    void velocity(double[] rho, double[] out) {
      System.arraycopy(rho, 0, re, 0, n);
      java.util.Arrays.fill(im, 0);
      fft.forward(re, im);
      Fft.multiply(re, im, kr, ki, n);
      fft.inverse(re, im);
      for (int i = 0; i < n; i++) {
        double num = re[i];
        double den = im[i];
        double w = den > 0 ? num / den : 0;
        out[i] = Math.max(-1, Math.min(1, w));
      }
    }

    /** out = -d_theta(rho v) by the MUSCL-minmod upwind fluxes. */
    private void operator(double[] rho, double[] out) {
      velocity(rho, v);
      for (int i = 0; i < n; i++) {
        int ip = i + 1 == n ? 0 : i + 1;
        double vf = v[i];
        if (vf >= 0) {
          flux[i] = vf * (rho[i] + 0.5 * slope(rho, i));
        } else {
          flux[i] = vf * (rho[ip] - 0.5 * slope(rho, ip));
        }
      }
      double inv = 1 / h;
      for (int i = 0; i < n; i++) {
        int im1 = i == 0 ? n - 1 : i - 1;
        out[i] = -(flux[i] - flux[im1]) * inv;
      }
    }

    private double slope(double[] rho, int i) {
      double a = rho[i == n - 1 ? 0 : i + 1] - rho[i];
      double b = rho[i] - rho[i == 0 ? n - 1 : i - 1];
      if (a * b <= 0) {
        return 0;
      }
      return Math.abs(a) < Math.abs(b) ? a : b;
    }

    /** One SSP-RK3 step in place. */
    void step(double[] rho, double dt) {
      operator(rho, l);
      for (int i = 0; i < n; i++) {
        stage1[i] = rho[i] + dt * l[i];
      }
      operator(stage1, l);
      for (int i = 0; i < n; i++) {
        stage2[i] = 0.75 * rho[i] + 0.25 * (stage1[i] + dt * l[i]);
      }
      operator(stage2, l);
      for (int i = 0; i < n; i++) {
        // a rounding error below zero where the density vanishes is the only way out of [0, inf)
        rho[i] = Math.max(0.0, rho[i] / 3 + 2.0 / 3 * (stage2[i] + dt * l[i]));
      }
    }
  }
}
