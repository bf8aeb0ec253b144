package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
  @TempDir Path tmp;

  @Test
  void writesJsonAndOneHeatMapPerDimension() throws Exception {
    Path out = tmp.resolve("sweep.json");
    CliRun r = CliRun.of("sweep", "--betas", "0:1:0.5", "--ds", "3,6", "--seeds", "2", "--n", "8", "--dt", "0.1",
        "--time", "30", "--record-every", "100", "--out", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode doc = Json.readTree(out);
    assertThat(doc.get("schema").asText()).isEqualTo("tokendyn.sweep/1");
    assertThat(doc.get("times").size()).isEqualTo(4);
    assertThat(doc.get("cells").size()).isEqualTo(6);
    for (JsonNode c : doc.get("cells")) {
      JsonNode mean = c.get("mean_clustered_fraction");
      // all tokens start apart (8 random points: no pair within 0.999) ...
      assertThat(mean.get(0).asDouble()).isZero();
      // ... and at beta <= 1 on these small spheres every start has collapsed by t = 30
      assertThat(mean.get(3).asDouble()).as("beta %s d %s", c.get("beta"), c.get("d")).isEqualTo(1.0);
      assertThat(c.get("clustered_fraction").size()).isEqualTo(2);
    }
    for (String png : new String[] {"sweep-d3.png", "sweep-d6.png"}) {
      var img = ImageIO.read(tmp.resolve(png).toFile());
      assertThat(img.getWidth()).isEqualTo(900);
    }
  }

  @Test
  void badGridIsAUsageError() {
    Path out = tmp.resolve("x.json");
    CliRun r = CliRun.of("sweep", "--betas", "1,a", "--ds", "3", "--dt", "0.1", "--steps", "3", "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--betas");
    r = CliRun.of("sweep", "--betas", "1", "--ds", "1", "--dt", "0.1", "--steps", "3", "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--ds must hold dimensions >= 2");
    assertThat(out).doesNotExist();
    assertThat(Files.exists(tmp.resolve("x-d1.png"))).isFalse();
  }
}
