package dev.tokendyn.cloud;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a file or a folder all at once or not at all, and never destroys what tokendyn did not write.
 *
 * <p>The rules, which the README's "Output files" paragraph states for users:
 * <ul>
 *   <li>A file is written to a temporary beside its target, named {@code .NAME.tokendyn-PID-N.tmp}, and
 *       then renamed over the target. A failure leaves the target as it was and no temporary behind.</li>
 *   <li>A target that is a symbolic link is followed: the file it points to is replaced, beside itself,
 *       and the link stays a link.</li>
 *   <li>A target that is a character device or a named pipe ({@code /dev/stdout}, {@code /dev/null}, a
 *       FIFO) is written to directly, never replaced; a block device or a socket is refused.</li>
 *   <li>Parent folders are never created here: a missing parent is an error that names it.</li>
 *   <li>A folder is filled under a temporary name beside its target and renamed into place; it then holds
 *       a marker file, {@value #MARKER}, that lists every file written into it. An existing folder is
 *       replaced only when it is empty, or when replacing is allowed and every file in it is one that
 *       its marker lists (tokendyn wrote it); otherwise the folder is refused, naming a few foreign
 *       files.</li>
 *   <li>The temporaries of a run are removed when the JVM shuts down on SIGINT or SIGTERM (a shutdown
 *       hook). Those of a run killed outright (SIGKILL, power loss) carry its process id in their name,
 *       and {@link #removeStale} removes them once that process is gone.</li>
 * </ul>
 * The registry of live temporaries is the one piece of global state: a shutdown hook can reach nothing
 * else.
 */
public final class AtomicFiles {
  /** The marker file of every folder that tokendyn writes: one line of text, then the files it wrote. */
  public static final String MARKER = ".tokendyn";

  private static final String MARKER_HEADER = "# written by tokendyn, which replaces this folder (--force) only while"
      + " it holds no other files than these:";

  /** The tag in a temporary's name, between the target's name and the process id. */
  private static final String TAG = ".tokendyn-";

  /** {@code .NAME.tokendyn-PID-N.tmp} (a file or a folder being written) or {@code ...-N.old} (being replaced). */
  private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.tokendyn-(\\d+)-\\d+\\.(tmp|old)");

  private static final long PID = ProcessHandle.current().pid();
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
  private static volatile boolean shuttingDown;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::removeLive, "tokendyn-temporaries"));
  }

  private AtomicFiles() {}

  /** Writes bytes to an output stream; may fail with an I/O error. */
  @FunctionalInterface
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Fills a folder; may fail with an I/O error. */
  @FunctionalInterface
  public interface FolderWriter {
    void write(Path folder) throws IOException;
  }

  /** What a path names, for writing. */
  public enum Kind {
    /** Nothing there yet. */
    MISSING,
    /** A regular file. */
    FILE,
    /** A folder. */
    FOLDER,
    /** A character device or a named pipe: written to directly. */
    STREAM,
    /** A block device, a socket or something else that tokendyn does not write to. */
    OTHER
  }

  /** What {@code p} names, following symbolic links. */
  public static Kind kind(Path p) {
    if (isDescriptor(p)) {
      return Kind.STREAM;
    }
    if (!Files.exists(p)) {
      return Kind.MISSING;
    }
    if (Files.isRegularFile(p)) {
      return Kind.FILE;
    }
    if (Files.isDirectory(p)) {
      return Kind.FOLDER;
    }
    try {
      int type = ((Integer) Files.getAttribute(p, "unix:mode")) & 0170000;
      return type == 0020000 || type == 0010000 ? Kind.STREAM : Kind.OTHER;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Kind.OTHER;
    }
  }

  /**
   * Whether {@code p} names an open file descriptor ({@code /dev/stdout}, {@code /dev/stderr},
   * {@code /dev/fd/N}, {@code /proc/self/fd/N}), which is written to where it points, never replaced,
   * even when it points to a regular file (a shell's {@code >> log}).
   */
  private static boolean isDescriptor(Path p) {
    String s = p.toAbsolutePath().normalize().toString();
    return s.equals("/dev/stdout") || s.equals("/dev/stderr") || s.startsWith("/dev/fd/")
        || s.startsWith("/proc/self/fd/");
  }

  /**
   * The path that writing {@code target} replaces: symbolic links followed (a dangling one too), and the
   * parent folder's real path when it exists. A character device or pipe is returned as given.
   *
   * @throws IOException when the links form a loop or run too deep
   */
  public static Path resolve(Path target) throws IOException {
    Path p = target.toAbsolutePath();
    if (kind(p) == Kind.STREAM) {
      return p;
    }
    for (int hops = 0; Files.isSymbolicLink(p); hops++) {
      if (hops == 40) {
        throw new IOException(target + ": too many levels of symbolic links");
      }
      p = p.resolveSibling(Files.readSymbolicLink(p)).toAbsolutePath();
    }
    Path parent = p.getParent();
    if (parent != null && Files.isDirectory(parent)) {
      p = parent.toRealPath().resolve(p.getFileName());
    }
    return p;
  }

  /**
   * Writes {@code target} atomically (see the class comment for links, devices and pipes).
   *
   * @throws IOException naming the path when the file cannot be written, its folder is missing, or it is
   *     a folder, a block device or a socket
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path real = resolve(target);
    switch (kind(real)) {
      case STREAM -> {
        try (OutputStream out = new BufferedOutputStream(
            Files.newOutputStream(real, StandardOpenOption.WRITE, StandardOpenOption.APPEND), 1 << 16)) {
          writer.write(out);
        }
        return;
      }
      case FOLDER -> throw new IOException(target + " is a folder; give a file name");
      case OTHER -> throw new IOException(target + " is a device or socket that tokendyn does not write to; give a"
          + " file");
      default -> { }
    }
    Path dir = requireFolder(real.getParent(), target);
    Set<PosixFilePermission> keep = Files.isRegularFile(real) && posix(real)
        ? Files.getPosixFilePermissions(real) : PosixFilePermissions.fromString("rw-r--r--");
    Path tmp = register(Files.createTempFile(dir, "." + real.getFileName() + TAG + PID + "-", ".tmp"));
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        writer.write(out);
      }
      if (posix(tmp)) {
        Files.setPosixFilePermissions(tmp, keep); // temporary files are private
      }
      move(tmp, real);
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(tmp);
      throw e;
    } finally {
      LIVE.remove(tmp);
    }
  }

  private static Path requireFolder(Path dir, Path target) throws IOException {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir + "", null, "the folder of " + target + " does not exist; create it first");
    }
    return dir;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Writes a whole folder at once or not at all: {@code writer} fills a temporary folder beside
   * {@code target}, which then takes its place.
   *
   * @param replace whether an existing folder that tokendyn wrote may be replaced
   * @throws IOException naming the path when the folder cannot be written or may not be replaced
   */
  public static void writeFolder(Path target, boolean replace, FolderWriter writer) throws IOException {
    try (Folder f = Folder.open(target, replace)) {
      writer.write(f.path());
      f.commit();
    }
  }

  /**
   * Why {@code target} may not be written as a folder, or null when it may: it is missing, empty, or (with
   * {@code replace}) a folder whose files are all listed by its marker.
   */
  public static String folderProblem(Path target, boolean replace) throws IOException {
    Path real = resolve(target);
    Kind k = kind(real);
    if (k == Kind.MISSING) {
      return null;
    }
    if (k != Kind.FOLDER) {
      return "exists and is not a folder";
    }
    List<String> present = relativeFiles(real);
    if (present.isEmpty()) {
      return null;
    }
    if (!replace) {
      return "exists and is not empty";
    }
    Set<String> ours = markerList(real);
    List<String> foreign = new ArrayList<>();
    for (String f : present) {
      if (!ours.contains(f) && !f.equals(MARKER)) {
        foreign.add(f);
      }
    }
    if (ours.isEmpty() && !present.contains(MARKER)) {
      return "was not written by tokendyn (it has no " + MARKER + " marker file) and holds "
          + few(present) + "; tokendyn replaces only an empty folder or one that it wrote itself";
    }
    if (!foreign.isEmpty()) {
      return "holds files that tokendyn did not write: " + few(foreign) + "; move them away first";
    }
    return null;
  }

  private static String few(List<String> names) {
    int shown = Math.min(5, names.size());
    String s = String.join(", ", names.subList(0, shown));
    return names.size() > shown ? s + " and " + (names.size() - shown) + " more" : s;
  }

  /** The files (and empty folders, with a trailing slash) under {@code dir}, relative, sorted. */
  private static List<String> relativeFiles(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (p.equals(dir)) {
          continue;
        }
        String rel = dir.relativize(p).toString();
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          try (Stream<Path> inner = Files.list(p)) {
            if (inner.findAny().isEmpty()) {
              out.add(rel + "/");
            }
          }
        } else {
          out.add(rel);
        }
      }
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  private static Set<String> markerList(Path dir) throws IOException {
    Path m = dir.resolve(MARKER);
    Set<String> out = new TreeSet<>();
    if (!Files.isRegularFile(m, LinkOption.NOFOLLOW_LINKS)) {
      return out;
    }
    for (String line : Files.readAllLines(m, StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        out.add(line);
      }
    }
    return out;
  }

  /**
   * A folder being written: fill {@link #path()}, then {@link #commit()} moves it into place. Closing
   * without a commit removes it.
   */
  public static final class Folder implements AutoCloseable {
    private final Path target;
    private final boolean replace;
    private final Path work;
    private boolean done;

    private Folder(Path target, boolean replace, Path work) {
      this.target = target;
      this.replace = replace;
      this.work = work;
    }

    /**
     * Starts writing the folder {@code target}.
     *
     * @throws IOException when the target may not be written (see {@link #folderProblem}) or its parent
     *     folder is missing
     */
    public static Folder open(Path target, boolean replace) throws IOException {
      Path real = resolve(target);
      String problem = folderProblem(real, replace);
      if (problem != null) {
        throw new FileAlreadyExistsException(target.toString(), null, problem);
      }
      Path parent = requireFolder(real.getParent(), target);
      Path work = register(Files.createTempDirectory(parent, "." + real.getFileName() + TAG + PID + "-"));
      Path named = work.resolveSibling(work.getFileName() + ".tmp");
      Files.move(work, named);
      register(named);
      LIVE.remove(work);
      return new Folder(real, replace, named);
    }

    /** The temporary folder to fill. */
    public Path path() {
      return work;
    }

    /** Writes the marker and moves the folder to its name, replacing the old one as allowed. */
    public void commit() throws IOException {
      List<String> files = relativeFiles(work);
      files.remove(MARKER);
      List<String> lines = new ArrayList<>();
      lines.add(MARKER_HEADER);
      lines.addAll(files);
      Files.write(work.resolve(MARKER), lines, StandardCharsets.UTF_8);
      if (posix(work)) {
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      String problem = folderProblem(target, replace);
      if (problem != null) {
        throw new FileAlreadyExistsException(target.toString(), null, problem);
      }
      if (Files.exists(target)) {
        Path old = target.resolveSibling(work.getFileName().toString().replaceFirst("\\.tmp$", ".old"));
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        done = true;
        deleteTree(old);
      } else {
        Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
        done = true;
      }
      LIVE.remove(work);
    }

    /** Removes the temporary folder unless committed. */
    @Override
    public void close() throws IOException {
      if (!done) {
        try {
          deleteTree(work);
        } finally {
          LIVE.remove(work);
        }
      }
    }
  }

  /**
   * Removes from {@code folder} the temporaries of tokendyn runs that are no longer alive (killed before
   * they could clean up), and puts back a folder that such a run had moved aside to replace it.
   *
   * @return one line per temporary removed or folder restored, for the user
   */
  public static List<String> removeStale(Path folder) throws IOException {
    List<String> notes = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return notes;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, ".*" + TAG + "*")) {
      for (Path p : entries) {
        Matcher m = TEMPORARY.matcher(p.getFileName().toString());
        if (!m.matches()) {
          continue;
        }
        long pid = Long.parseLong(m.group(2));
        if (pid == PID || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        Path original = p.resolveSibling(m.group(1));
        if (m.group(3).equals("old") && Files.isDirectory(p) && !Files.exists(original, LinkOption.NOFOLLOW_LINKS)) {
          Files.move(p, original, StandardCopyOption.ATOMIC_MOVE);
          notes.add("restored " + original + ", which an interrupted run (process " + pid + ") had moved aside");
          continue;
        }
        deleteTree(p);
        notes.add("removed " + p + ", a temporary left by an interrupted run (process " + pid + ")");
      }
    }
    return notes;
  }

  private static Path register(Path tmp) throws IOException {
    LIVE.add(tmp);
    if (shuttingDown) {
      deleteTree(tmp);
      LIVE.remove(tmp);
      throw new IOException("interrupted: the run is shutting down");
    }
    return tmp;
  }

  /**
   * The shutdown hook: every temporary of this run goes. A writer thread may still be adding files to a
   * temporary folder while the hook empties it (a file created between the listing and the folder's
   * removal leaves it not empty), so a folder that resists is tried again after a pause, for up to about
   * two seconds; once the folder is gone the writer's next file fails and it stops adding.
   */
  private static void removeLive() {
    shuttingDown = true;
    for (int pass = 0; pass < 40 && !LIVE.isEmpty(); pass++) {
      if (pass > 0) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      for (Path p : List.copyOf(LIVE)) {
        try {
          deleteTree(p);
          LIVE.remove(p);
        } catch (IOException | RuntimeException e) {
          // a writer may still be adding files; try again on the next pass
        }
      }
    }
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
