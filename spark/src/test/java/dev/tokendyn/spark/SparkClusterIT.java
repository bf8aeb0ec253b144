package dev.tokendyn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone Spark cluster on 127.0.0.1, a master and one worker started from the Maven jars (no Spark
 * installation), running the jobs from {@code tokendyn-spark.jar} as spark-submit would, against the local
 * commands. Everything it starts is stopped at the end, within bounded time.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SparkClusterIT {
  @TempDir static Path tmp;
  static final List<Process> started = new ArrayList<>();
  static String masterUrl;
  static Path jar;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The JVM options Spark needs on Java 17, as this test JVM got them. */
  static List<String> jvmOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-XX:+IgnoreUnrecognized") || a.startsWith("-Dio.netty"))
        .toList();
  }

  static Process start(String name, String mainClass, Path sparkHome, String classpath, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-Dlog4j2.configurationFile=" + tmp.resolve("log4j2.properties")));
    cmd.addAll(jvmOptions());
    cmd.addAll(List.of("-cp", classpath, mainClass));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve(name + ".log").toFile());
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process p = pb.start();
    started.add(p);
    return p;
  }

  static void awaitLog(String name, String line, int seconds) throws Exception {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    Path log = tmp.resolve(name + ".log");
    while (System.nanoTime() < end) {
      if (Files.exists(log) && Files.readString(log).contains(line)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " did not log '" + line + "' within " + seconds + " s:\n"
        + (Files.exists(log) ? Files.readString(log) : "(no log)"));
  }

  @BeforeAll
  static void startCluster() throws Exception {
    jar = Path.of(System.getProperty("tokendyn.spark.jar"));
    assertThat(jar).as("the jar for spark-submit (mvn package)").exists();
    String classpath = Files.readString(Path.of(System.getProperty("tokendyn.spark.classpath")),
        StandardCharsets.UTF_8).strip();
    // the worker launches executors on SPARK_HOME/jars/*, as an installation's folder: here links to Maven's jars
    Path sparkHome = Files.createDirectories(tmp.resolve("spark-home"));
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path target = Path.of(entry);
      Files.createSymbolicLink(jars.resolve(target.getFileName()), target);
    }
    // master and worker log at INFO, which says when each is up
    Files.writeString(tmp.resolve("log4j2.properties"), String.join("\n", "rootLogger.level = info",
        "rootLogger.appenderRef.stdout.ref = console", "appender.console.type = Console",
        "appender.console.name = console", "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n", ""));
    int port = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    start("master", "org.apache.spark.deploy.master.Master", sparkHome, classpath, "--host", "127.0.0.1", "--port",
        String.valueOf(port), "--webui-port", String.valueOf(freePort()));
    awaitLog("master", "I have been elected leader", 60);
    start("worker", "org.apache.spark.deploy.worker.Worker", sparkHome, classpath, "--host", "127.0.0.1",
        "--webui-port", String.valueOf(freePort()), "--cores", "2", "--memory", "3g", "--work-dir",
        Files.createDirectories(tmp.resolve("work")).toString(), masterUrl);
    awaitLog("master", "Registering worker", 60);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    // the worker's executors first, then the worker, then the master
    for (int i = started.size() - 1; i >= 0; i--) {
      Process p = started.get(i);
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void sweepOnTheClusterIsTheLocalSweep() throws Exception {
    Path localJson = tmp.resolve("sweep.json");
    var l = SparkSweepTest.local(SparkSweepTest.with(new String[] {"sweep", "--threads", "2"}, SparkSweepTest.GRID,
        "--out", localJson.toString()));
    assertThat(l.code()).as(l.err()).isZero();
    Path dir = Files.createDirectories(tmp.resolve("cluster"));
    var s = SparkSweepTest.spark(SparkSweepTest.with(new String[] {"sweep", "--master", masterUrl,
        "--conf", "spark.jars=" + jar, "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=1g"},
        SparkSweepTest.GRID, "--out", dir.resolve("sweep.json").toString()));
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("sweep.json"))).isEqualTo(Files.readAllBytes(localJson));
    assertThat(Files.readAllBytes(dir.resolve("sweep-d8.png"))).isEqualTo(Files.readAllBytes(tmp.resolve("sweep-d8.png")));
    // the runs ran in the worker's executor, from the jar, not in this JVM
    assertThat(Files.readString(tmp.resolve("worker.log"))).contains("Asked to launch executor");
  }

  @Test
  void analyzeOnTheClusterIsTheLocalAnalysis() throws Exception {
    Path corpus = Files.write(tmp.resolve("corpus.txt"), SparkAnalyzeTest.sentences(80, 7), StandardCharsets.UTF_8);
    String[] measure = {"--bootstrap", "100", "--pooled-sample", "200", "--no-transport"};
    List<String> local = new ArrayList<>(List.of("analyze", "--model", "all-minilm-l6-v2", "--input",
        corpus.toString(), "--out", tmp.resolve("local-report").toString(), "--per-text",
        tmp.resolve("local.jsonl").toString()));
    local.addAll(List.of(measure));
    var l = SparkSweepTest.local(local.toArray(String[]::new));
    assertThat(l.code()).as(l.err()).isZero();
    List<String> cluster = new ArrayList<>(List.of("analyze", "--master", masterUrl, "--conf", "spark.jars=" + jar,
        "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=2g", "--partitions", "3", "--model",
        "all-minilm-l6-v2", "--input", corpus.toString(), "--out", tmp.resolve("cluster-report").toString(),
        "--per-text", tmp.resolve("cluster.parquet").toString()));
    cluster.addAll(List.of(measure));
    var s = SparkSweepTest.spark(cluster.toArray(String[]::new));
    assertThat(s.code()).as(s.err()).isZero();
    SparkAnalyzeTest.assertClose("report", dev.tokendyn.cloud.Json.readTree(tmp.resolve("cluster-report/report.json")),
        dev.tokendyn.cloud.Json.readTree(tmp.resolve("local-report/report.json")));
    SparkAnalyzeTest.assertSamePerText(tmp.resolve("cluster.parquet"),
        SparkAnalyzeTest.readJsonLines(tmp.resolve("local.jsonl")));
  }
}
