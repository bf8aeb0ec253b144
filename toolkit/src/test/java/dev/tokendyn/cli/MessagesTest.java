package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages name the file or the option in the user's words, with the fix; usage errors exit 2; {@code -}
 * reads standard input.
 */
class MessagesTest {
  @TempDir Path tmp;

  private static final String[] SIM = {"simulate", "--n", "4", "--d", "3", "--beta", "1", "--steps", "2", "--seed",
      "1"};

  private CliRun simulate(String... more) {
    String[] args = java.util.Arrays.copyOf(SIM, SIM.length + more.length + 2);
    System.arraycopy(more, 0, args, SIM.length, more.length);
    args[args.length - 2] = "--out";
    args[args.length - 1] = tmp.resolve("s.json").toString();
    return CliRun.of(args);
  }

  @Test
  void libraryParametersAreNamedAsTheirOptions() throws Exception {
    CliRun r = simulate("--record-every", "0");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--record-every must be >= 1").doesNotContain("recordEvery");
    r = simulate("--sinkhorn-iterations", "0");
    assertThat(r.err()).contains("--sinkhorn-iterations must be >= 1");
    Path a = Files.writeString(tmp.resolve("a.json"), "{\"points\": [[0], [1]]}");
    r = CliRun.of("ot", "--source", a.toString(), "--target", a.toString(), "--method", "sinkhorn", "--reg", "1",
        "--tol", "-1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--tol must be > 0").doesNotContain("stopThr");
    r = CliRun.of("ot", "--source", a.toString(), "--target", a.toString(), "--max-iter", "0");
    assertThat(r.err()).contains("--max-iter must be >= 1").doesNotContain("maxIter");
    r = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--text", "hi", "--batch-size", "0", "--out",
        tmp.resolve("x.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--batch-size must be >= 1");
  }

  @Test
  void integerArgumentsThatOverflowAreUsageErrors() {
    CliRun r = simulate("--record-every", "99999999999");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--record-every").contains("99999999999");
    r = CliRun.of("simulate", "--n", "-2147483648", "--d", "3", "--beta", "1", "--steps", "1", "--seed", "1", "--out",
        tmp.resolve("s.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--n must be >= 1, found -2147483648");
  }

  @Test
  void invalidUtf8IsNamedWithItsLine() throws Exception {
    Path texts = tmp.resolve("texts.txt");
    Files.write(texts, new byte[] {'o', 'k', '\n', 'b', (byte) 0xff, 'd', '\n'});
    CliRun r = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--input", texts.toString(), "--out",
        tmp.resolve("o.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(texts.toString()).contains("not valid UTF-8 (line 2").contains("save it as UTF-8")
        .doesNotContain("Input length");
  }

  @Test
  void foldersAndPipesGivenAsFilesAreNamedForWhatTheyAre() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("dir.json"));
    CliRun r = CliRun.of("ot", "--source", dir.toString(), "--target", dir.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--source " + dir).contains("is a folder");
    Path fifo = tmp.resolve("pipe.json");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    r = CliRun.of("ot", "--source", fifo.toString(), "--target", fifo.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--source " + fifo).contains("not a regular file");
    r = CliRun.of("extract", "--model", "all-minilm-l6-v2", "--input", dir.toString(), "--out",
        tmp.resolve("o.json").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is a folder").contains("- for standard input");
  }

  @Test
  void dashReadsStandardInput() throws Exception {
    Path seq = tmp.resolve("seq.json");
    assertThat(CliRun.of("simulate", "--n", "6", "--d", "3", "--beta", "1", "--steps", "3", "--seed", "1",
        "--save-points", "--out", seq.toString()).code()).isZero();
    InputStream old = System.in;
    try {
      System.setIn(new ByteArrayInputStream(Files.readAllBytes(seq)));
      CliRun r = CliRun.of("metrics", "--input", "-", "--out", tmp.resolve("m.json").toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("measured 4 clouds of 6 tokens");
      System.setIn(new ByteArrayInputStream(new byte[0]));
      r = CliRun.of("metrics", "--input", "-", "--out", tmp.resolve("m2.json").toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("standard input is empty");
    } finally {
      System.setIn(old);
    }
  }
}
