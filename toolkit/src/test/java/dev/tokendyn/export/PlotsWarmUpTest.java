package dev.tokendyn.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class PlotsWarmUpTest {
  @Test
  void chartsAreTheSameBytesAfterTheWarmUpAndItRunsOnce(@TempDir Path dir) throws Exception {
    XYChart c = Plots.lines("a title", "x", "y", new double[] {0, 1, 2, 3}, Map.of("s", new double[] {1, 0.5, 2, -1}));
    Plots.save(c, dir.resolve("before.png"));
    Plots.save(c, dir.resolve("before.svg"));
    Thread t = Plots.warmUpInBackground();
    if (t != null) {
      t.join();
    }
    assertThat(Plots.warmUpInBackground()).isNull();
    Plots.save(c, dir.resolve("after.png"));
    Plots.save(c, dir.resolve("after.svg"));
    assertThat(Files.readAllBytes(dir.resolve("after.png"))).isEqualTo(Files.readAllBytes(dir.resolve("before.png")));
    assertThat(Files.readAllBytes(dir.resolve("after.svg"))).isEqualTo(Files.readAllBytes(dir.resolve("before.svg")));
    // the warm-up writes nothing
    try (var s = Files.list(dir)) {
      assertThat(s.count()).isEqualTo(4);
    }
  }
}
