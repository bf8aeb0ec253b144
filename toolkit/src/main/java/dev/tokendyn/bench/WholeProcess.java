package dev.tokendyn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Whole-process measurements, as a user runs each side: a command (a tokendyn process, or a peer's Python
 * script) is started through the same meter, {@code measure.py}, which reports its wall time, CPU time and
 * peak resident memory; the peers' scripts read the very input files that tokendyn reads. The scripts ship
 * in the jar and are copied into the benchmark's own temporary folder, which {@link #close()} deletes with
 * everything the benchmark wrote there.
 */
public final class WholeProcess implements AutoCloseable {
  /** The meter and the peers that read files, as resources beside this class. */
  private static final List<String> SCRIPTS = List.of("measure.py", "ot_files.py", "sa_files.py");

  private final Path dir;

  /**
   * A fresh temporary folder holding the scripts.
   *
   * @throws IOException when the folder cannot be made or a script is missing from the jar
   */
  public WholeProcess() throws IOException {
    dir = Files.createTempDirectory("tokendyn-bench-");
    for (String s : SCRIPTS) {
      try (InputStream in = WholeProcess.class.getResourceAsStream(s)) {
        if (in == null) {
          throw new IOException(s + " is missing from the jar; rebuild it with mvn install");
        }
        Files.copy(in, dir.resolve(s));
      }
    }
  }

  /** The folder for input files. */
  public Path dir() {
    return dir;
  }

  /** The path of a peer script in the folder. */
  public Path script(String name) {
    return dir.resolve(name);
  }

  /**
   * One process: wall and CPU seconds, peak resident MiB, and the JSON lines it printed on stdout.
   *
   * @param exit the command's exit status
   */
  public record Run(double wallSeconds, double cpuSeconds, double maxRssMib, int exit, List<JsonNode> output) {}

  /**
   * The command that starts a tokendyn process: the launcher when TOKENDYN_HOME names the folder that holds
   * it (as the launcher sets it), otherwise this JVM's java on this jar. Null when neither can be found.
   */
  public static List<String> tokendyn() {
    Path launcher = launcher();
    if (launcher != null) {
      return List.of(launcher.toString());
    }
    String java = ProcessHandle.current().info().command().orElse(null);
    try {
      Path jar = Path.of(WholeProcess.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (java == null || !Files.isRegularFile(jar)) {
        return null;
      }
      return List.of(java, "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-jar", jar.toString());
    } catch (java.net.URISyntaxException | SecurityException e) {
      return null;
    }
  }

  /** The launcher in the folder that TOKENDYN_HOME names (as the launcher sets it), or null. */
  static Path launcher() {
    String home = System.getenv("TOKENDYN_HOME");
    return home != null && Files.isExecutable(Path.of(home, "tokendyn")) ? Path.of(home, "tokendyn") : null;
  }

  /**
   * Runs the command through the meter and waits for it.
   *
   * @throws IOException when it cannot be started, times out, or the meter reports nothing
   */
  public Run run(List<String> command, long timeoutSeconds) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Peers.PYTHON);
    cmd.add(script("measure.py").toString());
    cmd.addAll(command);
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> {
      try {
        p.getErrorStream().transferTo(err);
      } catch (IOException e) {
        // the process ended; what was read is kept
      }
    });
    drain.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": timed out after " + timeoutSeconds + " s");
      }
      drain.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + command.get(0), e);
    }
    JsonNode meter = null;
    for (String line : err.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("{\"measured\"")) {
        meter = Json.mapper().readTree(line);
      }
    }
    if (meter == null) {
      throw new IOException(String.join(" ", command) + ": no measurement; its errors: " + err.toString(StandardCharsets.UTF_8));
    }
    // one JSON document or several (pretty-printed or one a line), whatever else was printed before them
    List<JsonNode> json = new ArrayList<>();
    int start = out.indexOf('{');
    if (start >= 0) {
      try (com.fasterxml.jackson.databind.MappingIterator<JsonNode> it =
          Json.mapper().readerFor(JsonNode.class).readValues(out.substring(start))) {
        while (it.hasNextValue()) {
          json.add(it.nextValue());
        }
      }
    }
    return new Run(meter.path("wall_s").asDouble(), meter.path("cpu_s").asDouble(), meter.path("max_rss_mib").asDouble(),
        meter.path("exit").asInt(), json);
  }

  /** Deletes the folder and everything in it (all of it written by this benchmark). */
  @Override
  public void close() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
