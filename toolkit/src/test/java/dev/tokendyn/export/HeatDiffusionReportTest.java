package dev.tokendyn.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokendyn.analysis.HeatDiffusion;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatDiffusionReportTest {
  @TempDir Path tmp;

  @Test
  void aSmallSweepWritesAValidDocumentWithItsSlopes() throws IOException {
    long[] seeds = {1, 2};
    List<HeatDiffusion.Cell> cells = HeatDiffusion.sweep(new double[] {8}, seeds, 32, 0.5, 0.25, 3, 0.5, 1e-6);
    Path out = tmp.resolve("heat.json");
    assertThat(HeatDiffusionReport.write(out, new HeatDiffusionReport.Parameters(32, 0.5, 0.25, 0.5, 1e-6, seeds),
        cells)).isZero();
    var doc = Json.readTree(out);
    assertThat(SchemaTest.validate(doc)).isEmpty();
    var cell = doc.path("cells").get(0);
    assertThat(cell.path("sinkformer").path("slopes").size()).isEqualTo(2);
    assertThat(cell.path("sinkformer").path("mean").asDouble()).isEqualTo(cells.get(0).sinkformer().mean());
    assertThat(cell.path("variance").path("sa").get(1).size()).isEqualTo(3);
    assertThat(doc.path("predicted_slope").path("sinkformer").asDouble()).isEqualTo(1.0);
  }
}
