package dev.tokendyn.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokendyn.analysis.PhaseSweep;
import dev.tokendyn.cli.Main;
import dev.tokendyn.sphere.Dynamics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep in Spark's local mode against the local command, and the failures a user meets. */
class SparkSweepTest {
  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  static Run spark(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = SparkMain.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  static Run local(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  static final String[] GRID = {"--betas", "0.5:4.5:2", "--ds", "3,8", "--seeds", "3", "--seed", "11", "--n", "12",
      "--dt", "0.1", "--steps", "120", "--record-every", "20"};

  static String[] with(String[] head, String[] grid, String... tail) {
    String[] a = new String[head.length + grid.length + tail.length];
    System.arraycopy(head, 0, a, 0, head.length);
    System.arraycopy(grid, 0, a, head.length, grid.length);
    System.arraycopy(tail, 0, a, head.length + grid.length, tail.length);
    return a;
  }

  @Test
  void sameDocumentAndHeatMapsAsTheLocalCommandWhateverThePartitions() throws Exception {
    Path localJson = tmp.resolve("local.json");
    Run l = local(with(new String[] {"sweep", "--threads", "2"}, GRID, "--out", localJson.toString()));
    assertThat(l.code()).as(l.err()).isZero();
    for (String partitions : new String[] {"18", "4", "1"}) {
      Path dir = Files.createDirectories(tmp.resolve("p" + partitions));
      Path json = dir.resolve("local.json"); // the same name, so that the document's file names agree
      Run s = spark(with(new String[] {"sweep", "--master", "local[2]", "--conf", "spark.ui.enabled=false",
          "--partitions", partitions}, GRID, "--out", json.toString()));
      assertThat(s.code()).as(s.err()).isZero();
      assertThat(s.out()).contains("18 simulations (3 betas x 2 dims x 3 seeds)");
      assertThat(Files.readAllBytes(json)).as("JSON, %s partitions", partitions).isEqualTo(Files.readAllBytes(localJson));
      for (String png : new String[] {"local-d3.png", "local-d8.png"}) {
        assertThat(Files.readAllBytes(dir.resolve(png))).as(png).isEqualTo(Files.readAllBytes(tmp.resolve(png)));
      }
    }
    // and the numbers are a phase diagram, not zeros: at beta 0.5 in d = 3 the 12 tokens have gathered by t = 12
    var doc = dev.tokendyn.cloud.Json.readTree(localJson);
    var first = doc.get("cells").get(0);
    assertThat(first.get("d").asInt()).isEqualTo(3);
    assertThat(first.get("mean_clustered_fraction").get(0).asDouble()).isZero();
    assertThat(first.get("mean_clustered_fraction").get(6).asDouble()).isEqualTo(1.0);
  }

  @Test
  void libraryCallGivesTheLocalCellsBitForBit() throws Exception {
    var grid = new PhaseSweep.Grid(Dynamics.USA, 10, new double[] {1, 6}, new int[] {4}, 5, 3, 0.05, 80, 40);
    List<PhaseSweep.Cell> local = PhaseSweep.run(grid, 1, done -> {});
    try (SparkSession s = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
        .getOrCreate()) {
      List<PhaseSweep.Cell> cells = SparkSweep.run(JavaSparkContext.fromSparkContext(s.sparkContext()), grid, 3).cells();
      assertThat(cells).hasSameSizeAs(local);
      for (int i = 0; i < cells.size(); i++) {
        assertThat(cells.get(i).clusteredFraction()).isEqualTo(local.get(i).clusteredFraction());
        assertThat(cells.get(i).meanClusteredFraction()).isEqualTo(local.get(i).meanClusteredFraction());
        assertThat(cells.get(i).singleClusterProbability()).isEqualTo(local.get(i).singleClusterProbability());
      }
    }
  }

  @Test
  void aTaskThatFailsOnEveryAttemptFailsTheJobNamingItsUnitAndCause() throws Exception {
    try (SparkSession s = SparkSession.builder().master("local[2,3]").config("spark.ui.enabled", "false")
        .getOrCreate()) {
      var sc = JavaSparkContext.fromSparkContext(s.sparkContext());
      assertThatThrownBy(() -> sc.parallelize(List.of(0, 1, 2, 3), 4)
          .map(i -> TaskFailure.attempt("text " + i, () -> {
            if (i == 2) {
              throw new IllegalArgumentException("the text is empty");
            }
            return i;
          })).collect())
          .isInstanceOf(SparkException.class)
          .satisfies(e -> assertThat(TaskFailure.describe(e)).isEqualTo(
              "the Spark job failed and wrote nothing: a task failed 3 times; the last attempt: text 2: the text is"
                  + " empty"));
    }
  }

  @Test
  void anUnreachableMasterIsAUsageErrorWithinSecondsNamingTheUrl() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path out = tmp.resolve("s.json");
    String url = "spark://127.0.0.1:" + port;
    long t0 = System.nanoTime();
    Run r = spark(with(new String[] {"sweep", "--master", url}, GRID, "--out", out.toString()));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("tokendyn spark sweep: error: cannot reach the Spark master " + url + " (")
        .contains("start the master there, or fix --master");
    assertThat(seconds).isLessThan(5);
    assertThat(out).doesNotExist();

    r = spark(with(new String[] {"sweep", "--master", "local[0]"}, GRID, "--out", out.toString()));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--master local[0] is not local, local[N], local[*] or local[N,F]");
    r = spark(with(new String[] {"sweep", "--master", "spark://nowhere"}, GRID, "--out", out.toString()));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--master spark://nowhere must be spark://HOST:PORT");
    r = spark(with(new String[] {"sweep"}, GRID, "--out", out.toString()));
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no Spark master: give --master local[N]");
    assertThat(out).doesNotExist();
  }
}
