package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokendyn.cloud.CloudFiles;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.Npy;
import dev.tokendyn.cloud.TokenCloud;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output handling never destroys data: no command writes over one of its inputs, {@code --force}
 * replaces only what tokendyn wrote, links are followed, devices written to and never replaced, and
 * missing parent folders are created only with {@code --parents}.
 */
class OutputSafetyTest {
  @TempDir Path tmp;
  Path cloud;
  Path sequence;
  Path npy;
  Path texts;
  Path qkv;

  @BeforeEach
  void inputs() throws Exception {
    cloud = tmp.resolve("cloud.json");
    CloudFiles.writeCloud(cloud, TokenCloud.of(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.6, 0.8, 0}}));
    npy = tmp.resolve("cloud.npy");
    Npy.write(npy, new int[] {2, 3}, new double[] {1, 0, 0, 0, 1, 0});
    sequence = tmp.resolve("seq.json");
    assertThat(CliRun.of("simulate", "--n", "8", "--d", "3", "--beta", "1", "--steps", "4", "--seed", "1",
        "--save-points", "--out", sequence.toString()).code()).isZero();
    texts = Files.writeString(tmp.resolve("texts.json"), "The cat sat.\nA dog ran.\n");
    qkv = Files.writeString(tmp.resolve("qkv.json"), "{\"q\": [[1,0,0],[0,1,0],[0,0,1]], \"k\": [[1,0,0],[0,1,0],"
        + "[0,0,1]], \"v\": [[1,0,0],[0,1,0],[0,0,1]]}");
  }

  /** Every command, its output option equal to one of its inputs. */
  private List<String[]> outputIsAnInput() {
    List<String[]> runs = new ArrayList<>();
    String c = cloud.toString();
    String s = sequence.toString();
    runs.add(new String[] {"simulate", "--n", "4", "--d", "3", "--beta", "1", "--steps", "2", "--seed", "1", "--init", c,
        "--out", c});
    runs.add(new String[] {"simulate", "--n", "4", "--d", "3", "--beta", "1", "--steps", "2", "--seed", "1", "--qkv",
        qkv.toString(), "--out", qkv.toString()});
    runs.add(new String[] {"sweep", "--betas", "1", "--ds", "3", "--seeds", "1", "--n", "4", "--steps", "2",
        "--no-plot", "--qkv", qkv.toString(), "--out", qkv.toString()});
    runs.add(new String[] {"metrics", "--input", s, "--out", s});
    runs.add(new String[] {"ot", "--source", npy.toString(), "--target", npy.toString(), "--plan", npy.toString()});
    runs.add(new String[] {"ot", "--source", c, "--target", c, "--plan", c});
    runs.add(new String[] {"fit", "--sequence", s, "--out", s});
    runs.add(new String[] {"extract", "--model", "all-minilm-l6-v2", "--input", texts.toString(), "--out",
        texts.toString()});
    runs.add(new String[] {"analyze", "--sequence", s, "--out", tmp.toString(), "--force"});
    runs.add(new String[] {"analyze", "--sequence", s, "--out", s});
    runs.add(new String[] {"closure", "--beta", "1", "--time", "0.1", "--dt", "0.1", "--mean", c, "--out", c});
    runs.add(new String[] {"closure", "--beta", "1", "--time", "0.1", "--dt", "0.1", "--qkv", qkv.toString(), "--out",
        qkv.toString()});
    runs.add(new String[] {"meanfield", "--beta", "1", "--time", "0.1", "--init", c, "--out", c});
    return runs;
  }

  @Test
  void noCommandWritesOverItsInput() throws Exception {
    for (String[] args : outputIsAnInput()) {
      List<byte[]> before = new ArrayList<>();
      for (Path p : List.of(cloud, npy, sequence, texts, qkv)) {
        before.add(Files.readAllBytes(p));
      }
      CliRun r = CliRun.of(args);
      assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).containsAnyOf("is the input", "holds the input",
          "not written by tokendyn");
      int i = 0;
      for (Path p : List.of(cloud, npy, sequence, texts, qkv)) {
        assertThat(Files.readAllBytes(p)).as(args[0] + " kept " + p.getFileName()).isEqualTo(before.get(i++));
      }
    }
  }

  @Test
  void anOutputThatLinksToAnInputIsRefused() throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("link.json"), sequence);
    byte[] before = Files.readAllBytes(sequence);
    CliRun r = CliRun.of("metrics", "--input", sequence.toString(), "--out", link.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("is the input --input");
    assertThat(Files.readAllBytes(sequence)).isEqualTo(before);
  }

  @Test
  void aSymlinkedOutputIsFollowedAndStaysALink() throws Exception {
    Path real = Files.writeString(tmp.resolve("real.json"), "old");
    Path link = Files.createSymbolicLink(tmp.resolve("out.json"), real.getFileName());
    CliRun r = CliRun.of("metrics", "--input", sequence.toString(), "--out", link.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(Json.readTree(real).path("schema").asText()).isEqualTo("tokendyn.metrics/1");
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tokendyn-"))).isEmpty();
    }
  }

  @Test
  void devicesAndPipesAreWrittenToAndNeverReplaced() throws Exception {
    CliRun r = CliRun.of("metrics", "--input", sequence.toString(), "--out", "/dev/null");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();
    Path fifo = tmp.resolve("pipe");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mk.waitFor()).isZero();
    java.util.concurrent.CompletableFuture<byte[]> reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return Files.readAllBytes(fifo);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    r = CliRun.of("metrics", "--input", sequence.toString(), "--out", fifo.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Json.mapper().readTree(reader.get()).path("schema").asText()).isEqualTo("tokendyn.metrics/1");
    assertThat(Files.isRegularFile(fifo)).isFalse();
  }

  @Test
  void dashWritesTheDocumentAloneToStandardOutput() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "metrics", "--input", sequence.toString(), "--out",
        "-").redirectError(tmp.resolve("err.txt").toFile()).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    assertThat(Json.mapper().readTree(out).path("schema").asText()).isEqualTo("tokendyn.metrics/1");
    assertThat(Files.readString(tmp.resolve("err.txt"))).contains("measured 5 clouds");
  }

  @Test
  void missingParentFoldersOnlyWithParents() throws Exception {
    Path out = tmp.resolve("a/b/metrics.json");
    CliRun r = CliRun.of("metrics", "--input", sequence.toString(), "--out", out.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains(tmp.resolve("a/b").toString()).contains("does not exist").contains("--parents");
    assertThat(tmp.resolve("a")).doesNotExist();
    r = CliRun.of("metrics", "--input", sequence.toString(), "--out", out.toString(), "--parents");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(out).exists();
  }

  @Test
  void demoObeysTheFolderRules() throws Exception {
    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("thesis.tex"), "years of work");
    for (String[] args : List.of(new String[] {"demo", "--out", mine.toString()},
        new String[] {"demo", "--out", mine.toString(), "--force"})) {
      CliRun r = CliRun.of(args);
      assertThat(r.code()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains(args.length == 4 ? "thesis.tex" : "--force");
      assertThat(Files.readString(mine.resolve("thesis.tex"))).isEqualTo("years of work");
    }
  }

  @Test
  void demoRefreshIsExclusiveWithOutAndCheck() {
    CliRun a = CliRun.of("demo", "--refresh", "--out", tmp.resolve("x").toString());
    assertThat(a.code()).isEqualTo(2);
    assertThat(a.err()).contains("--refresh").contains("--out");
    CliRun b = CliRun.of("demo", "--refresh", "--check");
    assertThat(b.code()).isEqualTo(2);
    assertThat(b.err()).contains("--check");
    assertThat(tmp.resolve("x")).doesNotExist();
    // no reference beside an --out of one's own (the tests' tokendyn folder has no results/demo): refused up front
    CliRun c = CliRun.of("demo", "--check", "--out", tmp.resolve("y").toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("--check needs the reference folder");
    assertThat(tmp.resolve("y")).doesNotExist();
  }
}
