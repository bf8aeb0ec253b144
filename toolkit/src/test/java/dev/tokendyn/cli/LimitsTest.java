package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokendyn.cloud.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits are checked from the arguments before any work, with the memory needed and the option that
 * gives it; an OutOfMemoryError becomes one line; no stack trace reaches the user.
 */
class LimitsTest {
  @TempDir Path tmp;

  private void refusedForMemory(CliRun r, long maxMillis, long started) {
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("needs about").contains("GiB of memory").contains("TOKENDYN_JAVA_OPTS=-Xmx")
        .doesNotContain("\tat ");
    assertThat(System.currentTimeMillis() - started).as("refused before any work").isLessThan(maxMillis);
  }

  @Test
  void aSimulationTooLargeForTheHeapIsRefusedUpFront() throws Exception {
    long t = System.currentTimeMillis();
    refusedForMemory(CliRun.of("simulate", "--n", "10000000", "--d", "64", "--beta", "1", "--steps", "10", "--seed",
        "1", "--out", tmp.resolve("s.json").toString()), 5000, t);
    t = System.currentTimeMillis();
    refusedForMemory(CliRun.of("simulate", "--n", "32", "--d", "3", "--beta", "1", "--steps", "2147483647",
        "--record-every", "1", "--seed", "1", "--out", tmp.resolve("s.json").toString()), 5000, t);
    assertThat(tmp.resolve("s.json")).doesNotExist();
  }

  @Test
  void arraysPastJavasLimitAreNamed() {
    CliRun r = CliRun.of("simulate", "--n", "2000000000", "--d", "64", "--beta", "1", "--steps", "1", "--seed", "1",
        "--out", tmp.resolve("s.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("n=2000000000 tokens in d=64").contains("2^31 - 1");
  }

  @Test
  void aSweepAndExactTransportTooLargeAreRefusedUpFront() throws Exception {
    long t = System.currentTimeMillis();
    refusedForMemory(CliRun.of("sweep", "--betas", "1", "--ds", "64", "--n", "2000000", "--steps", "10", "--seeds", "1",
        "--no-plot", "--out", tmp.resolve("w.json").toString()), 5000, t);
    Path big = tmp.resolve("big.npy");
    Npy.write(big, new int[] {200000}, new double[200000]);
    t = System.currentTimeMillis();
    refusedForMemory(CliRun.of("ot", "--source", big.toString(), "--target", big.toString()), 10000, t);
  }

  @Test
  void aShortDocumentCannotAskForGigabytes() throws Exception {
    // 40,000 points, the first of 40,000 coordinates, the rest empty: 12.8 GB if allocated before the check
    StringBuilder b = new StringBuilder("{\"points\": [[");
    for (int k = 0; k < 40000; k++) {
      b.append(k == 0 ? "0" : ",0");
    }
    b.append("]");
    for (int i = 1; i < 40000; i++) {
      b.append(",[]");
    }
    b.append("]}");
    Path bomb = Files.writeString(tmp.resolve("bomb.json"), b);
    long t = System.currentTimeMillis();
    CliRun r = CliRun.of("ot", "--source", bomb.toString(), "--target", bomb.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("point 1 has 0 coordinates but point 0 has 40000");
    assertThat(System.currentTimeMillis() - t).isLessThan(5000);
  }

  @Test
  void anOutOfMemoryErrorIsOneLineWithTheFix() {
    String line = Main.describe(new RuntimeException("worker failed", new OutOfMemoryError("Java heap space")));
    assertThat(line).startsWith("out of memory").contains("TOKENDYN_JAVA_OPTS=-Xmx").doesNotContain("\n");
    assertThat(Main.describe(new StackOverflowError())).contains("-Xss");
    assertThat(Main.describe(new NullPointerException())).startsWith("internal error").contains("TOKENDYN_DEBUG");
  }

  @Test
  void nothingPrintsAStackTrace() throws Exception {
    Path notCloud = Files.writeString(tmp.resolve("x.json"), "[1, 2, 3]");
    CliRun r = CliRun.of("ot", "--source", notCloud.toString(), "--target", notCloud.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
  }
}
