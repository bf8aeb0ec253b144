package dev.tokendyn.sphere;

import dev.tokendyn.cloud.TokenCloud;
import java.util.SplittableRandom;

/** Initial positions of the tokens on the unit sphere. */
public sealed interface Init permits Init.Uniform, Init.Gaussian, Init.Equiangular, Init.FromCloud {

  /** Independent points uniform on S^{d-1}: normalised standard Gaussian vectors, from the seed. */
  static Init uniform() {
    return new Uniform();
  }

  /**
   * Independent standard Gaussian points N(0, I_d) in R^d, from the seed. On the sphere they are
   * normalised, which makes them the same points as {@link #uniform()}.
   */
  static Init gaussian() {
    return new Gaussian();
  }

  /**
   * n unit vectors whose pairwise inner products all equal rho. Needs d &gt;= n and -1/(n-1) &lt; rho &lt; 1,
   * checked when the points are made.
   */
  static Init equiangular(double rho) {
    return new Equiangular(rho);
  }

  /** The points of a cloud, each normalised to unit length. */
  static Init of(TokenCloud cloud) {
    return new FromCloud(cloud);
  }

  /**
   * The initial points, row-major n*d, each of unit norm.
   *
   * @throws IllegalArgumentException when this initial condition cannot give n points in dimension d
   */
  double[] points(int n, int d, long seed);

  /**
   * The initial points in R^d, row-major n*d, for the Euclidean geometry: as {@link #points} except that
   * Gaussian points and a cloud's points keep their norms.
   */
  default double[] euclideanPoints(int n, int d, long seed) {
    return points(n, d, seed);
  }

  /** A short text for reports, such as {@code equiangular:0.2}. */
  String describe();

  /** Uniform on the sphere. */
  record Uniform() implements Init {
    @Override
    public double[] points(int n, int d, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      double[] x = new double[n * d];
      for (int i = 0; i < n; i++) {
        double s;
        do {
          s = 0;
          for (int k = 0; k < d; k++) {
            double g = rng.nextGaussian();
            x[i * d + k] = g;
            s += g * g;
          }
        } while (s == 0);
        double inv = 1 / Math.sqrt(s);
        for (int k = 0; k < d; k++) {
          x[i * d + k] *= inv;
        }
      }
      return x;
    }

    @Override
    public String describe() {
      return "uniform";
    }
  }

  /** Standard Gaussian in R^d; normalised (uniform) on the sphere. */
  record Gaussian() implements Init {
    @Override
    public double[] points(int n, int d, long seed) {
      return new Uniform().points(n, d, seed);
    }

    @Override
    public double[] euclideanPoints(int n, int d, long seed) {
      SplittableRandom rng = new SplittableRandom(seed);
      double[] x = new double[n * d];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextGaussian();
      }
      return x;
    }

    @Override
    public String describe() {
      return "gaussian";
    }
  }

  /** Equal pairwise inner products rho. */
  record Equiangular(double rho) implements Init {
    public Equiangular {
      if (!(rho < 1) || Double.isNaN(rho)) {
        throw new IllegalArgumentException("equiangular rho must be < 1, found " + rho);
      }
    }

    /**
     * The rows of the Cholesky factor of the Gram matrix (1 - rho) I + rho 1 1^T, which is positive
     * definite exactly when -1/(n-1) &lt; rho &lt; 1; they span the first n coordinates.
     */
    @Override
    public double[] points(int n, int d, long seed) {
      if (d < n) {
        throw new IllegalArgumentException("equiangular:" + rho + " needs d >= n to place n=" + n
            + " points, found d=" + d + "; raise --d to at least " + n + " or lower --n");
      }
      if (n > 1 && !(rho > -1.0 / (n - 1))) {
        throw new IllegalArgumentException("equiangular rho must be > -1/(n-1) = " + (-1.0 / (n - 1)) + " for n="
            + n + " points, found " + rho + "; no such configuration exists");
      }
      double[] l = new double[n * n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j <= i; j++) {
          double s = i == j ? 1.0 : rho;
          for (int k = 0; k < j; k++) {
            s -= l[i * n + k] * l[j * n + k];
          }
          l[i * n + j] = i == j ? Math.sqrt(s) : s / l[j * n + j];
        }
      }
      double[] x = new double[n * d];
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += l[i * n + k] * l[i * n + k];
        }
        double inv = 1 / Math.sqrt(s);
        for (int k = 0; k < n; k++) {
          x[i * d + k] = l[i * n + k] * inv;
        }
      }
      return x;
    }

    @Override
    public String describe() {
      return "equiangular:" + rho;
    }
  }

  /** Points read from a cloud. */
  record FromCloud(TokenCloud cloud) implements Init {
    @Override
    public double[] points(int n, int d, long seed) {
      if (cloud.size() != n || cloud.dimension() != d) {
        throw new IllegalArgumentException("the initial cloud has shape " + cloud.size() + "x" + cloud.dimension()
            + " but the simulation asks for n=" + n + ", d=" + d);
      }
      return cloud.normalizedToSphere().toFlatArray();
    }

    @Override
    public double[] euclideanPoints(int n, int d, long seed) {
      if (cloud.size() != n || cloud.dimension() != d) {
        throw new IllegalArgumentException("the initial cloud has shape " + cloud.size() + "x" + cloud.dimension()
            + " but the simulation asks for n=" + n + ", d=" + d);
      }
      return cloud.toFlatArray();
    }

    @Override
    public String describe() {
      return "cloud";
    }
  }
}
