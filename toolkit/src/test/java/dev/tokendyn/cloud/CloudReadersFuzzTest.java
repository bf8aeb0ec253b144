package dev.tokendyn.cloud;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzz tests of the cloud readers (the JSON ones from bytes, through the same
 * {@link Json#readTree(byte[], String)} that reading a file uses): whatever the bytes, a reader answers with its documented
 * {@link IOException} or an {@link IllegalArgumentException} that carries a message, and never with
 * another exception, a hang or an OutOfMemoryError. {@code mvn verify} replays the committed inputs under
 * {@code src/test/resources/dev/tokendyn/cloud/CloudReadersFuzzTestInputs/}; README says how to fuzz.
 */
class CloudReadersFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void npy(byte[] data) {
    expectDocumented(() -> Npy.read(new ByteArrayInputStream(data), "fuzz.npy"));
  }

  @FuzzTest(maxDuration = "10m")
  void jsonCloud(byte[] data) {
    expectDocumented(() -> CloudFiles.cloudFromJson(Json.readTree(data, "cloud.json")));
  }

  /** A sequence, a simulation's frames or an extraction: whichever the document holds, then pooled. */
  @FuzzTest(maxDuration = "10m")
  void jsonSequence(byte[] data) {
    expectDocumented(() -> CloudSequence.pool(CloudFiles.sequencesFromJson(Json.readTree(data, "seq.json"), null)
        .stream().map(TextSequence::layers).toList()));
  }

  /** An extraction folder: index.json beside one .npy file that it may name. */
  @FuzzTest(maxDuration = "10m")
  void extractionFolder(byte[] data) throws IOException {
    Path dir = FuzzFiles.folder("extraction");
    Path npy = dir.resolve("text_00000.npy");
    if (!Files.exists(npy)) {
      Npy.writeFloat32(npy, new int[] {2, 2, 2}, new float[] {1, 0, 0, 1, 0.6f, 0.8f, 0, 1});
    }
    Files.write(dir.resolve("index.json"), data);
    expectDocumented(() -> CloudFiles.readSequences(dir));
  }

  /** Something that may throw the documented exception. */
  @FunctionalInterface
  interface Read {
    void run() throws Exception;
  }

  /** Runs a read and lets only the documented failures pass; anything else is a finding. */
  static void expectDocumented(Read r) {
    try {
      r.run();
    } catch (IOException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("an IOException without a message", e);
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("an IllegalArgumentException without a message", e);
      }
    } catch (Exception e) {
      throw new AssertionError("undocumented " + e.getClass().getName() + ": " + e.getMessage(), e);
    }
  }
}
