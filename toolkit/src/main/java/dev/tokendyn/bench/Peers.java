package dev.tokendyn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a peer benchmark script (numpy, PyTorch, POT) as a child process, so that tokendyn and the
 * peer are measured side by side in one process tree, and reads the one JSON object per line that
 * each script prints.
 */
public final class Peers {
  private Peers() {}

  /** The interpreter that carries Debian's numpy, torch and POT. */
  public static final String PYTHON = "/usr/bin/python3";

  /**
   * Runs {@code python script args...} and returns the JSON lines it printed.
   *
   * @throws IOException when the script is missing, fails, or prints no JSON
   */
  public static List<JsonNode> run(Path script, List<String> args, long timeoutSeconds) throws IOException {
    if (!Files.isRegularFile(script)) {
      throw new IOException(script + ": no such peer script");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(PYTHON);
    cmd.add(script.toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    // the peers' own harness waits for an idle machine; keep that wait short here
    pb.environment().putIfAbsent("PEER_BENCH_IDLE_WAIT_S", "20");
    Process p = pb.start();
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        String s = line.strip();
        if (s.startsWith("{")) {
          out.add(Json.mapper().readTree(s));
        }
      }
    }
    try {
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(script + ": timed out after " + timeoutSeconds + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + script, e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(script + " exited with " + p.exitValue() + "; is " + PYTHON + " set up with the peers' packages"
          + " (apt-get install python3-numpy python3-torch python3-pot)?");
    }
    if (out.isEmpty()) {
      throw new IOException(script + " printed no JSON result");
    }
    return out;
  }

  /** The first result whose {@code workload} contains all the given fragments, or null. */
  public static JsonNode find(List<JsonNode> results, String... fragments) {
    for (JsonNode r : results) {
      String w = r.path("workload").asText() + " " + r.path("tool").asText();
      boolean all = true;
      for (String f : fragments) {
        all &= w.contains(f);
      }
      if (all) {
        return r;
      }
    }
    return null;
  }
}
