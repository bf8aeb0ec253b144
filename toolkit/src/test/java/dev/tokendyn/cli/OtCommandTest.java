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
  void sinkhornPlanHoldsThePotentials() throws IOException {
    Path[] c = lineClouds();
    Path plan = dir.resolve("pot.json");
    Run r = ot("--source", c[0].toString(), "--target", c[1].toString(), "--method", "sinkhorn", "--reg", "0.5",
        "--plan", plan.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode p = Json.readTree(plan);
    assertThat(p.get("f")).hasSize(2);
    assertThat(p.get("g")).hasSize(2);
    assertThat(p.get("reg").asDouble()).isEqualTo(0.5);
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
