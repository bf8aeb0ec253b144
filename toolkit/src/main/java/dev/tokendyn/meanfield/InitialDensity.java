package dev.tokendyn.meanfield;

import java.util.List;

/**
 * An initial density on the circle: uniform, von Mises exp(kappa cos(theta - mu)) / (2 pi I_0(kappa)), or a
 * weighted sum of those. {@link #on} samples it at the cell centres and normalises.
 */
public sealed interface InitialDensity permits InitialDensity.Uniform, InitialDensity.VonMises,
    InitialDensity.Mixture {

  /** The uniform density 1 / (2 pi). */
  static InitialDensity uniform() {
    return new Uniform();
  }

  /** Von Mises with mode mu and concentration kappa &gt;= 0. */
  static InitialDensity vonMises(double mu, double kappa) {
    return new VonMises(mu, kappa);
  }

  /** The unnormalised value at theta (any positive multiple of the density). */
  double value(double theta);

  /** A short text for reports, such as {@code vonmises:0:4}. */
  String describe();

  /** The density on a grid of n cells, normalised to mass one. */
  default CircleDensity on(int n) {
    if (n < CircleDensity.MIN_GRID) {
      throw new IllegalArgumentException("the grid must have at least " + CircleDensity.MIN_GRID + " points, found "
          + n + "; use --grid 16 or more (1024 resolves beta = 64)");
    }
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = value(2 * Math.PI * i / n);
    }
    return CircleDensity.normalised(v);
  }

  /** Uniform. */
  record Uniform() implements InitialDensity {
    @Override
    public double value(double theta) {
      return 1;
    }

    @Override
    public String describe() {
      return "uniform";
    }
  }

  /** exp(kappa (cos(theta - mu) - 1)), the shift keeping large kappa finite. */
  record VonMises(double mu, double kappa) implements InitialDensity {
    public VonMises {
      if (!Double.isFinite(mu)) {
        throw new IllegalArgumentException("the von Mises mode must be finite, found " + mu);
      }
      if (!Double.isFinite(kappa) || kappa < 0) {
        throw new IllegalArgumentException("the von Mises concentration must be finite and >= 0, found " + kappa);
      }
    }

    @Override
    public double value(double theta) {
      return Math.exp(kappa * (Math.cos(theta - mu) - 1));
    }

    @Override
    public String describe() {
      return "vonmises:" + mu + ":" + kappa;
    }
  }

  /**
   * sum_k w_k rho_k with each rho_k normalised on the circle (so the weights are the components' masses).
   *
   * @param weights positive, one per component
   */
  record Mixture(List<Double> weights, List<InitialDensity> components) implements InitialDensity {
    public Mixture {
      weights = List.copyOf(weights);
      components = List.copyOf(components);
      if (weights.size() != components.size() || components.isEmpty()) {
        throw new IllegalArgumentException("a mixture needs one weight per component, found " + weights.size()
            + " weights and " + components.size() + " components");
      }
      for (double w : weights) {
        if (!(w > 0) || !Double.isFinite(w)) {
          throw new IllegalArgumentException("mixture weights must be finite and > 0, found " + w);
        }
      }
    }

    @Override
    public double value(double theta) {
      double s = 0;
      for (int k = 0; k < components.size(); k++) {
        s += weights.get(k) * components.get(k).value(theta) / norm(components.get(k));
      }
      return s;
    }

    @Override
    public CircleDensity on(int n) {
      if (n < CircleDensity.MIN_GRID) {
        return InitialDensity.super.on(n);
      }
      double[] norms = new double[components.size()];
      for (int k = 0; k < norms.length; k++) {
        norms[k] = norm(components.get(k));
      }
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < norms.length; k++) {
          v[i] += weights.get(k) * components.get(k).value(2 * Math.PI * i / n) / norms[k];
        }
      }
      return CircleDensity.normalised(v);
    }

    /** int_0^{2 pi} of a component, by the trapezoid rule on 4096 points (spectrally accurate). */
    private static double norm(InitialDensity c) {
      int m = 4096;
      double s = 0;
      for (int i = 0; i < m; i++) {
        s += c.value(2 * Math.PI * i / m);
      }
      return s * 2 * Math.PI / m;
    }

    @Override
    public String describe() {
      StringBuilder b = new StringBuilder();
      for (int k = 0; k < components.size(); k++) {
        b.append(k == 0 ? "" : "+").append(weights.get(k)).append('*').append(components.get(k).describe());
      }
      return b.toString();
    }
  }
}
