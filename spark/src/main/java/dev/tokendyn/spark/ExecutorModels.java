package dev.tokendyn.spark;

import dev.tokendyn.model.Extractor;
import dev.tokendyn.model.ModelException;
import java.util.HashMap;
import java.util.Map;

/**
 * The models open in this JVM, one per name: an executor loads a model once, for its first task, and
 * every later task on it reuses it. This is the one piece of JVM-wide state of the jobs, and it is there
 * on purpose: loading a model costs seconds and hundreds of MB, a text costs milliseconds. Tasks on one
 * executor take turns on a model ({@code synchronized} on the extractor), as the engine runs each forward
 * pass on all the executor's cores anyway. The models live as long as the executor.
 */
final class ExecutorModels {
  private static final Map<String, Extractor> OPEN = new HashMap<>();

  private ExecutorModels() {}

  static synchronized Extractor get(String model) throws ModelException {
    Extractor e = OPEN.get(model);
    if (e == null) {
      e = Extractor.open(model);
      OPEN.put(model, e);
    }
    return e;
  }
}
