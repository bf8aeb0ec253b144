package dev.tokendyn.cloud;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A token cloud: n points x_1..x_n in R^d, with optional weights a_1..a_n and optional token labels.
 *
 * <p>The points are held row-major in one {@code double[]} of length n*d: coordinate k of point i is
 * {@code points[i*d + k]}. The cloud is immutable: every constructor and factory copies its input,
 * and every accessor that returns an array returns a copy.
 *
 * <p>Invariants, checked on construction: n &gt;= 1, d &gt;= 1, every coordinate finite; weights, when
 * present, have length n and are finite and &gt;= 0 (they need not sum to one: consumers such as the
 * transport solvers normalise and say so); tokens, when present, have length n.
 */
public final class TokenCloud {
  private final int n;
  private final int d;
  private final double[] points;
  private final double[] weights;
  private final List<String> tokens;

  /**
   * @param n number of points, at least 1
   * @param d dimension, at least 1
   * @param points row-major n*d coordinates; copied, not modified
   * @param weights n non-negative weights, or null for none; copied
   * @param tokens n token labels, or null for none; copied
   * @throws IllegalArgumentException on a wrong shape or a non-finite value, naming both
   */
  public TokenCloud(int n, int d, double[] points, double[] weights, List<String> tokens) {
    if (n < 1) {
      throw new IllegalArgumentException("a cloud needs at least one point, found n=" + n);
    }
    if (d < 1) {
      throw new IllegalArgumentException("a cloud needs dimension d >= 1, found d=" + d);
    }
    if (points.length != (long) n * d) {
      throw new IllegalArgumentException(
          "points must hold n*d = " + n + "*" + d + " = " + ((long) n * d) + " values, found " + points.length);
    }
    for (int i = 0; i < points.length; i++) {
      if (!Double.isFinite(points[i])) {
        throw new IllegalArgumentException(
            "point " + (i / d) + " coordinate " + (i % d) + " is " + points[i] + "; points must be finite");
      }
    }
    if (weights != null) {
      if (weights.length != n) {
        throw new IllegalArgumentException("weights must have length n=" + n + ", found " + weights.length);
      }
      for (int i = 0; i < n; i++) {
        if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
          throw new IllegalArgumentException(
              "weight " + i + " is " + weights[i] + "; weights must be finite and >= 0");
        }
      }
    }
    if (tokens != null && tokens.size() != n) {
      throw new IllegalArgumentException("tokens must have length n=" + n + ", found " + tokens.size());
    }
    this.n = n;
    this.d = d;
    this.points = points.clone();
    this.weights = weights == null ? null : weights.clone();
    this.tokens = tokens == null ? null : List.copyOf(tokens);
  }

  /** A cloud from rows of equal length, no weights, no tokens. */
  public static TokenCloud of(double[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("a cloud needs at least one point, found n=0");
    }
    int d = rows[0].length;
    double[] flat = new double[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != d) {
        throw new IllegalArgumentException(
            "every point must have the same dimension: point 0 has " + d + ", point " + i + " has " + rows[i].length);
      }
      System.arraycopy(rows[i], 0, flat, i * d, d);
    }
    return new TokenCloud(rows.length, d, flat, null, null);
  }

  /** A cloud from row-major coordinates, no weights, no tokens. */
  public static TokenCloud ofFlat(int n, int d, double[] points) {
    return new TokenCloud(n, d, points, null, null);
  }

  /** Number of points. */
  public int size() {
    return n;
  }

  /** Dimension of the ambient space. */
  public int dimension() {
    return d;
  }

  /** Coordinate k of point i. */
  public double get(int i, int k) {
    return points[i * d + k];
  }

  /** A copy of point i. */
  public double[] point(int i) {
    return Arrays.copyOfRange(points, i * d, (i + 1) * d);
  }

  /** A copy of the row-major n*d coordinates. */
  public double[] toFlatArray() {
    return points.clone();
  }

  /** A copy of the points as n rows of length d. */
  public double[][] toArray() {
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      rows[i] = point(i);
    }
    return rows;
  }

  /** A copy of the weights, if the cloud has any. */
  public Optional<double[]> weights() {
    return Optional.ofNullable(weights).map(double[]::clone);
  }

  /** The weights normalised to sum to one, or uniform 1/n when the cloud has none. */
  public double[] normalizedWeights() {
    double[] w = new double[n];
    if (weights == null) {
      Arrays.fill(w, 1.0 / n);
      return w;
    }
    double sum = 0;
    for (double x : weights) {
      sum += x;
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("weights sum to " + sum + "; they must have a positive sum");
    }
    for (int i = 0; i < n; i++) {
      w[i] = weights[i] / sum;
    }
    return w;
  }

  /** The token labels, if the cloud has any. */
  public Optional<List<String>> tokens() {
    return Optional.ofNullable(tokens);
  }

  /** This cloud with other weights (null for none). */
  public TokenCloud withWeights(double[] newWeights) {
    return new TokenCloud(n, d, points, newWeights, tokens);
  }

  /** This cloud with other token labels (null for none). */
  public TokenCloud withTokens(List<String> newTokens) {
    return new TokenCloud(n, d, points, weights, newTokens);
  }

  /** Each point divided by its Euclidean norm; a zero point is rejected. */
  public TokenCloud normalizedToSphere() {
    double[] p = points.clone();
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        s += p[i * d + k] * p[i * d + k];
      }
      if (s == 0) {
        throw new IllegalArgumentException("point " + i + " is zero and cannot be put on the sphere");
      }
      double inv = 1 / Math.sqrt(s);
      for (int k = 0; k < d; k++) {
        p[i * d + k] *= inv;
      }
    }
    return new TokenCloud(n, d, p, weights, tokens);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenCloud c
        && c.n == n
        && c.d == d
        && Arrays.equals(c.points, points)
        && Arrays.equals(c.weights, weights)
        && java.util.Objects.equals(c.tokens, tokens);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(points) + n * 7 + d;
  }

  @Override
  public String toString() {
    return "TokenCloud[n=" + n + ", d=" + d + (weights != null ? ", weighted" : "")
        + (tokens != null ? ", tokens=" + Collections.unmodifiableList(tokens).subList(0, Math.min(4, n)) : "")
        + "]";
  }
}
