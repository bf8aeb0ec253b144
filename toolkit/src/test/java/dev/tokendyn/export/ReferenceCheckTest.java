package dev.tokendyn.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceCheckTest {

  private static String diff(String expected, String actual) {
    String[] d = new String[1];
    ReferenceCheck.compareText(expected, actual, 1e-6, d);
    return d[0];
  }

  @Test
  void aUnitOfTheLastPrintedDigit() {
    assertThat(ReferenceCheck.unit("0.125")).isEqualTo(1e-3, org.assertj.core.data.Offset.offset(1e-18));
    assertThat(ReferenceCheck.unit("3e-05")).isEqualTo(1e-5, org.assertj.core.data.Offset.offset(1e-20));
    assertThat(ReferenceCheck.unit("1.5E+2")).isEqualTo(10, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(ReferenceCheck.unit("12")).isEqualTo(1);
  }

  @Test
  void numbersAgreeWithinARelativeMillionthOrTheirLastDigit() {
    assertThat(diff("{\"w2\": 0.1234567891234}", "{\"w2\": 0.1234567891299}")).isNull();
    assertThat(diff("{\"w2\": 0.1234567891234}", "{\"w2\": 0.1234589}")).contains("number 0.1234567891234 is now");
    // printed to 3 decimals: one unit of the last digit is allowed, two are not
    assertThat(diff("rank 11.005", "rank 11.006")).isNull();
    assertThat(diff("rank 11.005", "rank 11.007")).contains("11.005").contains("11.007");
    assertThat(diff("count 12", "count 13")).isNull();
    String[] d = new String[1];
    ReferenceCheck.compareText("sd 0.0390305964", "sd 0.0390305223", 1e-4, d);
    assertThat(d[0]).isNull();
    ReferenceCheck.compareText("sd 0.0390305964", "sd 0.0390405223", 1e-4, d);
    assertThat(d[0]).contains("is now 0.0390405223");
    assertThat(diff("count 12", "count 14")).isNotNull();
  }

  @Test
  void wordsMustBeIdenticalAndTheLineIsNamed() {
    assertThat(diff("a: 1\nb: 2\n", "a: 1\nc: 2\n")).startsWith("line 2: the words differ");
    assertThat(diff("[1, 2]", "[1, 2, 3]")).contains("the words differ");
    assertThat(diff("x 1", "x 1 2")).contains("the words differ");
    assertThat(diff("x 1 y", "x y")).contains("the words differ");
    assertThat(diff("", "")).isNull();
  }

  @Test
  void foldersAreComparedFileByFile(@TempDir Path tmp) throws Exception {
    Path ref = Files.createDirectories(tmp.resolve("ref"));
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(ref.resolve("report.json"), "{\"value\": 0.5, \"n\": [1, 2, 3]}");
    Files.writeString(out.resolve("report.json"), "{\"value\": 0.5000000001, \"n\": [1, 2, 3]}");
    Files.write(ref.resolve("plot.png"), new byte[] {1, 2, 3});
    Files.write(out.resolve("plot.png"), new byte[] {4, 5});
    Files.writeString(out.resolve(".tokendyn"), "marker");
    ReferenceCheck.Result same = ReferenceCheck.compare(out, ref, 1e-6);
    assertThat(same.agrees()).as(same.differences().toString()).isTrue();
    assertThat(same.files()).isEqualTo(1);
    assertThat(same.numbers()).isEqualTo(4);

    Files.writeString(ref.resolve("fit.json"), "{\"beta\": 1.0}");
    Files.writeString(out.resolve("extra.md"), "# new");
    ReferenceCheck.Result r = ReferenceCheck.compare(out, ref, 1e-6);
    assertThat(r.differences()).containsExactly("fit.json: missing", "extra.md: not in the reference");
  }
}
