package dev.tokendyn.sphere;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.kernel.MatrixProduct;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Integrates attention dynamics on the unit sphere, or in R^d ({@link Geometry#EUCLIDEAN}: no projection,
 * no renormalisation), and hands each recorded frame to a consumer.
 *
 * <p>Each step is projected explicit Euler (x &lt;- x + dt v(x)), Euler-Maruyama when sigma &gt; 0
 * (x &lt;- x + dt v(x) + sigma sqrt(dt) P_x(xi), xi standard Gaussian), or classical RK4; every step ends
 * by renormalising each token to unit length, so points stay on the sphere to rounding. Frames are
 * recorded at step 0, every {@code recordEvery} steps, and at the last step; with
 * {@link StepControl#ADAPTIVE} at the same times, reached by steps of at most dt. A Euclidean run stops
 * with an {@link ArithmeticException} naming the time when a norm passes {@link #BLOW_UP_NORM}.
 *
 * <p>The same parameters give the same bits, whatever the thread count: rows are split between
 * threads, but each row's arithmetic is fixed, and the noise is drawn in one fixed order from
 * {@code SplittableRandom(seed)}.
 *
 * <pre>{@code
 * SimulationParams p = SimulationParams.of(Dynamics.SA, 32, 3, 1.0, 0.1, 200, 7);
 * List<Simulator.Frame> frames = Simulator.run(p);   // 201 frames, t = 0 .. 20
 * }</pre>
 */
public final class Simulator {
  /**
   * Multiply-adds n^2 d of one velocity below which the simulation runs on the calling thread: about
   * 50 microseconds of work, less than what waking a second thread and waiting for it can cost on a
   * busy machine (32 tokens in d = 384 is a fifth of it).
   */
  static final long PARALLEL_WORK = 1L << 21;
  /**
   * n^2 d steps from which a run first compiles its kernels on tiny inputs ({@link
   * dev.tokendyn.kernel.Preheat}): about 0.3 s of one core, against 0.4 to 0.7 s of slow first calls, so
   * it pays for runs of a second or more (n = 1024, d = 64 and 200 steps is 1.3 x 10^10).
   */
  static final double PREHEAT_WORK = 0x1p33;
  private Simulator() {}

  /** One recorded state: the step, the time and the tokens. */
  public record Frame(int step, double time, TokenCloud cloud) {}

  /** Runs on every core and returns all recorded frames. */
  public static List<Frame> run(SimulationParams p) {
    List<Frame> frames = new ArrayList<>();
    run(p, Runtime.getRuntime().availableProcessors(), frames::add);
    return frames;
  }

  /** The state at the end of the run, on every core. */
  public static TokenCloud finalCloud(SimulationParams p) {
    TokenCloud[] last = new TokenCloud[1];
    run(p.withRecordEvery(Math.max(1, p.steps())), Runtime.getRuntime().availableProcessors(),
        f -> last[0] = f.cloud());
    return last[0];
  }

  /**
   * An estimate of the heap that {@link #run} needs, in bytes: the state, the integrator's stages, the
   * attention field's arrays and one frame. Frames kept by the caller come on top.
   *
   * @throws IllegalArgumentException when one of the arrays would exceed Java's limit of 2^31 - 1
   *     elements (n and d too large together)
   */
  public static long memoryBytes(SimulationParams p, int threads) {
    long n = p.n();
    long dp = MatrixProduct.padded(p.d());
    long[] field = AttentionField.memoryBytes(p, Math.max(1, Math.min(threads, p.n() / 16)));
    long largest = Math.max(8 * n * dp, field[1]);
    if (largest / 8 > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("n=" + p.n() + " tokens in d=" + p.d() + " need arrays of " + largest / 8
          + " values, more than Java's limit of 2^31 - 1; lower n or d");
    }
    int stages = p.integrator() == Integrator.RK4 ? 6 : 2;
    return 8 * n * dp * stages + 8 * 3 * n * p.d() + field[0];
  }

  /**
   * Runs the simulation.
   *
   * @param threads threads for the attention products, &gt;= 1
   * @param sink receives each recorded frame, in order
   * @throws IllegalArgumentException when the initial condition does not fit n and d
   * @throws ArithmeticException when the state stops being finite (for USA, exp(beta) overflows)
   */
  public static void run(SimulationParams p, int threads, Consumer<Frame> sink) {
    run(p, threads, PARALLEL_WORK, sink);
  }

  /** As {@link #run(SimulationParams, int, Consumer)}, with another work threshold for a second thread (tests). */
  static void run(SimulationParams p, int threads, long parallelWork, Consumer<Frame> sink) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, found " + threads);
    }
    int n = p.n();
    int d = p.d();
    if ((double) n * n * d * p.steps() >= PREHEAT_WORK) {
      dev.tokendyn.kernel.Preheat.attention();
    }
    int dp = MatrixProduct.padded(d);
    boolean sphere = p.geometry() == Geometry.SPHERE;
    double[] x = new double[n * dp];
    double[] start = sphere ? p.init().points(n, d, p.seed()) : p.init().euclideanPoints(n, d, p.seed());
    for (int i = 0; i < n; i++) {
      System.arraycopy(start, i * d, x, i * dp, d);
    }
    if (sphere) {
      normalize(x, n, d, dp);
    } else {
      checkBounded(x, n, d, dp, 0.0);
    }
    // below PARALLEL_WORK multiply-adds per velocity, or 16 rows per thread, a second thread costs more than it saves
    int useful = (long) n * n * d < parallelWork ? 1 : Math.max(1, Math.min(threads, n / 16));
    try (Team team = new Team(useful)) {
      AttentionField field = new AttentionField(p, useful > 1 ? team : null);
      Stepper stepper = new Stepper(p, field, n, d, dp);
      sink.accept(frame(0, 0.0, x, n, d, dp));
      if (p.stepControl() == StepControl.ADAPTIVE) {
        adaptive(p, stepper, x, sink);
        return;
      }
      for (int step = 1; step <= p.steps(); step++) {
        stepper.velocity(x);
        stepper.step(x, p.dt());
        if (!sphere) {
          checkBounded(x, n, d, dp, step * p.dt());
        }
        if (step % p.recordEvery() == 0 || step == p.steps()) {
          checkFinite(x, step, step * p.dt(), p);
          sink.accept(frame(step, step * p.dt(), x, n, d, dp));
        }
      }
    }
  }

  /**
   * Steps of h = min(dt, MAX_DISPLACEMENT / max_i |v_i|), each shortened where needed to land on the
   * next recorded time (multiples of recordEvery * dt, and the end).
   */
  private static void adaptive(SimulationParams p, Stepper stepper, double[] x, Consumer<Frame> sink) {
    int n = p.n();
    int d = p.d();
    int dp = MatrixProduct.padded(d);
    boolean sphere = p.geometry() == Geometry.SPHERE;
    // a run that needs this many more steps than fixed ones would is on the wrong time scale
    long budget = Math.max(100_000L, 1000L * p.steps());
    long taken = 0;
    double t = 0;
    for (int rec = p.recordEvery(); ; rec += p.recordEvery()) {
      int recStep = Math.min(rec, p.steps());
      double target = recStep * p.dt();
      while (t < target) {
        double vmax = stepper.velocity(x);
        double h = Math.min(p.dt(), target - t);
        if (vmax > 0) {
          h = Math.min(h, StepControl.MAX_DISPLACEMENT / vmax);
        }
        // land exactly on the target rather than a rounding error short of it
        if (target - (t + h) <= 1e-12 * target) {
          h = target - t;
        }
        stepper.step(x, h);
        t = t + h >= target ? target : t + h;
        if (!sphere) {
          checkBounded(x, n, d, dp, t);
        }
        if (++taken > budget) {
          throw new ArithmeticException("the adaptive step fell to h=" + h + " at t=" + t + " after " + taken
              + " steps (the fastest token moves at " + vmax + ")" + (p.dynamics() == Dynamics.USA
              ? "; USA at beta=" + p.beta() + " moves on the time scale exp(-beta)=" + Math.exp(-p.beta()) : "")
              + ": shorten --time");
        }
      }
      checkFinite(x, (int) Math.min(Integer.MAX_VALUE, taken), t, p);
      sink.accept(frame((int) Math.min(Integer.MAX_VALUE, taken), t, x, n, d, dp));
      if (recStep == p.steps()) {
        return;
      }
    }
  }

  private static Frame frame(int step, double time, double[] x, int n, int d, int dp) {
    double[] flat = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, i * dp, flat, i * d, d);
    }
    return new Frame(step, time, TokenCloud.ofFlat(n, d, flat));
  }

  private static void checkFinite(double[] x, int step, double time, SimulationParams p) {
    for (double v : x) {
      if (!Double.isFinite(v)) {
        throw new ArithmeticException("the state stopped being finite at step " + step + " (t=" + time
            + "); the velocity overflowed: lower beta" + (p.dynamics() == Dynamics.USA
            ? " (USA's velocity grows like exp(beta))" : "") + " or dt"
            + (p.dynamics() == Dynamics.USA && p.stepControl() == StepControl.FIXED ? ", or use --step adaptive" : ""));
      }
    }
  }

  /** The largest norm a Euclidean token may reach: past it the logits beta |x|^2 leave the double range. */
  public static final double BLOW_UP_NORM = 1e150;

  /** Throws when a token's norm passes {@link #BLOW_UP_NORM} or stops being finite. */
  private static void checkBounded(double[] x, int n, int d, int dp, double time) {
    double limit = BLOW_UP_NORM * BLOW_UP_NORM;
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += x[i * dp + k] * x[i * dp + k];
      }
      if (!(s <= limit)) {
        throw new ArithmeticException("the Euclidean dynamics blew up at t=" + Math.round(time * 1e9) / 1e9 + ": token "
            + i
            + " has norm " + (Double.isFinite(s) ? String.format(java.util.Locale.ROOT, "%.3g", Math.sqrt(s)) : "beyond"
            + " the double range") + ", past 1e150; lower beta, V or --time");
      }
    }
  }

  static void normalize(double[] x, int n, int d, int dp) {
    for (int i = 0; i < n; i++) {
      int o = i * dp;
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += x[o + k] * x[o + k];
      }
      double inv = 1 / Math.sqrt(s);
      for (int k = 0; k < d; k++) {
        x[o + k] *= inv;
      }
    }
  }

  /** One integrator step with its buffers. */
  private static final class Stepper {
    private final SimulationParams p;
    private final AttentionField field;
    private final int n;
    private final int d;
    private final int dp;
    private final double[] k1;
    private final double[] k2;
    private final double[] k3;
    private final double[] k4;
    private final double[] tmp;
    private final SplittableRandom rng;

    Stepper(SimulationParams p, AttentionField field, int n, int d, int dp) {
      this.p = p;
      this.field = field;
      this.n = n;
      this.d = d;
      this.dp = dp;
      this.k1 = new double[n * dp];
      boolean rk4 = p.integrator() == Integrator.RK4;
      this.k2 = rk4 ? new double[n * dp] : null;
      this.k3 = rk4 ? new double[n * dp] : null;
      this.k4 = rk4 ? new double[n * dp] : null;
      this.tmp = rk4 ? new double[n * dp] : null;
      // the noise stream is split off the seed so it does not repeat the initial condition's draws
      this.rng = p.noise() > 0 ? new SplittableRandom(p.seed()).split() : null;
    }

    /** k1 = v(x); returns max_i |v_i|. */
    double velocity(double[] x) {
      field.velocity(x, k1);
      double m = 0;
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += k1[i * dp + k] * k1[i * dp + k];
        }
        m = Math.max(m, s);
      }
      return Math.sqrt(m);
    }

    /** One step of length dt from x, with k1 = v(x) already computed by {@link #velocity}. */
    void step(double[] x, double dt) {
      if (p.integrator() == Integrator.RK4) {
        axpy(x, 0.5 * dt, k1, tmp);
        field.velocity(tmp, k2);
        axpy(x, 0.5 * dt, k2, tmp);
        field.velocity(tmp, k3);
        axpy(x, dt, k3, tmp);
        field.velocity(tmp, k4);
        double h = dt / 6;
        for (int i = 0; i < x.length; i++) {
          x[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
      } else if (rng != null) {
        double amp = p.noise() * Math.sqrt(dt);
        double[] xi = new double[d];
        for (int i = 0; i < n; i++) {
          int o = i * dp;
          double dot = 0;
          for (int k = 0; k < d; k++) {
            xi[k] = rng.nextGaussian();
            dot += xi[k] * x[o + k];
          }
          for (int k = 0; k < d; k++) {
            // tangent noise P_x(xi), taken at the point before the step
            k1[o + k] = dt * k1[o + k] + amp * (xi[k] - dot * x[o + k]);
          }
        }
        for (int i = 0; i < x.length; i++) {
          x[i] += k1[i];
        }
      } else {
        for (int i = 0; i < x.length; i++) {
          x[i] += dt * k1[i];
        }
      }
      if (p.geometry() == Geometry.SPHERE) {
        normalize(x, n, d, dp);
      }
    }

    private static void axpy(double[] x, double a, double[] v, double[] outBuf) {
      for (int i = 0; i < x.length; i++) {
        outBuf[i] = x[i] + a * v[i];
      }
    }
  }
}
