package dev.tokendyn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.CloudFiles;
import dev.tokendyn.cloud.Npy;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.transport.Cost;
import dev.tokendyn.transport.CostMatrix;
import dev.tokendyn.transport.ExactResult;
import dev.tokendyn.transport.NetworkSimplex;
import dev.tokendyn.transport.Sinkhorn;
import dev.tokendyn.transport.SinkhornParams;
import dev.tokendyn.transport.SinkhornResult;
import dev.tokendyn.transport.SlicedParams;
import dev.tokendyn.transport.SlicedResult;
import dev.tokendyn.transport.SlicedWasserstein;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times the transport solvers against POT 0.8.2 on the same input files, in two ways.
 *
 * <p>In process: each side loads the files once and times 5 calls after a warm-up (ours: at least three
 * calls and two seconds, as the JIT compiles the vector kernels during the first calls; the peer: one call);
 * the cost matrix is built outside the timed region for exact OT and Sinkhorn, as in the peer. Whole
 * process: each side is started once, as a user runs it ({@code tokendyn ot ...} against a Python script
 * that loads the same files, builds M with {@code ot.dist} and calls POT), and its wall time and peak
 * resident memory are taken by the same meter.
 *
 * <p>Workloads: d = 64, xs ~ N(0, I), xt ~ N(0.5, I) (this project's generator, seeded by n, written to
 * .npy files that both sides read), uniform weights; Sinkhorn with reg = 0.05 x median cost (the median of
 * a fixed sample of 4096 entries, the same reg given to both) and stopThr 1e-9; sliced W2 with 128
 * projections.
 */
public final class OtBenchmark {
  /** Dimension of all workloads. */
  public static final int D = 64;
  private static final int WARMUP = 3;
  private static final double WARMUP_S = 2;
  private static final int RUNS = 5;
  /** The longest wait for an idle machine before each in-process timing, as the peer harness is given. */
  private static final double IDLE_WAIT_S = 20;

  private OtBenchmark() {}

  /** How a row was timed. */
  public enum Mode {
    /** Inside a running process, after a warm-up: the solver alone. */
    IN_PROCESS,
    /** One whole process each, as a user runs it: start-up, reading the files, the cost, the solve. */
    WHOLE_PROCESS;

    public String label() {
      return this == IN_PROCESS ? "in-process" : "whole process";
    }
  }

  /**
   * One workload on one side and the peer's.
   *
   * @param oursSeconds our median (in process) or wall time (whole process)
   * @param peerSeconds the peer's, NaN when it did not run
   * @param oursRssMib our peak resident memory (whole process), NaN in process
   * @param peerRssMib the peer's, NaN in process or when it did not run
   * @param bar the largest acceptable time ratio, NaN when there is none
   * @param rssBar the largest acceptable memory ratio, NaN when there is none
   * @param clean whether other processes stayed nearly idle while ours was timed in process (true whole process:
   *     not measured there)
   */
  public record Row(String workload, Mode mode, double oursSeconds, double oursValue, long oursIterations,
      String detail, double peerSeconds, double peerValue, double oursRssMib, double peerRssMib, double bar,
      double rssBar, boolean clean) {
    public double ratio() {
      return oursSeconds / peerSeconds;
    }

    public double rssRatio() {
      return oursRssMib / peerRssMib;
    }

    /** Whether the ratios meet their bars (true when there is no bar or no peer). */
    public boolean meetsBar() {
      boolean time = Double.isNaN(bar) || Double.isNaN(peerSeconds) || ratio() <= bar;
      boolean rss = Double.isNaN(rssBar) || Double.isNaN(peerRssMib) || rssRatio() <= rssBar;
      return time && rss;
    }

    Row withPeer(double seconds, double value, double rssMib) {
      return new Row(workload, mode, oursSeconds, oursValue, oursIterations, detail, seconds, value, oursRssMib, rssMib,
          bar, rssBar, clean);
    }
  }

  /** The two clouds of a workload of size n, written to xs{n}.npy and xt{n}.npy in dir. */
  static Path[] write(Path dir, int n) throws IOException {
    SplittableRandom rng = new SplittableRandom(n);
    double[] xs = new double[n * D];
    double[] xt = new double[n * D];
    for (int k = 0; k < n * D; k++) {
      xs[k] = rng.nextGaussian();
    }
    for (int k = 0; k < n * D; k++) {
      xt[k] = rng.nextGaussian() + 0.5;
    }
    Path a = dir.resolve("xs" + n + ".npy");
    Path b = dir.resolve("xt" + n + ".npy");
    Npy.write(a, new int[] {n, D}, xs);
    Npy.write(b, new int[] {n, D}, xt);
    return new Path[] {a, b};
  }

  /** 0.05 times the median of the cost between the files' clouds (a fixed sample of 4096 entries). */
  static double reg(Path[] files) throws IOException {
    TokenCloud x = CloudFiles.readCloud(files[0]);
    TokenCloud y = CloudFiles.readCloud(files[1]);
    return 0.05 * CostMatrix.between(Cost.SQEUCLIDEAN, x, y).median();
  }

