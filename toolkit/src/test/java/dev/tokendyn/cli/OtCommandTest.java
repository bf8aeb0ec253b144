package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OtCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {
    JsonNode json() throws IOException {
      return Json.mapper().readTree(out);
    }
  }

  private static Run ot(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] full = new String[args.length + 1];
    full[0] = "ot";
    System.arraycopy(args, 0, full, 1, args.length);
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), full);
    return new Run(code, out.toString(), err.toString());
  }

  private Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  /** Two points at 0 and 1 on the line against two points at 0 and 3: W2^2 = (0 + 4) / 2 = 2 by hand. */
  private Path[] lineClouds() throws IOException {
    return new Path[] {file("a.json", "{\"points\": [[0], [1]]}"), file("b.json", "{\"points\": [[3], [0]]}")};
  }

  @Test
  void emdPrintsOneJsonObjectWithTheHandWorkedValue() throws IOException {
    Path[] c = lineClouds();
    Run r = ot("--source", c[0].toString(), "--target", c[1].toString(), "--method", "emd");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode j = r.json();
    assertThat(j.get("schema").asText()).isEqualTo("tokendyn.ot/1");
    assertThat(j.get("method").asText()).isEqualTo("emd");
    assertThat(j.get("cost").asText()).isEqualTo("sqeuclidean");
    assertThat(j.get("value").asDouble()).isCloseTo(2.0, within(1e-15));
    assertThat(j.get("converged").asBoolean()).isTrue();
    assertThat(j.get("iterations").asLong()).isPositive();
  }

  @Test
  void methodsAndCostsAreCaseInsensitiveAndEuclideanCostIsUsed() throws IOException {
    Path[] c = lineClouds();
    Run r = ot("--source", c[0].toString(), "--target", c[1].toString(), "--method", "EMD", "--cost", "Euclidean");
    assertThat(r.code()).as(r.err()).isZero();
    // |0 - 0| / 2 + |1 - 3| / 2 = 1
    assertThat(r.json().get("value").asDouble()).isCloseTo(1.0, within(1e-15));
  }

  @Test
  void sinkhornAndDivergenceAndSlicedRun() throws IOException {
    Path[] c = lineClouds();
    Run s = ot("--source", c[0].toString(), "--target", c[1].toString(), "--method", "sinkhorn", "--reg", "0.01");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.json().get("value").asDouble()).isCloseTo(2.0, within(1e-6));
    assertThat(s.json().get("marginal_error").asDouble()).isLessThan(1e-9);
    Run d = ot("--source", c[0].toString(), "--target", c[1].toString(), "--method", "divergence", "--reg", "0.01");
    assertThat(d.code()).as(d.err()).isZero();
    assertThat(d.json().get("value").asDouble()).isCloseTo(2.0, within(1e-3));
    Run sl = ot("--source", c[0].toString(), "--target", c[1].toString(), "--method", "sliced", "--projections", "4");
    assertThat(sl.code()).as(sl.err()).isZero();
    // in one dimension every projection is +-1: sliced W2 = exact W2 = sqrt(2)
    assertThat(sl.json().get("value").asDouble()).isCloseTo(Math.sqrt(2), within(1e-12));
  }

  @Test
  void sphericalSlicedWithTheGeodesicCost() throws IOException {
    Path a = file("s.json", "{\"points\": [[1, 0], [0, 1]]}");
    Path b = file("t.json", "{\"points\": [[0, 1], [-1, 0]]}");
    Run r = ot("--source", a.toString(), "--target", b.toString(), "--method", "sliced", "--cost", "geodesic");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("variant").asText()).startsWith("spherical");
    // a quarter turn for each half of the mass: W2 = 1/4 on a circle of length one
    assertThat(r.json().get("value").asDouble()).isCloseTo(0.25, within(1e-9));
  }

  @Test
  void weightsNotSummingToOneAreNormalisedWithAWarning() throws IOException {
    Path a = file("w.json", "{\"points\": [[0], [1]], \"weights\": [3, 3]}");
    Path b = file("b.json", "{\"points\": [[3], [0]]}");
    Run r = ot("--source", a.toString(), "--target", b.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("warning").contains("sum to 6.0").contains("normalised");
    assertThat(r.json().get("value").asDouble()).isCloseTo(2.0, within(1e-15));
  }

  @Test
  void writesTheSparsePlanAtomically() throws IOException {
    Path[] c = lineClouds();
    Path plan = dir.resolve("out/plan.json");
    Run r = ot("--source", c[0].toString(), "--target", c[1].toString(), "--plan", plan.toString(), "--parents");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode p = Json.readTree(plan);
    assertThat(p.get("entries")).hasSize(2);
    double total = 0;
    for (JsonNode e : p.get("entries")) {
      // point 0 goes to target 1 (both at 0), point 1 to target 0 (at 3)
      assertThat(e.get(1).asInt()).isEqualTo(1 - e.get(0).asInt());
      total += e.get(2).asDouble();
    }
    assertThat(total).isCloseTo(1.0, within(1e-15));
    try (var files = Files.list(plan.getParent())) {
      assertThat(files).containsExactly(plan);
    }
  }

  @Test
  void sinkhornPlanIsDenseWithTheMarginalsAndThePotentialsRebuildIt() throws IOException {
    Path[] c = lineClouds();
    Path plan = dir.resolve("plan.json");
    Path pot = dir.resolve("pot.json");
    Run r = ot("--source", c[0].toString(), "--target", c[1].toString(), "--method", "sinkhorn", "--reg", "0.5",
        "--plan", plan.toString(), "--potentials", pot.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode p = Json.readTree(plan).get("plan");
    double[][] m = {{9, 0}, {4, 1}}; // |x_i - y_j|^2 for x = (0, 1), y = (3, 0)
    double value = 0;
    for (int i = 0; i < 2; i++) {
      assertThat(p.get(i).get(0).asDouble() + p.get(i).get(1).asDouble()).isCloseTo(0.5, within(1e-9));
      assertThat(p.get(0).get(i).asDouble() + p.get(1).get(i).asDouble()).isCloseTo(0.5, within(1e-9));
      for (int j = 0; j < 2; j++) {
        value += p.get(i).get(j).asDouble() * m[i][j];
      }
    }
    assertThat(r.json().get("value").asDouble()).isCloseTo(value, within(1e-12));
    JsonNode fg = Json.readTree(pot);
    double reg = fg.get("reg").asDouble();
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 2; j++) {
        double rebuilt = Math.exp((fg.get("f").get(i).asDouble() + fg.get("g").get(j).asDouble() - m[i][j]) / reg);
        assertThat(rebuilt).isCloseTo(p.get(i).get(j).asDouble(), within(1e-12));
      }
    }
    Path npy = dir.resolve("plan.npy");
    assertThat(ot("--source", c[0].toString(), "--target", c[1].toString(), "--method", "emd", "--plan",
        npy.toString()).code()).isZero();
    dev.tokendyn.cloud.Npy.Array dense = dev.tokendyn.cloud.Npy.read(npy);
    // the exact plan by hand: x = 0 goes to y = 0 and x = 1 to y = 3, (0 + 4) / 2 = 2, against (9 + 1) / 2
    assertThat(dense.shape()).containsExactly(2, 2);
    assertThat(dense.data()).containsExactly(0, 0.5, 0.5, 0);
  }

  @Test
  void aCostMatrixWithWeightsIsPotsEmd2() throws IOException {
    // M = [[1, 2], [3, 1]], a = (0.7, 0.3), b = (0.4, 0.6): the plan [[0.4, 0.3], [0, 0.3]] costs 1.3, by hand
    Path m = file("M.json", "[[1, 2], [3, 1]]");
    Path a = dir.resolve("a.npy");
    dev.tokendyn.cloud.Npy.write(a, new int[] {2}, new double[] {0.7, 0.3});
    Path b = file("b.json", "[0.4, 0.6]");
    Run r = ot("--cost-matrix", m.toString(), "--a", a.toString(), "--b", b.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("value").asDouble()).isCloseTo(1.3, within(1e-12));
    assertThat(r.json().get("cost").asText()).isEqualTo("matrix");
    assertThat(r.json().get("value_unit").asText()).contains("unit of M");
    Run s = ot("--cost-matrix", m.toString(), "--a", a.toString(), "--b", b.toString(), "--method", "sinkhorn",
        "--reg", "0.01");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(s.json().get("value").asDouble()).isCloseTo(1.3, within(0.02));
    // uniform weights when --a and --b are left out: the identity plan, (1 + 1) / 2
    assertThat(ot("--cost-matrix", m.toString()).json().get("value").asDouble()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void theCostMatrixOfTwoCloudsGivesTheCloudsValue() throws IOException {
    Path x = dir.resolve("x.npy");
    Path y = dir.resolve("y.npy");
    double[] xs = {0, 0, 1, 0, 0, 2};
    double[] ys = {1, 1, 3, 0, -1, 0};
    dev.tokendyn.cloud.Npy.write(x, new int[] {3, 2}, xs);
    dev.tokendyn.cloud.Npy.write(y, new int[] {3, 2}, ys);
    Path w = file("w.json", "[0.5, 0.25, 0.25]");
    StringBuilder rows = new StringBuilder("[");
    for (int i = 0; i < 3; i++) {
      rows.append(i > 0 ? "," : "").append("[");
      for (int j = 0; j < 3; j++) {
        double dx = xs[2 * i] - ys[2 * j];
        double dy = xs[2 * i + 1] - ys[2 * j + 1];
        rows.append(j > 0 ? "," : "").append(dx * dx + dy * dy);
      }
      rows.append("]");
    }
    Path m = file("M.json", rows.append("]").toString());
    Run clouds = ot("--source", x.toString(), "--target", y.toString(), "--a", w.toString());
    Run matrix = ot("--cost-matrix", m.toString(), "--a", w.toString());
    assertThat(clouds.code()).as(clouds.err()).isZero();
    assertThat(clouds.json().get("value").asDouble()).isCloseTo(matrix.json().get("value").asDouble(), within(1e-12));
    assertThat(clouds.json().get("w2").asDouble())
        .isCloseTo(Math.sqrt(clouds.json().get("value").asDouble()), within(1e-15));
    // the weights change the answer: uniform weights give another value
    assertThat(ot("--source", x.toString(), "--target", y.toString()).json().get("value").asDouble())
        .isNotCloseTo(clouds.json().get("value").asDouble(), within(1e-6));
  }

  @Test
  void pairsRunInOneCallWithOneLineEach() throws IOException {
    Path[] c = lineClouds();
    Files.createDirectories(dir.resolve("layers"));
    Files.writeString(dir.resolve("layers/c.json"), "{\"points\": [[2], [5]]}");
    Path pairs = file("pairs.txt", "# source target\na.json b.json\nb.json layers/c.json\n\na.json a.json\n");
    Run r = ot("--pairs", pairs.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\n");
    assertThat(lines).hasSize(3);
    JsonNode first = Json.mapper().readTree(lines[0]);
    assertThat(first.get("source").asText()).isEqualTo("a.json");
    assertThat(first.get("value").asDouble()).isCloseTo(2.0, within(1e-15));
    JsonNode second = Json.mapper().readTree(lines[1]);
    assertThat(second.get("target").asText()).isEqualTo("layers/c.json");
    // {0, 3} against {2, 5}: 0 -> 2 and 3 -> 5, (4 + 4) / 2
    assertThat(second.get("value").asDouble()).isCloseTo(4.0, within(1e-15));
    assertThat(Json.mapper().readTree(lines[2]).get("value").asDouble()).isCloseTo(0.0, within(1e-15));
    expectUsage(ot("--pairs", file("bad.txt", "a.json\n").toString()), "line 1", "SOURCE TARGET");
    expectUsage(ot("--pairs", file("missing.txt", "a.json nope.json\n").toString()), "nope.json");
  }

  @Test
  void badMatrixAndWeightInputsAreUsageErrors() throws IOException {
    Path m = file("M.json", "[[1, 2], [3, 1]]");
    Path three = file("w3.json", "[0.2, 0.3, 0.5]");
    Path[] c = lineClouds();
    expectUsage(ot("--cost-matrix", m.toString(), "--a", three.toString()), "3 weights for 2 rows");
    expectUsage(ot("--cost-matrix", m.toString(), "--method", "sliced"), "--cost-matrix works with");
    expectUsage(ot("--cost-matrix", m.toString(), "--source", c[0].toString()), "--cost-matrix");
    expectUsage(ot("--cost-matrix", file("ragged.json", "[[1, 2], [3]]").toString()), "row 1");
    expectUsage(ot("--method", "emd"), "give --source and --target");
    expectUsage(ot("--source", c[0].toString(), "--target", c[1].toString(), "--a", three.toString()),
        "3 weights for 2 points");
    expectUsage(ot("--source", c[0].toString(), "--target", c[1].toString(), "--potentials",
        dir.resolve("p.json").toString()), "--potentials is available for --method sinkhorn");
  }

  @Test
  void badInputGivesExitTwoWithAClearMessageAndNoPlan() throws IOException {
    Path[] c = lineClouds();
    Path plan = dir.resolve("never.json");
    String a = c[0].toString();
    String b = c[1].toString();
    Path twoD = file("2d.json", "{\"points\": [[0, 1]]}");
    Path negative = file("neg.json", "{\"points\": [[0], [1]], \"weights\": [0.5, -0.5]}");
    Path zero = file("zero.json", "{\"points\": [[0], [1]], \"weights\": [0, 0]}");
    Path empty = file("empty.json", "{\"points\": []}");
    Path garbage = file("garbage.json", "{\"points\": [[0], [");
    expectUsage(ot("--source", a, "--target", twoD.toString(), "--plan", plan.toString()), "same dimension", "d=1", "d=2");
    expectUsage(ot("--source", negative.toString(), "--target", b, "--plan", plan.toString()), "-0.5");
    expectUsage(ot("--source", zero.toString(), "--target", b, "--plan", plan.toString()), "positive sum");
    expectUsage(ot("--source", empty.toString(), "--target", b), "empty");
    expectUsage(ot("--source", dir.resolve("missing.json").toString(), "--target", b), "missing.json");
    expectUsage(ot("--source", garbage.toString(), "--target", b), "garbage.json");
    expectUsage(ot("--source", a, "--target", b, "--method", "sinkhorn", "--plan", plan.toString()), "--reg is required");
    expectUsage(ot("--source", a, "--target", b, "--method", "sinkhorn", "--reg", "-1", "--plan", plan.toString()),
        "reg must be > 0", "-1");
    expectUsage(ot("--source", a, "--target", b, "--method", "sinkhorn", "--reg", "0"), "reg must be > 0");
    expectUsage(ot("--source", a, "--target", b, "--method", "sliced", "--projections", "0"), "projections must be >= 1");
    expectUsage(ot("--source", a, "--target", b, "--method", "sliced", "--plan", plan.toString()), "--plan");
    expectUsage(ot("--source", a, "--target", b, "--method", "wasserstein"), "wasserstein");
    expectUsage(ot("--source", a, "--target", b, "--max-iter", "0"), "--max-iter must be >= 1");
    // standard output carries the result; a plan there would be a second JSON document in it
    expectUsage(ot("--source", a, "--target", b, "--plan", "-"), "--plan cannot be standard output", "PLAN.json");
    expectUsage(ot("--source", a, "--target", b, "--plan", "/dev/stdout"), "--plan cannot be standard output");
    expectUsage(ot("--source", a, "--target", b, "--method", "sinkhorn", "--reg", "1", "--potentials", "-"),
        "--potentials cannot be standard output");
    assertThat(plan).doesNotExist();
  }

  private static void expectUsage(Run r, String... fragments) {
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(Main.USAGE);
    assertThat(r.out()).isEmpty();
    for (String f : fragments) {
      assertThat(r.err()).contains(f);
    }
  }

  @Test
  void sinkhornSaysWhichKernelRanAndAMemoryBudgetBelowTheSmallestTilesIsAUsageErrorGivingTheMinimum()
      throws IOException {
    StringBuilder a = new StringBuilder("{\"points\": [");
    StringBuilder b = new StringBuilder("{\"points\": [");
    java.util.Random rng = new java.util.Random(345);
    for (int i = 0; i < 40; i++) {
      a.append(i > 0 ? ", " : "").append("[").append(rng.nextGaussian()).append(", ").append(rng.nextGaussian()).append("]");
      b.append(i > 0 ? ", " : "").append("[").append(rng.nextGaussian() + 1).append(", ").append(rng.nextGaussian()).append("]");
    }
    Path pa = file("a40.json", a.append("]}").toString());
    Path pb = file("b40.json", b.append("]}").toString());
    Run dense = ot("--source", pa.toString(), "--target", pb.toString(), "--method", "sinkhorn", "--reg", "0.5");
    assertThat(dense.code()).as(dense.err()).isZero();
    assertThat(dense.json().get("kernel").asText()).isEqualTo("dense_double");
    // 40 x 40 entries need 25,600 bytes dense: 24 KiB is below that and above the online minimum
    Run online = ot("--source", pa.toString(), "--target", pb.toString(), "--method", "sinkhorn", "--reg", "0.5",
        "--memory", "24k");
    assertThat(online.code()).as(online.err()).isZero();
    assertThat(online.json().get("kernel").asText()).isEqualTo("online");
    assertThat(online.json().get("value").asDouble()).isCloseTo(dense.json().get("value").asDouble(),
        within(1e-9 * dense.json().get("value").asDouble()));
    Run tiny = ot("--source", pa.toString(), "--target", pb.toString(), "--method", "sinkhorn", "--reg", "0.5",
        "--memory", "1k");
    assertThat(tiny.code()).isEqualTo(Main.USAGE);
    assertThat(tiny.out()).isEmpty();
    assertThat(tiny.err()).contains("--memory 1.0 KiB is below the").contains("give --memory");
    Run bad = ot("--source", pa.toString(), "--target", pb.toString(), "--method", "sinkhorn", "--reg", "0.5",
        "--memory", "lots");
    assertThat(bad.code()).isEqualTo(Main.USAGE);
    assertThat(bad.err()).contains("'lots' is not a size");
  }

  @Test
  void threadsBelowOneIsAUsageErrorAndOneThreadGivesTheSameValue() throws IOException {
    Path[] c = lineClouds();
    Run zero = ot("--source", c[0].toString(), "--target", c[1].toString(), "--threads", "0");
    assertThat(zero.code()).isEqualTo(Main.USAGE);
    assertThat(zero.err()).contains("--threads must be >= 1, found 0");
    assertThat(zero.out()).isEmpty();
    Run one = ot("--source", c[0].toString(), "--target", c[1].toString(), "--threads", "1");
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(one.json().get("value").asDouble()).isCloseTo(2.0, within(1e-15));
  }
}
