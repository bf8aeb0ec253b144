package dev.tokendyn.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokendyn.cloud.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint of a long corpus analysis, so that an interrupted run can go on where it stopped: a
 * folder {@code .NAME.tokendyn-resume} beside the output folder NAME, holding the run's arguments and,
 * for each model, the accumulator's exact state after its last whole batch: the running sums, replaced
 * atomically after every batch, and the pooled sample's rows and the per-text values, appended, so a run killed at any moment leaves a usable checkpoint, and a resumed
 * run redoes at most the batch that was under way. Resuming gives the same result, bit for bit, as an
 * uninterrupted run with the same arguments: the batches after the checkpoint are the same texts, and the
 * sums go on from the same doubles in the same order.
 *
 * <p>The folder is removed when the output is in place. Without resuming, a checkpoint left by an earlier
 * run into the same output is removed, with a note.
 */
public final class CorpusCheckpoint {
  private static final String ARGS = "args.json";
  private final Path folder;
  private final String note;

  private CorpusCheckpoint(Path folder, String note) {
    this.folder = folder;
    this.note = note;
  }

  /** The checkpoint folder of an output folder. */
  public static Path folderFor(Path out) {
    Path abs = out.toAbsolutePath().normalize();
    return abs.resolveSibling("." + abs.getFileName() + ".tokendyn-resume");
  }

  /** A fingerprint of the texts, so that a resumed run is known to see the same corpus. */
  public static String fingerprint(List<String> texts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (String t : texts) {
        md.update(t.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Opens the checkpoint of an output folder.
   *
   * @param args every argument that shapes the result, by option name
   * @param resume continue a checkpoint (which must exist and have the same arguments)
   * @throws IllegalArgumentException when resuming without a checkpoint, or with arguments that differ
   *     (the message names the first that differs, with both values)
   * @throws IOException when the folder cannot be read or written
   */
  public static CorpusCheckpoint open(Path out, Map<String, String> args, boolean resume) throws IOException {
    Path folder = folderFor(out);
    Path argsFile = folder.resolve(ARGS);
    String note = null;
    if (resume) {
      if (!Files.isRegularFile(argsFile)) {
        throw new IllegalArgumentException("--resume: there is no checkpoint to continue at " + folder
            + "; run without --resume");
      }
      JsonNode saved = Json.readTree(argsFile);
      for (Map.Entry<String, String> e : args.entrySet()) {
        JsonNode v = saved.get(e.getKey());
        String was = v == null ? "(not given)" : v.asText();
        if (!was.equals(e.getValue())) {
          throw new IllegalArgumentException("--resume: " + e.getKey() + " differs from the interrupted run's (it was "
              + was + ", now " + e.getValue() + "); give the same arguments, or run without --resume to start over");
        }
      }
      return new CorpusCheckpoint(folder, "resuming the interrupted run from " + folder);
    }
    if (Files.isDirectory(folder)) {
      if (!Files.isRegularFile(argsFile)) {
        throw new IllegalArgumentException(folder + " exists but is not a tokendyn checkpoint; move it away");
      }
      deleteOurs(folder);
      note = "removed the checkpoint of an earlier interrupted run into " + out + " (--resume continues one)";
    }
    Files.createDirectories(folder);
    ObjectNode a = Json.mapper().createObjectNode();
    args.forEach(a::put);
    write(argsFile, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(a));
    return new CorpusCheckpoint(folder, note);
  }

  /** What opening did that the user should know, or null. */
  public String note() {
    return note;
  }

  /** The folder. */
  public Path folder() {
    return folder;
  }

  /**
   * Restores model {@code slot}'s accumulator, when the checkpoint holds its state.
   *
   * @return the number of texts restored (0 when there was no state)
   */
  public int restore(int slot, CorpusAnalysis.Accumulator acc) throws IOException {
    Path state = folder.resolve("model-" + slot + ".state");
    if (!Files.isRegularFile(state)) {
      return 0;
    }
    Path samples = folder.resolve("model-" + slot + ".sample");
    Path texts = folder.resolve("model-" + slot + ".texts");
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(state), 1 << 16))) {
      acc.readState(in);
      if (acc.restoring() == 0) {
        return 0;
      }
      try (DataInputStream s = new DataInputStream(new BufferedInputStream(Files.newInputStream(samples), 1 << 16));
           DataInputStream t = new DataInputStream(new BufferedInputStream(Files.newInputStream(texts), 1 << 16))) {
        acc.readRest(s, t);
      }
    } catch (java.io.EOFException | java.nio.file.NoSuchFileException e) {
      throw new IOException(state + " is incomplete; run without --resume to start over", e);
    }
    // a save cut short may have appended beyond the state: drop it, so that the next appends follow on
    truncate(samples, (long) acc.sampleRowsFilled() * acc.sampleRowBytes());
    truncate(texts, (long) acc.count() * acc.perTextBytes());
    savedRows.put(slot, acc.sampleRowsFilled());
    savedTexts.put(slot, acc.count());
    return acc.count();
  }

