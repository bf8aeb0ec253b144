package dev.tokendyn.cloud;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file all at once or not at all: the content goes to a temporary file in the same folder,
 * which is then moved over the target. A failure leaves the target as it was and no temporary behind.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes bytes to an output stream; may fail with an I/O error. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Temporary files are private; the result gets the usual rw-r--r--. */
  private static void readableByAll(Path p) throws IOException {
    permissions(p, "rw-r--r--");
  }

  private static void permissions(Path p, String perms) throws IOException {
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
    }
  }

  /**
   * Writes {@code target} atomically, creating its parent folders.
   *
   * @throws IOException naming the path when the file cannot be written
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    try {
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        writer.write(out);
      }
      readableByAll(tmp);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /** Fills a folder; may fail with an I/O error. */
  @FunctionalInterface
  public interface FolderWriter {
    void write(Path folder) throws IOException;
  }

  /**
   * Writes a whole folder at once or not at all: the content goes to a temporary folder beside
   * {@code target}, which then takes its place. On failure the temporary folder is removed and the
   * target is as it was.
   *
   * @param replace whether an existing target may be replaced; when false an existing, non-empty target
   *     is an error that says so
   * @throws IOException naming the path when the folder cannot be written
   */
  public static void writeFolder(Path target, boolean replace, FolderWriter writer) throws IOException {
    Path abs = target.toAbsolutePath();
    if (Files.exists(abs) && !Files.isDirectory(abs)) {
      throw new IOException(abs + " exists and is not a folder");
    }
    if (!replace && Files.isDirectory(abs)) {
      try (var entries = Files.list(abs)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(abs + " exists and is not empty; choose another folder or allow replacing it");
        }
      }
    }
    Path parent = abs.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".");
    try {
      writer.write(tmp);
      permissions(tmp, "rwxr-xr-x");
      if (Files.exists(abs)) {
        Path old = Files.createTempDirectory(parent, "." + abs.getFileName() + ".old.");
        Files.delete(old);
        Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
      } else {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException | RuntimeException e) {
      deleteTree(tmp);
      throw e;
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
