package dev.tokendyn.transport;

import java.util.Locale;

/** Where Sinkhorn's kernel K_ij = exp((f_i + g_j - M_ij) / eps) lived while the solver iterated. */
public enum KernelStorage {
  /** Held in memory in double precision, beside the cost (small problems, n*m up to 2^18). */
  DENSE_DOUBLE,
  /** Held in memory in single precision, beside the cost in double: n*m*12 bytes within the memory budget. */
  DENSE_FLOAT,
  /**
   * Not held: every sweep recomputes the cost in tiles of rows, |x|^2 + |y|^2 - 2 X Y^T, and the kernel from
   * it, so memory is O((n + m) d); chosen when the dense kernel does not fit the memory budget.
   */
  ONLINE;

  /** The name in JSON output: {@code dense_double}, {@code dense_float}, {@code online}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
