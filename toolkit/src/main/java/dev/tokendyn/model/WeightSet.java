package dev.tokendyn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

/**
 * Checks a model's named weights against the shapes the architecture expects, and hands them to the
 * engine. Every missing or misshapen weight is reported at once, with its name and both shapes.
 */
final class WeightSet {
  private final Map<String, Tensor> tensors;
  private final String source;
  private final NDManager manager;
  private final TreeSet<String> problems = new TreeSet<>();

  WeightSet(Map<String, Tensor> tensors, String source, NDManager manager) {
    this.tensors = tensors;
    this.source = source;
    this.manager = manager;
  }

  /** The weight as a Java tensor of the given shape, or null (and a recorded problem). */
  Tensor tensor(String name, long... shape) {
    Tensor t = tensors.get(name);
    if (t == null) {
      problems.add("missing " + name + " " + Arrays.toString(shape));
      return null;
    }
    if (!Arrays.equals(t.shape(), shape)) {
      problems.add(name + " has shape " + Arrays.toString(t.shape()) + " but " + Arrays.toString(shape) + " is expected");
      return null;
    }
    return t;
  }

  /** The weight on the engine, or null (and a recorded problem). */
  NDArray array(String name, long... shape) {
    Tensor t = tensor(name, shape);
    return t == null ? null : manager.create(t.data(), new Shape(shape));
  }

  /**
   * The dense layers whose weights are stored [in, out] under {@code prefix.weight}, stacked into one (a
   * fused projection, its outputs one after another), with the first {@code scaledRows} outputs (weights
   * and bias) multiplied by {@code scale}.
   *
   * @return a layer with prefixes.length * out outputs, or null (and a recorded problem)
   */
  Dense stackedLinear(long in, long out, double scale, long scaledRows, String... prefixes) {
    float[] w = new float[(int) (prefixes.length * out * in)];
    float[] b = new float[(int) (prefixes.length * out)];
    boolean ok = true;
    for (int p = 0; p < prefixes.length; p++) {
      Tensor wt = tensor(prefixes[p] + ".weight", in, out);
      Tensor bt = tensor(prefixes[p] + ".bias", out);
      if (wt == null || bt == null) {
        ok = false;
        continue;
      }
      float[] t = wt.transposed().data();
      System.arraycopy(t, 0, w, (int) (p * out * in), t.length);
      System.arraycopy(bt.data(), 0, b, (int) (p * out), (int) out);
    }
    if (!ok) {
      return null;
    }
    scaleRows(w, b, in, scaledRows, scale);
    return new Dense(manager.create(w, new Shape(prefixes.length * out, in)),
        manager.create(b, new Shape(prefixes.length * out)));
  }

  /** As {@link #stackedLinear} for one weight of shape [in, outs] already stacked along its columns. */
  Dense linear(String weightName, String biasName, long in, long out, double scale, long scaledRows) {
    Tensor wt = tensor(weightName, in, out);
    Tensor bt = tensor(biasName, out);
    if (wt == null || bt == null) {
      return null;
    }
    float[] w = wt.transposed().data();
    float[] b = bt.data().clone();
    scaleRows(w, b, in, scaledRows, scale);
    return new Dense(manager.create(w, new Shape(out, in)), manager.create(b, new Shape(out)));
  }

  private static void scaleRows(float[] w, float[] b, long in, long rows, double scale) {
    if (scale == 1) {
      return;
    }
    for (int i = 0; i < rows * in; i++) {
      w[i] = (float) (w[i] * scale);
    }
    for (int i = 0; i < rows; i++) {
      b[i] = (float) (b[i] * scale);
    }
  }

  /** @throws ModelException listing every problem recorded so far */
  void check() throws ModelException {
    if (!problems.isEmpty()) {
      int shown = Math.min(problems.size(), 8);
      throw new ModelException(source + ": the weights do not fit the architecture: "
          + String.join("; ", problems.stream().limit(shown).toList())
          + (problems.size() > shown ? "; and " + (problems.size() - shown) + " more" : ""));
    }
  }
}
