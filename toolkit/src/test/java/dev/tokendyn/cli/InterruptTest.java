package dev.tokendyn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interrupts and kills: SIGTERM during {@code extract} into a folder leaves no temporary, and the
 * temporaries of a run killed outright are removed by the next run into the same place, with a note.
 */
class InterruptTest {
  @TempDir Path tmp;

  private List<String> temporaries() throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tokendyn-")).toList();
    }
  }

  @Test
  @Tag("model")
  void sigtermDuringExtractLeavesNoTemporary() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      lines.add("Text number " + i + " walks through the layers of a small transformer, token by token.");
    }
    Path texts = Files.write(tmp.resolve("texts.txt"), lines);
    Path out = tmp.resolve("hidden");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx1g", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "extract", "--model", "all-minilm-l6-v2",
        "--input", texts.toString(), "--out", out.toString());
    pb.redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile());
    Process p = pb.start();
    // wait until the run is writing: its temporary folder holds a first text
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    boolean writing = false;
    while (!writing && p.isAlive() && System.nanoTime() < deadline) {
      for (String t : temporaries()) {
        try (Stream<Path> s = Files.list(tmp.resolve(t))) {
          writing |= s.anyMatch(f -> f.getFileName().toString().endsWith(".npy"));
        } catch (java.io.IOException e) {
          // the folder moved or went; look again
        }
      }
      Thread.sleep(50);
    }
    assertThat(writing).as("the extraction started writing; log: %s", Files.readString(tmp.resolve("log.txt")))
        .isTrue();
    p.destroy(); // SIGTERM
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(143);
    assertThat(temporaries()).isEmpty();
    assertThat(out).doesNotExist();
    assertThat(Files.readString(tmp.resolve("log.txt"))).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void temporariesOfAKilledRunAreRemovedByTheNextRunWithANote() throws Exception {
    // a process id that no live process has: the largest that Linux allows, plus one
    long dead = 4194305L;
    Path staleFile = Files.writeString(tmp.resolve(".sim.json.tokendyn-" + dead + "-123.tmp"), "{\"partial");
    Path staleFolder = Files.createDirectories(tmp.resolve(".report.tokendyn-" + dead + "-456.tmp"));
    Files.writeString(staleFolder.resolve("report.json"), "{");
    Path someoneElses = Files.writeString(tmp.resolve(".notes.tmp"), "keep");
    CliRun r = CliRun.of("simulate", "--n", "4", "--d", "3", "--beta", "1", "--steps", "2", "--seed", "1", "--out",
        tmp.resolve("sim.json").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(staleFile).doesNotExist();
    assertThat(staleFolder).doesNotExist();
    assertThat(someoneElses).exists();
    assertThat(r.err()).contains("note: removed " + staleFile).contains("interrupted run (process " + dead + ")");
  }

  @Test
  void aFolderMovedAsideByAKilledRunIsPutBack() throws Exception {
    long dead = 4194305L;
    Path aside = Files.createDirectories(tmp.resolve(".report.tokendyn-" + dead + "-7.old"));
    Files.writeString(aside.resolve("report.json"), "{}");
    CliRun r = CliRun.of("simulate", "--n", "4", "--d", "3", "--beta", "1", "--steps", "2", "--seed", "1", "--out",
        tmp.resolve("sim.json").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(tmp.resolve("report").resolve("report.json")).exists();
    assertThat(r.err()).contains("restored " + tmp.resolve("report"));
  }
}
