package dev.tokendyn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokendyn.analysis.PhaseSweep;
import dev.tokendyn.sphere.Dynamics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An executor JVM started without the Vector API module: the task says which flag to add. */
class VectorApiTest {
  /** What an executor runs for one run of a sweep, in a JVM of its own. */
  public static final class Probe {
    public static void main(String[] args) {
      var grid = new PhaseSweep.Grid(Dynamics.SA, 4, new double[] {1}, new int[] {3}, 1, 0, 0.1, 2, 1);
      try {
        TaskFailure.attempt("run 0", () -> PhaseSweep.simulate(grid, 0));
        System.out.println("ran");
      } catch (RuntimeException e) {
        System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
  }

  static String probe(boolean withModule) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var cmd = new java.util.ArrayList<String>(java.util.List.of(javaBin));
    if (withModule) {
      cmd.add("--add-modules=" + VectorApi.MODULE);
    }
    cmd.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), Probe.class.getName()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void withoutTheModuleTheTaskNamesTheFlag() throws Exception {
    assertThat(probe(false)).contains("IllegalStateException: the executor JVM runs without the Vector API module")
        .contains("add --conf spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector")
        .doesNotContain("ran");
    assertThat(probe(true)).contains("ran");
  }
}
