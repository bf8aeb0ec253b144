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