  private static void truncate(Path p, long size) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private final Map<Integer, Integer> savedRows = new java.util.HashMap<>();
  private final Map<Integer, Integer> savedTexts = new java.util.HashMap<>();

  /**
   * Saves model {@code slot}'s accumulator: appends the sample rows and per-text values taken since the last
   * save, then replaces the state (the sums) atomically. A save cut short leaves the previous state, whose
   * counts say how much of the appended files to read.
   */
  public void save(int slot, CorpusAnalysis.Accumulator acc) throws IOException {
    Path state = folder.resolve("model-" + slot + ".state");
    Path tmp = folder.resolve("model-" + slot + ".state.tmp");
    var append = new java.nio.file.OpenOption[] {java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND};
    try (DataOutputStream s = new DataOutputStream(new BufferedOutputStream(
        Files.newOutputStream(folder.resolve("model-" + slot + ".sample"), append), 1 << 16))) {
      acc.appendSample(s, savedRows.getOrDefault(slot, 0));
    }
    try (DataOutputStream t = new DataOutputStream(new BufferedOutputStream(
        Files.newOutputStream(folder.resolve("model-" + slot + ".texts"), append), 1 << 16))) {
      acc.appendPerText(t, savedTexts.getOrDefault(slot, 0));
    }
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
      acc.writeState(out);
    }
    Files.move(tmp, state, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    savedRows.put(slot, acc.sampleRowsFilled());
    savedTexts.put(slot, acc.count());
  }

  /** Removes the checkpoint, once the output is in place. */
  public void finish() throws IOException {
    deleteOurs(folder);
  }

  private static void write(Path p, byte[] bytes) throws IOException {
    Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Deletes the checkpoint's own files (and nothing else), then the folder if it is empty. */
  private static void deleteOurs(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (var s = Files.list(folder)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (n.equals(ARGS) || n.equals(ARGS + ".tmp") || n.matches("model-\\d+\\.(state|state\\.tmp|sample|texts)")) {
          Files.deleteIfExists(p);
        }
      }
    }
    try (var s = Files.list(folder)) {
      if (s.findAny().isEmpty()) {
        Files.delete(folder);
      }
    }
  }

  /** The arguments of a run, in a fixed order, as the checkpoint compares them. */
  public static Map<String, String> args(String model, List<String> texts, boolean truncate, CorpusParams p,
                                         int batchSize) {
    return args(model, texts.size(), fingerprint(texts), truncate, p, batchSize);
  }

  /**
   * The arguments of a run whose texts are not in memory here: their number and a digest of them, made as
   * the caller likes (a run compares it only with a run that made it the same way).
   */
  public static Map<String, String> args(String model, int texts, String sha256, boolean truncate, CorpusParams p,
                                         int batchSize) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("--model", model);
    m.put("texts", Integer.toString(texts));
    m.put("texts_sha256", sha256);
    m.put("--truncate", Boolean.toString(truncate));
    m.put("--special-tokens", p.text().dropSpecial() ? "drop" : "keep");
    m.put("--threshold", Double.toString(p.text().threshold()));
    m.put("--rotation-components", Integer.toString(p.text().rotationComponents()));
    m.put("--no-transport", Boolean.toString(!p.text().transport()));
    m.put("--pooled-sample", Integer.toString(p.pooledSample()));
    m.put("--bootstrap", Integer.toString(p.resamples()));
    m.put("--seed", Long.toString(p.seed()));
    m.put("--standardize", Boolean.toString(p.standardize()));
    m.put("batch_size", Integer.toString(batchSize));
    return m;
  }
}
