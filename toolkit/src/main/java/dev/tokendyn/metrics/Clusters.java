package dev.tokendyn.metrics;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.kernel.ArrayOps;
import java.util.Arrays;

/**
 * Clusters of a cloud: the connected components of the graph that links points i and j when
 * <pre>  cos(x_i, x_j) = &lt;x_i, x_j&gt; / (|x_i| |x_j|) &gt; threshold,</pre>
 * and the clustered fraction of Geshkovski et al. (2023), the fraction of distinct pairs with cosine
 * above 0.999.
 *
 * <p>Cost O(n^2 d) with union-find; pairs already in one component are not compared again, so a
 * collapsed cloud is cheap. The dot products run four rows at a time ({@link ArrayOps#dot4}). Weights are ignored. The cloud is not modified.
 *
 * <p>Example: the points (1,0), (1,1e-3), (0,1) at the default threshold give 2 clusters of sizes [2, 1].
 */
public final class Clusters {
  /** The default linking threshold, 1 - 1e-3: points within about 2.6 degrees are linked. */
  public static final double DEFAULT_THRESHOLD = 1 - 1e-3;

  /** The cosine above which a pair counts as clustered in {@link #clusteredFraction}. */
  public static final double CLUSTERED_COSINE = 0.999;

  private Clusters() {}

  /**
   * The components of the threshold graph.
   *
   * @param count the number of components
   * @param sizes their sizes, largest first (length {@code count}, summing to n)
   * @param labels for each point, the index into {@code sizes} of its component
   * @param threshold the cosine threshold used
   */
  public record Result(int count, int[] sizes, int[] labels, double threshold) {
    public Result {
      sizes = sizes.clone();
      labels = labels.clone();
    }

    @Override
    public int[] sizes() {
      return sizes.clone();
    }

    @Override
    public int[] labels() {
      return labels.clone();
    }

    /** The size of the largest cluster divided by the number of points. */
    public double largestFraction() {
      return (double) sizes[0] / labels.length;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Result r && r.count == count && Arrays.equals(r.sizes, sizes)
          && Arrays.equals(r.labels, labels) && Double.compare(r.threshold, threshold) == 0;
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(sizes) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
      return "Clusters.Result[count=" + count + ", sizes=" + Arrays.toString(sizes) + ", threshold=" + threshold + "]";
    }
  }

  /** Clusters at {@link #DEFAULT_THRESHOLD}. */
  public static Result of(TokenCloud cloud) {
    return of(cloud, DEFAULT_THRESHOLD);
  }

