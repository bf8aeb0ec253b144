package dev.tokendyn.jupyter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged kernel over the real Jupyter protocol: {@code src/test/python/kernel_protocol.py} drives it
 * with jupyter_client (Debian's {@code jupyter-client}), an implementation independent of the kernel's.
 * The script checks execute, streams, display, an image cell, complete, is_complete, interrupt, a compile
 * error, an exception and running out of memory. Skipped where Debian's python3 has no jupyter_client;
 * {@code .ci/run} installs it.
 */
class KernelProtocolIT {

  private static final String PYTHON = "/usr/bin/python3";

  @Test
  void jupyterClientDrivesTheKernel(@TempDir Path data) throws Exception {
    assumeTrue(new File(PYTHON).canExecute() && exec(List.of(PYTHON, "-c", "import jupyter_client"), Map.of(), 60) == 0,
        "needs jupyter_client under " + PYTHON + " (apt-get install jupyter-client)");
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      cp.add(Path.of(e).toAbsolutePath().toString());
    }
    KernelSpec spec = new KernelSpec(Path.of(System.getProperty("java.home"), "bin", "java"), cp, List.of("-Xmx512m"),
        Map.of());
    Path dir = Files.createDirectories(data.resolve("kernels").resolve(KernelSpec.NAME));
    Files.writeString(dir.resolve("kernel.json"), spec.toJson(), StandardCharsets.UTF_8);
    Path out = data.resolve("times.json");
    int code = exec(List.of(PYTHON, Path.of("src/test/python/kernel_protocol.py").toAbsolutePath().toString()),
        Map.of("JUPYTER_DATA_DIR", data.toString(), "TIMES_OUT", out.toString()), 600);
    assertThat(code).as("kernel_protocol.py exit code (its stderr names the failed check)").isZero();
    JsonNode times = new ObjectMapper().readTree(out.toFile());
    System.out.println("kernel over the Jupyter protocol: " + times);
    // generous bounds for a shared machine: the kernel answers kernel_info within seconds, a print at once
    assertThat(times.get("start_s").asDouble()).isLessThan(10);
    assertThat(times.get("print_cell_s").asDouble()).isLessThan(1);
  }

  private static int exec(List<String> cmd, Map<String, String> env, long seconds) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return 124;
    }
    return p.exitValue();
  }
}
