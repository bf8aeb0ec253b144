package dev.tokendyn.jupyter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KernelSpecTest {

  @Test
  void theKernelJsonStartsThisJavaWithTheVectorApiAndMessageInterrupts() throws Exception {
    KernelSpec spec = new KernelSpec(Path.of("/opt/jdk/bin/java"), List.of("/a/k.jar", "/a/t.jar"), List.of("-Xmx2g"),
        Map.of("TOKENDYN_HOME", "/a"));
    JsonNode json = new ObjectMapper().readTree(spec.toJson());
    List<String> argv = new ObjectMapper().convertValue(json.get("argv"), List.class);
    assertThat(argv.get(0)).isEqualTo("/opt/jdk/bin/java");
    assertThat(argv).containsSubsequence("--add-modules", "jdk.incubator.vector")
        .containsSubsequence("-Xmx2g", "-cp", "/a/k.jar:/a/t.jar", "dev.tokendyn.jupyter.KernelMain", "{connection_file}");
    assertThat(json.get("display_name").asText()).isEqualTo("tokendyn (Java 17)");
    assertThat(json.get("interrupt_mode").asText()).isEqualTo("message");
    assertThat(json.at("/env/TOKENDYN_HOME").asText()).isEqualTo("/a");
    assertThatThrownBy(() -> new KernelSpec(Path.of("java"), List.of(), List.of(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class path");
  }

  @Test
  void withoutJupyterInstallExitsTwoWithTheAptLine() {
    String old = System.getProperty("tokendyn.jupyter");
    System.setProperty("tokendyn.jupyter", "/nonexistent/jupyter");
    try {
      for (String[] args : List.of(new String[] {"install"}, new String[] {})) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = JupyterMain.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
            .contains("sudo apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient");
        assertThat(out.toString()).isEmpty();
      }
    } finally {
      if (old == null) {
        System.clearProperty("tokendyn.jupyter");
      } else {
        System.setProperty("tokendyn.jupyter", old);
      }
    }
  }
}
