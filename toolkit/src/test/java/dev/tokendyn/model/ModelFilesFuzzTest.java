package dev.tokendyn.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tokendyn.cloud.FuzzFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzz tests of the model file readers: a malformed file gives the documented
 * {@link ModelException} (or an {@link IllegalArgumentException} with a message), never another
 * exception, a hang or an OutOfMemoryError. The safetensors target is the header validation that runs
 * before any byte reaches the native decoder. {@code mvn verify} replays the committed inputs under
 * {@code src/test/resources/dev/tokendyn/model/ModelFilesFuzzTestInputs/}.
 */
class ModelFilesFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void safetensorsHeader(byte[] data) {
    expectDocumented(() -> Safetensors.checkHeader(data, "fuzz.safetensors"));
  }

  @FuzzTest(maxDuration = "10m")
  void onnxWeights(byte[] data) {
    expectDocumented(() -> OnnxWeights.read(new ByteArrayInputStream(data), "fuzz.onnx"));
  }

  @FuzzTest(maxDuration = "10m")
  void configJson(byte[] data) throws IOException {
    Path f = FuzzFiles.write("config.json", data);
    expectDocumented(() -> ModelLoader.fromConfig(f, ModelLoader.readConfig(f), Map.of(), "fuzz", "fuzz"));
  }

  /** Something that may throw the documented exception. */
  @FunctionalInterface
  interface Read {
    void run() throws Exception;
  }

  private static void expectDocumented(Read r) {
    try {
      r.run();
    } catch (ModelException | IllegalArgumentException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("a " + e.getClass().getSimpleName() + " without a message", e);
      }
    } catch (Exception e) {
      throw new AssertionError("undocumented " + e.getClass().getName() + ": " + e.getMessage(), e);
    }
  }
}
