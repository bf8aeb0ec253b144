package dev.tokendyn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code analyze} against {@code extract} to a {@code .npy} folder, whole process, on the same corpus file:
 * what measuring costs beside running the model. Each command runs in a fresh JVM started as the
 * launcher starts it; the time is the wall clock from start to exit, the memory the child's peak resident
 * set (VmHWM, read from /proc while it runs), the CPU its user plus system time.
 */
public final class AnalyzeBenchmark {
  private AnalyzeBenchmark() {}

  /**
   * One command's run.
   *
   * @param seconds wall-clock time, start to exit
   * @param cpuSeconds user + system CPU time of the process
   * @param peakRssMiB the highest resident set seen
   * @param exitCode the process's exit code
   */
  public record Run(double seconds, double cpuSeconds, double peakRssMiB, int exitCode) {}

  /** A side-by-side pair on one corpus. */
  public record Pair(int texts, long tokens, Run extract, Run analyze) {
    /** analyze's time over extract's. */
    public double ratio() {
      return analyze.seconds / extract.seconds;
    }
  }

  /** Writes {@code count} seeded synthetic texts, one a line, and returns the file. */
  public static Path writeCorpus(Path dir, int count, long seed) throws IOException {
    Path f = dir.resolve("corpus-" + count + ".txt");
    Files.write(f, SyntheticCorpus.texts(count, seed), StandardCharsets.UTF_8);
    return f;
  }

  /**
   * Runs {@code extract} then {@code analyze} (or the reverse, alternating by {@code round}) on the corpus.
   *
   * @param jar the tokendyn jar
   * @param extraAnalyze more options for analyze
   */
  public static Pair pair(Path jar, String model, Path corpus, Path scratch, int round, List<String> extraAnalyze)
      throws IOException, InterruptedException {
    Path x = scratch.resolve("extract-" + round);
    Path a = scratch.resolve("analyze-" + round);
    List<String> ex = List.of("extract", "--model", model, "--input", corpus.toString(), "--out", x.toString());
    List<String> an = new ArrayList<>(List.of("analyze", "--model", model, "--input", corpus.toString(), "--out",
        a.toString()));
    an.addAll(extraAnalyze);
    Run re;
    Run ra;
    if (round % 2 == 0) {
      re = run(jar, ex);
      ra = run(jar, an);
    } else {
      ra = run(jar, an);
      re = run(jar, ex);
    }
    long tokens = tokens(x);
    delete(x);
    delete(a);
    return new Pair((int) Files.lines(corpus).filter(l -> !l.isBlank()).count(), tokens, re, ra);
  }

  private static long tokens(Path extraction) throws IOException {
    Path index = extraction.resolve("index.json");
    if (!Files.isRegularFile(index)) {
      return -1;
    }
    var root = dev.tokendyn.cloud.Json.readTree(index);
    long n = 0;
    for (var t : root.path("texts")) {
      n += t.path("tokens").size();
    }
    return n;
  }

  /**
   * Runs tokendyn in a fresh JVM, sampling its peak resident memory: through the launcher when
   * TOKENDYN_HOME names its folder (as the launcher sets it), so with the class-data archive and the JVM
   * options it gives each command, as a user runs it; otherwise java on the jar with the launcher's options.
   */
  public static Run run(Path jar, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    Path launcher = WholeProcess.launcher();
    if (launcher != null) {
      // the launcher replaces itself with java (exec), so the process sampled is the JVM
      cmd.add(launcher.toString());
    } else {
      String javaCmd = ProcessHandle.current().info().command().orElse("java");
      cmd.addAll(List.of(javaCmd, "--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-Xmn256m"));
      if (!args.isEmpty() && args.get(0).equals("analyze")) {
        // as the launcher runs analyze: a heap that does not grow with the corpus, and the pooled cost
        // matrices born in the old generation instead of copied out of the young one
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:PretenureSizeThreshold=4m"));
      }
      cmd.addAll(List.of("-jar", jar.toString()));
    }
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "1");
    pb.environment().putIfAbsent("MALLOC_MMAP_THRESHOLD_", "4294967296");
    pb.environment().putIfAbsent("MALLOC_TRIM_THRESHOLD_", "68719476736");
    pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
    long t0 = System.nanoTime();
    Process p = pb.start();
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    double peak = 0;
    double cpu = 0;
    while (!p.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, field(status, "VmHWM:"));
      cpu = Math.max(cpu, cpuSeconds(stat));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Run(seconds, cpu, peak, p.exitValue());
  }

  private static double field(Path status, String name) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(name)) {
          return Double.parseDouble(line.substring(name.length()).trim().split("\\s+")[0]) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }

  /** utime + stime from /proc/PID/stat, in seconds (clock ticks of 1/100 s). */
  private static double cpuSeconds(Path stat) {
    try {
      String s = Files.readString(stat);
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(q);
      }
    }
  }
}
