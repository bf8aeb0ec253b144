package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.export.SchemaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeanFieldCommandTest {
  @TempDir Path tmp;

  @Test
  void writesTheDensityAndTheParticlesBesideIt() throws Exception {
    Path out = tmp.resolve("mf.json");
    CliRun r = CliRun.of("meanfield", "--beta", "4", "--grid", "256", "--time", "3", "--frames", "3", "--init",
        "0.6*vonmises:0:2+0.4*vonmises:3:2", "--particles", "300", "--seed", "2", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("300 particles");
    JsonNode doc = Json.readTree(out);
    assertThat(SchemaTest.validate(doc)).isEmpty();
    assertThat(doc.get("grid").size()).isEqualTo(256);
    JsonNode frames = doc.get("frames");
    assertThat(frames.size()).isEqualTo(4);
    for (JsonNode f : frames) {
      assertThat(f.get("mass").asDouble()).isCloseTo(1, offset(1e-10));
      // the particles follow the density: the mean cosines differ by a few 1/sqrt(n)
      assertThat(f.at("/particles/mean_cosine").asDouble()).isCloseTo(f.get("mean_cosine").asDouble(), offset(0.15));
      assertThat(f.at("/particles/w2").asDouble()).isLessThan(0.5);
    }
  }

  /** Any grid of 16 or more points: 1,000 (Bluestein's FFT) and 1,024 (radix 2) give the same continuum answer. */
  @Test
  void aGridThatIsNotAPowerOfTwoAgreesWithOneThatIs() throws Exception {
    double[] cosine = new double[2];
    int[] grids = {1000, 1024};
    for (int g = 0; g < 2; g++) {
      Path out = tmp.resolve("g" + grids[g] + ".json");
      CliRun r = CliRun.of("meanfield", "--beta", "4", "--grid", String.valueOf(grids[g]), "--time", "5", "--frames", "1",
          "--init", "vonmises:0:1", "--out", out.toString());
      assertThat(r.code()).as(r.err()).isZero();
      JsonNode doc = Json.readTree(out);
      assertThat(doc.get("grid").size()).isEqualTo(grids[g]);
      assertThat(doc.at("/frames/1/mass").asDouble()).isCloseTo(1, offset(1e-10));
      cosine[g] = doc.at("/frames/1/mean_cosine").asDouble();
    }
    // second-order finite volumes: the two grids differ by far less than the mean cosine has moved (from 0.2)
    assertThat(cosine[0]).isCloseTo(cosine[1], offset(1e-4));
  }

  @Test
  void refusesASmallGridANegativeDensityAndAZeroOne() throws Exception {
    CliRun small = CliRun.of("meanfield", "--beta", "1", "--grid", "8", "--time", "1", "--out",
        tmp.resolve("a.json").toString());
    assertThat(small.code()).isEqualTo(2);
    assertThat(small.err()).contains("--grid must be at least 16");
    double[] neg = new double[16];
    java.util.Arrays.fill(neg, 1);
    neg[5] = -1;
    Path negFile = tmp.resolve("neg.json");
    Files.writeString(negFile, Json.toString(neg));
    CliRun negative = CliRun.of("meanfield", "--beta", "1", "--grid", "16", "--time", "1", "--init",
        negFile.toString(), "--out", tmp.resolve("b.json").toString());
    assertThat(negative.code()).isEqualTo(2);
    assertThat(negative.err()).contains(">= 0").contains("point 5");
    Path zero = tmp.resolve("zero.json");
    Files.writeString(zero, Json.toString(new double[16]));
    CliRun none = CliRun.of("meanfield", "--beta", "1", "--grid", "16", "--time", "1", "--init", zero.toString(),
        "--out", tmp.resolve("c.json").toString());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).contains("integrate to a positive number");
    CliRun word = CliRun.of("meanfield", "--beta", "1", "--time", "1", "--init", "gaussian", "--out",
        tmp.resolve("d.json").toString());
    assertThat(word.code()).isEqualTo(2);
    assertThat(word.err()).contains("vonmises:MU:KAPPA");
    assertThat(Files.exists(tmp.resolve("a.json")) || Files.exists(tmp.resolve("b.json"))
        || Files.exists(tmp.resolve("c.json"))).isFalse();
  }

  @Test
  void readsADensityFile() throws Exception {
    double[] v = new double[32];
    for (int i = 0; i < 32; i++) {
      v[i] = 2 + Math.cos(2 * Math.PI * i / 32);
    }
    Path in = tmp.resolve("rho.json");
    Files.writeString(in, Json.toString(v));
    Path out = tmp.resolve("mf.json");
    CliRun r = CliRun.of("meanfield", "--beta", "1", "--grid", "32", "--time", "0", "--frames", "1", "--init",
        in.toString(), "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    // normalised: 2 + cos integrates to 4 pi
    assertThat(Json.readTree(out).at("/frames/0/density/0").asDouble()).isCloseTo(3 / (4 * Math.PI), offset(1e-12));
  }
}
