package dev.tokendyn.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the peer scripts live by default: {@code ../shared/peers} beside the repository. */
final class BenchPaths {
  private BenchPaths() {}

  static Path defaultPeers() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared").resolve("peers");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      Path sibling = p.resolveSibling("shared").resolve("peers");
      if (p.getParent() != null && Files.isDirectory(sibling)) {
        return sibling;
      }
    }
    return null;
  }
}
