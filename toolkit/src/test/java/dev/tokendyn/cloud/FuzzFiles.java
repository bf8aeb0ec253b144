package dev.tokendyn.cloud;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One scratch folder per test JVM for the fuzz tests whose readers take a path; removed at exit. */
public final class FuzzFiles {
  private static final Path ROOT = create();

  private FuzzFiles() {}

  private static Path create() {
    try {
      Path shm = Path.of("/dev/shm");
      Path root = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "tokendyn-fuzz")
          : Files.createTempDirectory("tokendyn-fuzz");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path root) {
    try (var w = Files.walk(root)) {
      w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }

  /** Writes {@code data} to the scratch file {@code name} and returns its path. */
  public static Path write(String name, byte[] data) throws IOException {
    return Files.write(ROOT.resolve(name), data);
  }

  /** A scratch folder {@code name}, created once and reused. */
  public static Path folder(String name) throws IOException {
    return Files.createDirectories(ROOT.resolve(name));
  }
}
