package dev.tokendyn.model;

import java.util.Arrays;

/**
 * A named float32 weight in plain Java memory, row-major, before it is handed to the engine.
 *
 * @param name the parameter name
 * @param shape the extents
 * @param data row-major values; the record keeps the array given (weights are large), so callers must
 *     not modify it afterwards
 */
public record Tensor(String name, long[] shape, float[] data) {
  public Tensor {
    long n = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException(name + ": negative extent in shape " + Arrays.toString(shape));
      }
      n *= s;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          name + ": shape " + Arrays.toString(shape) + " needs " + n + " values, found " + data.length);
    }
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Extent of dimension i. */
  public int dim(int i) {
    return Math.toIntExact(shape[i]);
  }

  /** The transpose of a matrix (rank 2). */
  public Tensor transposed() {
    if (shape.length != 2) {
      throw new IllegalArgumentException(name + ": only a matrix can be transposed, found shape " + Arrays.toString(shape));
    }
    int r = dim(0);
    int c = dim(1);
    float[] t = new float[data.length];
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        t[j * r + i] = data[i * c + j];
      }
    }
    return new Tensor(name, new long[] {c, r}, t);
  }

  /** This tensor under another name. */
  public Tensor renamed(String newName) {
    return new Tensor(newName, shape, data);
  }

  @Override
  public String toString() {
    return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
  }
}
