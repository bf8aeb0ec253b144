package dev.tokendyn.jupyter;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The kernelspec from which Jupyter starts the tokendyn kernel ({@code kernel.json}): this JVM's java,
 * the Vector API module, the class path of the toolkit and the kernel, and interrupts sent as messages.
 *
 * @param java the java executable
 * @param classPath the class path entries, toolkit and kernel jars and their libraries
 * @param jvmOptions further JVM options (heap size and the like), may be empty
 * @param env environment variables of the kernel process
 */
public record KernelSpec(Path java, List<String> classPath, List<String> jvmOptions, Map<String, String> env) {

  /** The name a notebook's metadata refers to. */
  public static final String NAME = TokendynKernel.NAME;
  /** The name Jupyter shows in its kernel menu. */
  public static final String DISPLAY_NAME = "tokendyn (Java 17)";

  public KernelSpec {
    Objects.requireNonNull(java, "java");
    if (classPath.isEmpty()) {
      throw new IllegalArgumentException("the kernel's class path must not be empty");
    }
    classPath = List.copyOf(classPath);
    jvmOptions = List.copyOf(jvmOptions);
    env = Map.copyOf(env);
  }

  /**
   * The spec of a kernel that runs as this JVM does: its java, its class path, and the environment the
   * launcher sets ({@code TOKENDYN_HOME} and glibc's allocator settings) where present.
   *
   * @param jvmOptions further options, for example from {@code TOKENDYN_KERNEL_OPTS}
   */
  public static KernelSpec ofThisJvm(List<String> jvmOptions) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (!e.isEmpty()) {
        cp.add(Path.of(e).toAbsolutePath().normalize().toString());
      }
    }
    Map<String, String> env = new java.util.TreeMap<>();
    for (String k : List.of("TOKENDYN_HOME", "MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
        "DJL_CACHE_DIR")) {
      String v = System.getenv(k);
      if (v != null) {
        env.put(k, v);
      }
    }
    return new KernelSpec(java, cp, jvmOptions, env);
  }

  /** The argv Jupyter runs, {@code {connection_file}} standing for the connection file. */
  public List<String> argv() {
    List<String> a = new ArrayList<>();
    a.add(java.toString());
    a.add("--add-modules");
    a.add("jdk.incubator.vector");
    a.add("-Djava.awt.headless=true");
    a.add("-Xss4m");
    a.addAll(jvmOptions);
    a.add("-cp");
    a.add(String.join(File.pathSeparator, classPath));
    a.add(KernelMain.class.getName());
    a.add("{connection_file}");
    return a;
  }

  /** {@code kernel.json}. */
  public String toJson() {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = m.createObjectNode();
    ArrayNode argv = root.putArray("argv");
    argv().forEach(argv::add);
    root.put("display_name", DISPLAY_NAME);
    root.put("language", "java");
    root.put("interrupt_mode", "message");
    ObjectNode e = root.putObject("env");
    new java.util.TreeMap<>(env).forEach(e::put);
    try {
      return m.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }
}
