package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.CloudFiles;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.TokenCloud;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulateCommandTest {
  @TempDir Path tmp;

  @Test
  void writesTheDocumentedSchema() throws Exception {
    Path out = tmp.resolve("sim.json");
    CliRun r = CliRun.of("simulate", "--dynamics", "SA", "--n", "12", "--d", "3", "--beta", "1", "--dt", "0.1",
        "--time", "20", "--init", "uniform", "--seed", "7", "--record-every", "50", "--save-points", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = Json.readTree(out);
    assertThat(doc.get("schema").asText()).isEqualTo("tokendyn.simulation/1");
    assertThat(doc.get("parameters").get("steps").asInt()).isEqualTo(200);
    JsonNode frames = doc.get("frames");
    assertThat(frames.size()).isEqualTo(5);
    JsonNode last = frames.get(4);
    assertThat(last.get("time").asDouble()).isEqualTo(20.0);
    assertThat(last.get("metrics").get("clusters").asInt()).isEqualTo(1);
    assertThat(last.get("metrics").get("mean_cosine").asDouble()).isGreaterThan(0.999);
    // E_beta of a collapsed cloud is e^beta / (2 beta)
    assertThat(last.get("metrics").get("energy").asDouble()).isCloseTo(Math.E / 2, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(last.get("points").size()).isEqualTo(12);
    // the frames can be read back as a cloud sequence
    assertThat(CloudFiles.readSequence(out).size()).isEqualTo(5);
  }

  @Test
  void sameSeedSameFileDifferentSeedDifferentFile() throws Exception {
    String[] base = {"simulate", "--dynamics", "usa", "--n", "9", "--d", "4", "--beta", "2", "--dt", "0.05",
        "--steps", "30", "--seed", "3", "--noise", "0.1", "--save-points", "--out"};
    Path a = tmp.resolve("a.json");
    Path b = tmp.resolve("b.json");
    assertThat(CliRun.of(concat(base, a.toString())).code()).isZero();
    assertThat(CliRun.of(concat(base, b.toString())).code()).isZero();
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    String[] other = concat(base, tmp.resolve("c.json").toString());
    other[other.length - 6] = "4";
    assertThat(CliRun.of(other).code()).isZero();
    assertThat(Files.readAllBytes(tmp.resolve("c.json"))).isNotEqualTo(Files.readAllBytes(a));
  }

  @Test
  void startsFromACloudFile() throws Exception {
    Path init = tmp.resolve("init.json");
    CloudFiles.writeCloud(init, TokenCloud.of(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 2}}));
    Path out = tmp.resolve("s.json");
    CliRun r = CliRun.of("simulate", "--n", "3", "--d", "3", "--beta", "0", "--dt", "0.1", "--steps", "0", "--init",
        init.toString(), "--seed", "1", "--save-points", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Json.readTree(out).get("frames").get(0).get("points").get(2).get(2).asDouble()).isEqualTo(1.0);
    assertThat(Json.readTree(out).get("frames").get(0).get("metrics").get("energy").isNull()).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--n 0 --d 3 --beta 1                       | n must be >= 1, found 0",
    "--n 4 --d 1 --beta 1                       | d must be >= 2",
    "--n 4 --d 3 --beta NaN                     | beta must be finite and >= 0, found NaN",
    "--n 4 --d 3 --beta -1                      | found -1.0",
    "--n 4 --d 3 --beta 1 --dt 0                | dt must be finite and > 0, found 0.0",
    "--n 4 --d 4 --beta 1 --init equiangular:-0.5 | -1/(n-1)",
    "--n 4 --d 3 --beta 1 --init equiangular:0.2 | needs d >= n",
    "--n 4 --d 3 --beta 1 --init equiangular:x  | RHO is not a number",
    "--n 4 --d 3 --beta 1 --init nowhere.json   | cannot read --init file",
    "--n 4 --d 3 --beta 1 --dynamics attention  | Invalid value for option '--dynamics'",
    "--n 4 --d 3 --beta 1 --integrator rk4 --noise 0.1 | Euler-Maruyama",
    "--n 4 --d 3 --beta 1 --qkv missing.json    | cannot read --qkv file",
  })
  void badInputIsAUsageErrorWithNoOutput(String args, String message) {
    Path out = tmp.resolve("never.json");
    String[] a = concat(concat(new String[] {"simulate"}, args.trim().split("\\s+")),
        "--dt", "0.1", "--steps", "3", "--seed", "1", "--out", out.toString());
    if (args.contains("--dt")) {
      a = concat(concat(new String[] {"simulate"}, args.trim().split("\\s+")), "--steps", "3", "--seed", "1", "--out",
          out.toString());
    }
    CliRun r = CliRun.of(a);
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
    assertThat(out).doesNotExist();
  }

  @Test
  void helpIsOffered() {
    CliRun r = CliRun.of("simulate", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--dynamics", "--init", "--save-points");
  }

  static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
