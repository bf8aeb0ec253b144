package dev.tokendyn.sphere;

/**
 * The reduced dynamics of an equiangular start: when n tokens begin with every pairwise inner product
 * equal to rho (and Q = K = V = I), symmetry keeps them equal, and rho(t) solves the scalar ODE
 * <pre>  d rho / dt = 2 a(rho) (1 - rho) (1 + (n - 1) rho)</pre>
 * with a(rho) the attention weight between two distinct tokens:
 * a = e^{beta rho} / (e^beta + (n - 1) e^{beta rho}) for SA, and a = e^{beta rho} / n for USA.
 * (Geshkovski et al. derive this reduction; rho tends to 1 for every start above -1/(n-1).)
 */
public final class EquiangularTheory {
  private EquiangularTheory() {}

  /** d rho / dt at rho. */
  public static double derivative(Dynamics dynamics, int n, double beta, double rho) {
    double a = switch (dynamics) {
      case SA, SINKFORMER -> 1 / (Math.exp(beta * (1 - rho)) + n - 1);
      case USA -> Math.exp(beta * rho) / n;
    };
    return 2 * a * (1 - rho) * (1 + (n - 1) * rho);
  }

  /**
   * rho at the given times, by classical RK4 with {@code substeps} steps between consecutive times.
   *
   * @param times increasing, starting at 0 or later; not modified
   */
  public static double[] solve(Dynamics dynamics, int n, double beta, double rho0, double[] times, int substeps) {
    if (substeps < 1) {
      throw new IllegalArgumentException("substeps must be >= 1, found " + substeps);
    }
    double[] out = new double[times.length];
    double rho = rho0;
    double t = 0;
    for (int i = 0; i < times.length; i++) {
      if (times[i] < t) {
        throw new IllegalArgumentException("times must increase from 0, found " + times[i] + " after " + t);
      }
      double h = (times[i] - t) / substeps;
      for (int s = 0; s < substeps && h > 0; s++) {
        double k1 = derivative(dynamics, n, beta, rho);
        double k2 = derivative(dynamics, n, beta, rho + h / 2 * k1);
        double k3 = derivative(dynamics, n, beta, rho + h / 2 * k2);
        double k4 = derivative(dynamics, n, beta, rho + h * k3);
        rho += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
      }
      t = times[i];
      out[i] = rho;
    }
    return out;
  }
}