  /**
   * Runs the workloads: in process at n = 512 and 2048 (exact at 512), whole process for Sinkhorn at 4000
   * and exact OT at 1000, and with {@code large} Sinkhorn at 20,000 too (POT needs about 16 GB and a minute
   * there). With {@code peers} false only our side runs.
   *
   * @throws IOException when the files cannot be written or a process fails
   */
  public static List<Row> run(boolean peers, boolean large, long peerTimeoutSeconds) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (WholeProcess wp = new WholeProcess()) {
      Path[] f512 = write(wp.dir(), 512);
      Path[] f2048 = write(wp.dir(), 2048);
      rows.add(peer(wp, peers, exact(f512), List.of("emd"), f512, peerTimeoutSeconds));
      rows.add(peer(wp, peers, sinkhorn(f512), List.of("sinkhorn", "--reg", str(reg(f512))), f512, peerTimeoutSeconds));
      rows.add(peer(wp, peers, sinkhorn(f2048), List.of("sinkhorn", "--reg", str(reg(f2048))), f2048,
          peerTimeoutSeconds));
      rows.add(peer(wp, peers, sliced(f512), List.of("sliced"), f512, peerTimeoutSeconds));
      rows.add(peer(wp, peers, sliced(f2048), List.of("sliced"), f2048, peerTimeoutSeconds));
      List<String> tokendyn = WholeProcess.tokendyn();
      if (tokendyn != null) {
        Path[] f1000 = write(wp.dir(), 1000);
        rows.add(whole(wp, peers, tokendyn, "OT exact emd2 n=1000 d=" + D, 0.7, Double.NaN, List.of("emd"), f1000,
            peerTimeoutSeconds));
        Path[] f4000 = write(wp.dir(), 4000);
        rows.add(whole(wp, peers, tokendyn, "OT sinkhorn2 n=4000 d=" + D, 0.5, Double.NaN,
            List.of("sinkhorn", "--reg", str(reg(f4000))), f4000, peerTimeoutSeconds));
        if (large) {
          Path[] f20k = write(wp.dir(), 20000);
          rows.add(whole(wp, peers, tokendyn, "OT sinkhorn2 n=20000 d=" + D, 0.3, 0.1,
              List.of("sinkhorn", "--reg", str(reg(f20k))), f20k, Math.max(peerTimeoutSeconds, 1800)));
        }
      }
    }
    return rows;
  }

  private static String str(double v) {
    return Double.toString(v);
  }

  /** Adds the peer's in-process timing on the same files to our row. */
  private static Row peer(WholeProcess wp, boolean peers, Row ours, List<String> method, Path[] files, long timeout)
      throws IOException {
    if (!peers) {
      return ours;
    }
    List<String> cmd = new ArrayList<>(List.of(Peers.PYTHON, wp.script("ot_files.py").toString(), method.get(0),
        files[0].toString(), files[1].toString(), "--runs", Integer.toString(RUNS)));
    cmd.addAll(method.subList(1, method.size()));
    WholeProcess.Run r = wp.run(cmd, timeout);
    JsonNode j = r.output().isEmpty() ? null : r.output().get(0);
    if (r.exit() != 0 || j == null) {
      throw new IOException("the POT peer failed on " + ours.workload() + " (exit " + r.exit() + "); is " + Peers.PYTHON
          + " set up with python3-pot?");
    }
    return ours.withPeer(j.path("median_s").asDouble(), j.path("value").asDouble(), Double.NaN);
  }

  /** Both sides as whole processes on the same files. */
  private static Row whole(WholeProcess wp, boolean peers, List<String> tokendyn, String workload, double bar,
      double rssBar, List<String> method, Path[] files, long timeout) throws IOException {
    List<String> ours = new ArrayList<>(tokendyn);
    ours.addAll(List.of("ot", "--source", files[0].toString(), "--target", files[1].toString(), "--method", method.get(0)));
    ours.addAll(method.subList(1, method.size()));
    WholeProcess.Run o = wp.run(ours, timeout);
    JsonNode oj = o.output().isEmpty() ? null : o.output().get(0);
    if (o.exit() != 0 || oj == null) {
      throw new IOException("tokendyn ot failed on " + workload + " (exit " + o.exit() + ")");
    }
    String detail = oj.has("kernel") ? oj.get("kernel").asText() : "";
    Row row = new Row(workload, Mode.WHOLE_PROCESS, o.wallSeconds(), oj.path("value").asDouble(),
        oj.path("iterations").asLong(), detail, Double.NaN, Double.NaN, o.maxRssMib(), Double.NaN, bar, rssBar, true);
    if (!peers) {
      return row;
    }
    List<String> cmd = new ArrayList<>(List.of(Peers.PYTHON, wp.script("ot_files.py").toString(), method.get(0),
        files[0].toString(), files[1].toString(), "--runs", "0"));
    cmd.addAll(method.subList(1, method.size()));
    WholeProcess.Run p = wp.run(cmd, timeout);
    JsonNode pj = p.output().isEmpty() ? null : p.output().get(0);
    if (p.exit() != 0 || pj == null) {
      throw new IOException("the POT peer failed on " + workload + " (exit " + p.exit() + ")");
    }
    return row.withPeer(p.wallSeconds(), pj.path("value").asDouble(), p.maxRssMib());
  }

  static Row exact(Path[] files) throws IOException {
    TokenCloud x = CloudFiles.readCloud(files[0]);
    TokenCloud y = CloudFiles.readCloud(files[1]);
    int n = x.size();
    CostMatrix m = Cost.SQEUCLIDEAN.matrix(x, y);
    double[] u = uniform(n);
    NetworkSimplex solver = new NetworkSimplex();
    Quiet.Measured<ExactResult> q = Quiet.measure(WARMUP, WARMUP_S, RUNS, () -> solver.solve(u, u, m), IDLE_WAIT_S);
    Timing.Result<ExactResult> t = q.timing();
    return new Row("OT exact emd2 n=" + n + " d=" + D, Mode.IN_PROCESS, t.medianSeconds(), t.last().value(),
        t.last().iterations(), "", Double.NaN, Double.NaN, Double.NaN, Double.NaN, 1.0, Double.NaN, q.clean());
  }

  static Row sinkhorn(Path[] files) throws IOException {
    TokenCloud x = CloudFiles.readCloud(files[0]);
    TokenCloud y = CloudFiles.readCloud(files[1]);
    int n = x.size();
    CostMatrix m = Cost.SQEUCLIDEAN.matrix(x, y);
    double[] u = uniform(n);
    Sinkhorn solver = new Sinkhorn(SinkhornParams.of(reg(files)));
    Quiet.Measured<SinkhornResult> q =
        Quiet.measure(WARMUP, WARMUP_S, RUNS, () -> solver.solve(u, u, m), IDLE_WAIT_S);
    Timing.Result<SinkhornResult> t = q.timing();
    return new Row("OT sinkhorn2 n=" + n + " d=" + D, Mode.IN_PROCESS, t.medianSeconds(), t.last().value(),
        t.last().iterations(), t.last().kernel().label(), Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        n == 2048 ? 0.5 : Double.NaN, Double.NaN, q.clean());
  }

  static Row sliced(Path[] files) throws IOException {
    TokenCloud x = CloudFiles.readCloud(files[0]);
    TokenCloud y = CloudFiles.readCloud(files[1]);
    SlicedWasserstein solver = new SlicedWasserstein(new SlicedParams(128, 0));
    Quiet.Measured<SlicedResult> q =
        Quiet.measure(WARMUP, WARMUP_S, RUNS, () -> solver.between(x, y), IDLE_WAIT_S);
    Timing.Result<SlicedResult> t = q.timing();
    return new Row("OT sliced n=" + x.size() + " d=" + D, Mode.IN_PROCESS, t.medianSeconds(), t.last().value(), 0,
        "(random directions differ)", Double.NaN, Double.NaN, Double.NaN, Double.NaN,
        x.size() == 2048 ? 0.3 : Double.NaN, Double.NaN, q.clean());
  }

  private static double[] uniform(int n) {
    double[] u = new double[n];
    Arrays.fill(u, 1.0 / n);
    return u;
  }

  /** The table that {@code bench ot} prints. */
  public static List<String> table(List<Row> rows) {
    List<String> out = new ArrayList<>();
    out.add(String.format(Locale.ROOT, "%-24s %-13s %9s %9s %6s %5s %8s %8s %6s %5s %6s %-12s %s", "workload", "mode",
        "ours s", "POT s", "ratio", "bar", "ours MiB", "POT MiB", "ratio", "bar", "iters", "kernel", "value ours / POT"));
    for (Row r : rows) {
      out.add(String.format(Locale.ROOT, "%-24s %-13s %9.4f %9.4f %6.3f %5s %8s %8s %6s %5s %6d %-12s %.10g / %.10g%s%s",
          r.workload(), r.mode().label(), r.oursSeconds(), r.peerSeconds(), r.ratio(), bar(r.bar()), mib(r.oursRssMib()),
          mib(r.peerRssMib()), Double.isNaN(r.rssRatio()) ? "-" : String.format(Locale.ROOT, "%.3f", r.rssRatio()),
          bar(r.rssBar()), r.oursIterations(), r.detail().startsWith("(") ? "" : r.detail(), r.oursValue(), r.peerValue(),
          r.detail().startsWith("(") ? " " + r.detail() : "", r.clean() ? "" : "  (machine busy)"));
    }
    return out;
  }

  private static String bar(double b) {
    return Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2f", b);
  }

  private static String mib(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
  }
}