  /**
   * Clusters at the given cosine threshold.
   *
   * @param threshold link i and j when their cosine is strictly greater; in [-1, 1]
   * @throws IllegalArgumentException on a threshold outside [-1, 1] or a zero point
   */
  public static Result of(TokenCloud cloud, double threshold) {
    if (!(threshold >= -1 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be a cosine in [-1, 1], found " + threshold);
    }
    int n = cloud.size();
    int d = cloud.dimension();
    double[] u = UnitRows.of(cloud);
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    int[] pending = new int[4];
    double[] dots = new double[4];
    for (int i = 0; i < n; i++) {
      int ri = find(parent, i);
      int oi = i * d;
      // gather candidates j > i outside i's component four at a time
      int m = 0;
      for (int j = i + 1; j < n; j++) {
        if (find(parent, j) == ri) {
          continue;
        }
        pending[m++] = j;
        if (m == 4) {
          ArrayOps.dot4(u, oi, pending[0] * d, pending[1] * d, pending[2] * d, pending[3] * d, d, dots);
          for (int q = 0; q < 4; q++) {
            if (dots[q] > threshold) {
              ri = union(parent, ri, pending[q]);
            }
          }
          m = 0;
        }
      }
      for (int q = 0; q < m; q++) {
        if (dot(u, oi, pending[q] * d, d) > threshold) {
          ri = union(parent, ri, pending[q]);
        }
      }
    }
    return labelled(parent, threshold);
  }

  /**
   * The fraction of distinct pairs (i &lt; j) with cosine above {@link #CLUSTERED_COSINE}; 1 for a cloud
   * of one point.
   *
   * @throws IllegalArgumentException when a point is zero
   */
  public static double clusteredFraction(TokenCloud cloud) {
    int n = cloud.size();
    int d = cloud.dimension();
    double[] u = UnitRows.of(cloud);
    if (n == 1) {
      return 1.0;
    }
    long count = 0;
    double[] dots = new double[4];
    for (int i = 0; i < n; i++) {
      int oi = i * d;
      int j = i + 1;
      for (; j + 3 < n; j += 4) {
        ArrayOps.dot4(u, oi, j * d, (j + 1) * d, (j + 2) * d, (j + 3) * d, d, dots);
        for (int q = 0; q < 4; q++) {
          if (dots[q] > CLUSTERED_COSINE) {
            count++;
          }
        }
      }
      for (; j < n; j++) {
        if (dot(u, oi, j * d, d) > CLUSTERED_COSINE) {
          count++;
        }
      }
    }
    return count / (0.5 * n * (n - 1.0));
  }

  /**
   * As {@link #of(TokenCloud, double)} with the cosines read from a Gram matrix (the same components, up to
   * pairs whose cosine lies within rounding of the threshold).
   */
  static Result of(Gram g, double threshold) {
    int n = g.n;
    int[] parent = new int[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < n; i++) {
      int ri = find(parent, i);
      for (int j = i + 1; j < n; j++) {
        if (g.cosine(i, j) > threshold && find(parent, j) != ri) {
          ri = union(parent, ri, j);
        }
      }
    }
    return labelled(parent, threshold);
  }

  /** As {@link #clusteredFraction(TokenCloud)} with the cosines read from a Gram matrix. */
  static double clusteredFraction(Gram g) {
    int n = g.n;
    if (n == 1) {
      return 1.0;
    }
    long count = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (g.cosine(i, j) > CLUSTERED_COSINE) {
          count++;
        }
      }
    }
    return count / (0.5 * n * (n - 1.0));
  }

  /** Joins j's component to the one rooted at ri, keeping the smaller index as root; returns the root. */
  private static int union(int[] parent, int ri, int j) {
    int rj = find(parent, j);
    if (rj == ri) {
      return ri;
    }
    if (ri < rj) {
      parent[rj] = ri;
      return ri;
    }
    parent[ri] = rj;
    return rj;
  }

  private static int find(int[] parent, int i) {
    int r = i;
    while (parent[r] != r) {
      r = parent[r];
    }
    while (parent[i] != r) {
      int next = parent[i];
      parent[i] = r;
      i = next;
    }
    return r;
  }

  /** Dot product of rows starting at a and b; four accumulators keep the FP pipeline full. */
  static double dot(double[] x, int a, int b, int d) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int k = 0;
    for (; k + 3 < d; k += 4) {
      s0 += x[a + k] * x[b + k];
      s1 += x[a + k + 1] * x[b + k + 1];
      s2 += x[a + k + 2] * x[b + k + 2];
      s3 += x[a + k + 3] * x[b + k + 3];
    }
    for (; k < d; k++) {
      s0 += x[a + k] * x[b + k];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Numbers the components by size, largest first, ties by their smallest member. */
  private static Result labelled(int[] parent, double threshold) {
    int n = parent.length;
    int[] rootSize = new int[n];
    for (int i = 0; i < n; i++) {
      rootSize[find(parent, i)]++;
    }
    // roots in order of first appearance are in order of smallest member
    Integer[] roots = java.util.stream.IntStream.range(0, n).filter(i -> parent[i] == i).boxed()
        .toArray(Integer[]::new);
    Arrays.sort(roots, (a, b) -> rootSize[a] != rootSize[b] ? Integer.compare(rootSize[b], rootSize[a])
        : Integer.compare(a, b));
    int[] index = new int[n];
    int[] sizes = new int[roots.length];
    for (int c = 0; c < roots.length; c++) {
      index[roots[c]] = c;
      sizes[c] = rootSize[roots[c]];
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = index[parent[i]];
    }
    return new Result(roots.length, sizes, labels, threshold);
  }
}
