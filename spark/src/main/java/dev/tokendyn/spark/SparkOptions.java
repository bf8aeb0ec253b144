package dev.tokendyn.spark;

import dev.tokendyn.cli.UsageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * Where a job runs: {@code --master} and {@code --conf}, as spark-submit takes them. Under spark-submit both
 * may be left out (its own settings arrive as {@code spark.*} system properties).
 */
public final class SparkOptions {
  /** How long the check of a {@code spark://} master waits for a connection. */
  static final int CONNECT_TIMEOUT_MS = 3_000;

  private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?])?");

  @Option(names = "--master", paramLabel = "local[N]|spark://HOST:PORT",
      description = "Where the job runs: local[N] (N threads here; local[N,F] retries a failed task F-1 times)"
          + " or a standalone master spark://HOST:PORT (default: the master spark-submit was given).")
  String master;

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "A Spark setting, as spark-submit's --conf (repeatable), e.g. spark.executor.memory=4g.")
  Map<String, String> conf = new LinkedHashMap<>();

  /**
   * Starts (or joins) the Spark session for {@code app}, after checking the master: an unreachable
   * {@code spark://} master is a usage error within {@link #CONNECT_TIMEOUT_MS}, naming the URL.
   */
  public SparkSession session(String app) {
    VectorApi.require("driver");
    SparkConf c = new SparkConf();
    if (master != null) {
      c.setMaster(master.strip());
    }
    if (!c.contains("spark.master")) {
      throw new UsageException("no Spark master: give --master local[N] or --master spark://HOST:PORT"
          + " (spark-submit gives its own)");
    }
    c.setIfMissing("spark.app.name", app);
    conf.forEach(c::set);
    checkMaster(c.get("spark.master"));
    // executors load tokendyn from the jar this class came from, unless spark-submit already named it
    ownJar().ifPresent(jar -> c.setIfMissing("spark.jars", jar.toString()));
    return SparkSession.builder().config(c).getOrCreate();
  }

  /** Checks a master URL: the local forms by pattern, and a standalone master by connecting to it. */
  static void checkMaster(String url) {
    if (url.startsWith("local")) {
      if (!LOCAL.matcher(url).matches()) {
        throw new UsageException("--master " + url + " is not local, local[N], local[*] or local[N,F]");
      }
      return;
    }
    if (!url.startsWith("spark://")) {
      return; // yarn, k8s://...: Spark checks those itself
    }
    String why = null;
    for (String hostPort : url.substring("spark://".length()).split(",")) {
      int colon = hostPort.lastIndexOf(':');
      int port;
      try {
        port = Integer.parseInt(hostPort.substring(colon + 1));
      } catch (NumberFormatException | IndexOutOfBoundsException e) {
        throw new UsageException("--master " + url + " must be spark://HOST:PORT (port 7077 by default)");
      }
      if (colon <= 0 || port < 1 || port > 65535) {
        throw new UsageException("--master " + url + " must be spark://HOST:PORT (port 7077 by default)");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(hostPort.substring(0, colon), port), CONNECT_TIMEOUT_MS);
        return;
      } catch (IOException e) {
        why = e.getMessage() == null ? e.toString() : e.getMessage();
      }
    }
    throw new UsageException("cannot reach the Spark master " + url + " (" + why + ", waited up to "
        + CONNECT_TIMEOUT_MS / 1000 + " s); start the master there, or fix --master");
  }

  private static java.util.Optional<Path> ownJar() {
    try {
      Path p = Path.of(SparkOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? java.util.Optional.of(p)
          : java.util.Optional.empty();
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return java.util.Optional.empty();
    }
  }
}
