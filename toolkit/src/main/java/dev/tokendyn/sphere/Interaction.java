package dev.tokendyn.sphere;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The query, key and value matrices Q, K, V (each d x d, row-major) of the attention dynamics. A null
 * matrix is the identity, the setting of Geshkovski et al.; {@link #IDENTITY} has all three so.
 *
 * <p>Arrays are copied on the way in and out; instances are immutable.
 */
public record Interaction(double[] q, double[] k, double[] v, String source) {
  /** Q = K = V = I. */
  public static final Interaction IDENTITY = new Interaction(null, null, null, "identity");

  public Interaction {
    q = q == null ? null : q.clone();
    k = k == null ? null : k.clone();
    v = v == null ? null : v.clone();
    int len = -1;
    for (double[] m : new double[][] {q, k, v}) {
      if (m == null) {
        continue;
      }
      int side = (int) Math.round(Math.sqrt(m.length));
      if (side * side != m.length || side < 1) {
        throw new IllegalArgumentException("Q, K and V must be square, found " + m.length + " entries");
      }
      if (len >= 0 && m.length != len) {
        throw new IllegalArgumentException("Q, K and V must have the same size, found " + len + " and " + m.length
            + " entries");
      }
      len = m.length;
      for (double x : m) {
        if (!Double.isFinite(x)) {
          throw new IllegalArgumentException("Q, K and V must be finite, found " + x);
        }
      }
    }
  }

  @Override
  public double[] q() {
    return q == null ? null : q.clone();
  }

  @Override
  public double[] k() {
    return k == null ? null : k.clone();
  }

  @Override
  public double[] v() {
    return v == null ? null : v.clone();
  }

  /** Whether all three are the identity. */
  public boolean isIdentity() {
    return q == null && k == null && v == null;
  }

  /**
   * Q, K, V with independent N(0, 1/d) entries from the seed (Q first, then K, then V, row by row), so
   * that |Q x| is about |x|.
   */
  public static Interaction gaussian(int d, long seed) {
    if (d < 1) {
      throw new IllegalArgumentException("d must be >= 1, found " + d);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double s = 1 / Math.sqrt(d);
    double[][] m = new double[3][d * d];
    for (double[] x : m) {
      for (int i = 0; i < x.length; i++) {
        x[i] = s * rng.nextGaussian();
      }
    }
    return new Interaction(m[0], m[1], m[2], "gaussian:" + seed);
  }

  /**
   * Reads {@code {"q": [[...]], "k": [[...]], "v": [[...]]}}; a missing matrix is the identity.
   *
   * @throws IOException naming the path when it cannot be read or a matrix is malformed
   */
  public static Interaction read(Path path) throws IOException {
    JsonNode root = Json.readTree(path);
    if (!root.isObject() || !root.has("q") && !root.has("k") && !root.has("v")) {
      throw new IOException(path + ": expected a JSON object with the matrices \"q\", \"k\" and \"v\" (each"
          + " optional, identity when absent, but at least one)");
    }
    try {
      return new Interaction(matrix(root.get("q"), "q"), matrix(root.get("k"), "k"), matrix(root.get("v"), "v"),
          path.getFileName().toString());
    } catch (IllegalArgumentException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  private static double[] matrix(JsonNode node, String name) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray() || node.isEmpty()) {
      throw new IllegalArgumentException(name + " must be a non-empty array of rows, a square matrix");
    }
    int d = node.size();
    // every row is checked before the d*d array is allocated
    for (int i = 0; i < d; i++) {
      JsonNode row = node.get(i);
      if (!row.isArray() || row.size() != d) {
        throw new IllegalArgumentException(name + " must be square: row " + i + " has "
            + (row.isArray() ? row.size() + " entries" : "no entries (not an array)") + ", expected " + d);
      }
    }
    double[] m = new double[d * d];
    for (int i = 0; i < d; i++) {
      JsonNode row = node.get(i);
      for (int j = 0; j < d; j++) {
        if (!row.get(j).isNumber()) {
          throw new IllegalArgumentException(name + "[" + i + "][" + j + "] is not a number: " + row.get(j));
        }
        m[i * d + j] = row.get(j).asDouble();
      }
    }
    return m;
  }

  /** The side of the matrices, or -1 for the identity. */
  public int dimension() {
    double[] m = q != null ? q : k != null ? k : v;
    return m == null ? -1 : (int) Math.round(Math.sqrt(m.length));
  }
}
