package dev.tokendyn.model;

import java.util.Arrays;

/**
 * One recorded activation of one text, in plain Java memory.
 *
 * @param name the TransformerLens name, such as {@code blocks.2.hook_attn_out}
 * @param kind what it is
 * @param block the block (0-based), or -1 for {@link Site#LN_FINAL}
 * @param shape [n, d], [n, H, d_h] or [H, n, n] (see {@link Site})
 * @param values row-major; the record keeps the array given
 */
public record SiteActivation(String name, Site kind, int block, int[] shape, float[] values) {
  public SiteActivation {
    long size = 1;
    for (int s : shape) {
      size *= s;
    }
    if (size != values.length) {
      throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + size
          + " values, found " + values.length);
    }
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The values as doubles. */
  public double[] toDoubles() {
    double[] out = new double[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[i];
    }
    return out;
  }
}
