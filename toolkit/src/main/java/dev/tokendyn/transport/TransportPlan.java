package dev.tokendyn.transport;

import java.util.Arrays;

/**
 * A sparse transport plan P (n x m): the entries P[i][j] &gt; 0, listed as triples (row, col, mass) in
 * row-major order. Immutable; accessors return copies.
 */
public final class TransportPlan {
  private final int n;
  private final int m;
  private final int[] rowIndex;
  private final int[] colIndex;
  private final double[] mass;

  /**
   * @throws IllegalArgumentException when the arrays differ in length or an index is out of range
   */
  public TransportPlan(int n, int m, int[] rowIndex, int[] colIndex, double[] mass) {
    if (rowIndex.length != colIndex.length || rowIndex.length != mass.length) {
      throw new IllegalArgumentException("row, column and mass arrays must have equal length, found "
          + rowIndex.length + ", " + colIndex.length + ", " + mass.length);
    }
    for (int k = 0; k < mass.length; k++) {
      if (rowIndex[k] < 0 || rowIndex[k] >= n || colIndex[k] < 0 || colIndex[k] >= m) {
        throw new IllegalArgumentException("entry " + k + " at (" + rowIndex[k] + ", " + colIndex[k]
            + ") is outside the " + n + "x" + m + " plan");
      }
    }
    this.n = n;
    this.m = m;
    this.rowIndex = rowIndex.clone();
    this.colIndex = colIndex.clone();
    this.mass = mass.clone();
  }

  /** Number of rows n. */
  public int rows() {
    return n;
  }

  /** Number of columns m. */
  public int cols() {
    return m;
  }

  /** Number of non-zero entries. */
  public int nonZeros() {
    return mass.length;
  }

  /** Row index of entry k. */
  public int row(int k) {
    return rowIndex[k];
  }

  /** Column index of entry k. */
  public int col(int k) {
    return colIndex[k];
  }

  /** Mass of entry k. */
  public double mass(int k) {
    return mass[k];
  }

  /** sum_j P[i][j] for each i (the first marginal, length n). */
  public double[] rowSums() {
    double[] r = new double[n];
    for (int k = 0; k < mass.length; k++) {
      r[rowIndex[k]] += mass[k];
    }
    return r;
  }

  /** sum_i P[i][j] for each j (the second marginal, length m). */
  public double[] colSums() {
    double[] c = new double[m];
    for (int k = 0; k < mass.length; k++) {
      c[colIndex[k]] += mass[k];
    }
    return c;
  }

  /** The dense n x m plan. */
  public double[][] toDense() {
    double[][] p = new double[n][m];
    for (int k = 0; k < mass.length; k++) {
      p[rowIndex[k]][colIndex[k]] += mass[k];
    }
    return p;
  }

  /** sum_ij P[i][j] M[i][j]. */
  public double cost(CostMatrix cost) {
    if (cost.rows() != n || cost.cols() != m) {
      throw new IllegalArgumentException("cost matrix must be " + n + "x" + m + ", found " + cost.rows() + "x" + cost.cols());
    }
    double s = 0;
    for (int k = 0; k < mass.length; k++) {
      s += mass[k] * cost.get(rowIndex[k], colIndex[k]);
    }
    return s;
  }

  @Override
  public String toString() {
    return "TransportPlan[" + n + "x" + m + ", " + mass.length + " non-zeros, total mass "
        + Arrays.stream(mass).sum() + "]";
  }
}
