package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.export.SchemaTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No silently wrong number: overflow is an error naming the scale, JSON never holds NaN or Infinity, the
 * geodesic cost refuses points off the sphere, and JSON input with a key twice or text after its end is
 * refused.
 */
class WrongNumbersTest {
  @TempDir Path tmp;

  private Path file(String name, String content) throws Exception {
    return Files.writeString(tmp.resolve(name), content);
  }

  @Test
  void overflowingCostsAreAnErrorThatNamesTheScale() throws Exception {
    Path a = file("a.json", "{\"points\": [[1e200, 0], [0, 1e200]]}");
    Path b = file("b.json", "{\"points\": [[0, 0], [1e200, 1e200]]}");
    for (String method : new String[] {"emd", "sinkhorn", "divergence", "sliced"}) {
      CliRun r = CliRun.of("ot", "--source", a.toString(), "--target", b.toString(), "--method", method, "--reg",
          "0.1");
      assertThat(r.code()).as(method + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).contains("1.00e+200").contains("overflow").contains("rescale");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void aNumberThatIsNotFiniteIsWrittenAsNullWithAWarning() throws Exception {
    // squared distances near 1e300 are finite, but the spread of the sliced estimates overflows
    Path a = file("a.json", "{\"points\": [[1e150, 0], [0, 1e150]]}");
    Path b = file("b.json", "{\"points\": [[0, 0], [1e150, 1e150]]}");
    CliRun r = CliRun.of("ot", "--source", a.toString(), "--target", b.toString(), "--method", "sliced");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).doesNotContain("NaN").doesNotContain("Infinity");
    JsonNode doc = Json.mapper().readTree(r.out());
    assertThat(doc.get("standard_error").isNull()).isTrue();
    assertThat(r.err()).contains("warning: 1 number in the output came out NaN or infinite and is written as null");
    assertThat(SchemaTest.validate(doc)).isEmpty();
  }

  @Test
  void theGeodesicCostRefusesPointsOffTheSphere() throws Exception {
    Path a = file("a.json", "{\"points\": [[1, 0], [0, 2]]}");
    Path b = file("b.json", "{\"points\": [[0.6, 0.8], [0, 1]]}");
    for (String method : new String[] {"emd", "sliced"}) {
      CliRun r = CliRun.of("ot", "--source", a.toString(), "--target", b.toString(), "--cost", "geodesic", "--method",
          method);
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains("unit sphere").contains("point 1 of the source has norm 2.0");
    }
    // within 1e-6 of the sphere is accepted
    Path c = file("c.json", "{\"points\": [[1.0000001, 0], [0, 0.9999999]]}");
    assertThat(CliRun.of("ot", "--source", c.toString(), "--target", b.toString(), "--cost", "geodesic").code())
        .isZero();
  }

  @Test
  void jsonWithAKeyTwiceOrTextAfterItsEndIsRefused() throws Exception {
    Path good = file("good.json", "{\"points\": [[0, 1]]}");
    Path twice = file("twice.json", "{\"points\": [[0, 1]], \"points\": [[5, 5]]}");
    Path trailing = file("trailing.json", "{\"points\": [[0, 1]]} {\"points\": [[5, 5]]}");
    CliRun r = CliRun.of("ot", "--source", twice.toString(), "--target", good.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("twice.json").contains("a key appears twice").contains("'points'");
    r = CliRun.of("ot", "--source", trailing.toString(), "--target", good.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("trailing.json").contains("more after the end of the document");
    Path seq = file("seq.json", "{\"clouds\": [{\"points\": [[1, 0]]}], \"clouds\": []}");
    r = CliRun.of("metrics", "--input", seq.toString(), "--out", tmp.resolve("m.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("a key appears twice");
  }
}
