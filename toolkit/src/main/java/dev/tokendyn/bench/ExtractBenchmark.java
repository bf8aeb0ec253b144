package dev.tokendyn.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.tokendyn.model.Catalog;
import dev.tokendyn.model.ExtractOptions;
import dev.tokendyn.model.Extraction;
import dev.tokendyn.model.ExtractionFiles;
import dev.tokendyn.model.Extractor;
import dev.tokendyn.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Extraction against ONNX Runtime, side by side in one JVM: tokendyn produces all L + 1 hidden states of
 * a batch, ONNX Runtime (Java) runs the model's own ONNX file on the same token ids and produces only
 * the last. Also checks that streaming many texts into a {@code .npy} directory runs in constant memory.
 */
public final class ExtractBenchmark {
  private ExtractBenchmark() {}

  private static final int MAX_ATTEMPTS = 3;
  private static final int WARMUP = 5;

  /** Words that are single tokens of the BERT uncased vocabulary. */
  private static final String[] WORDS = ("the cat sat on mat dog ran far away house tree river mountain city light"
      + " water small large red blue green old new time people world day year man woman child school book"
      + " road car train music song story night morning sun moon star sea field stone fire wind rain snow").split(" ");

  /** {@code count} texts of {@code words} words each, drawn with the given seed. */
  public static List<String> texts(int count, int words, long seed) {
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < words; w++) {
        b.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
      }
      out.add(b.toString());
    }
    return out;
  }

  /**
   * The side-by-side timing.
   *
   * @param tokens tokens per text, special tokens included
   * @param ours median seconds of tokendyn for all hidden states
   * @param ort median seconds of ONNX Runtime for the last hidden state, NaN when not run
   * @param peakRssMiB the process's peak resident memory after tokendyn's runs, before ONNX Runtime starts
   * @param otherProcsCpuSeconds CPU seconds that other processes used during the timed runs (NaN when unknown)
   * @param clean whether that was at most max(0.05 s, 2% of the wall time), as the peers require
   */
  public record Timing(String model, int batch, int tokens, int hiddenStates, double ours, double ort,
      double peakRssMiB, double otherProcsCpuSeconds, boolean clean) {
    public double ratio() {
      return ours / ort;
    }
  }

  /**
   * Memory after a number of streamed texts: the process's resident set, its peak so far, and the part
   * of it that the Java heap has committed (the rest is native: the engine, its weights and buffers).
   */
  public record MemoryPoint(int texts, double rssMiB, double peakRssMiB, double heapCommittedMiB) {}

  /**
   * Times tokendyn (all hidden states) and, when asked, ONNX Runtime (last hidden state) on the same batch.
   * After {@value #WARMUP} warm-up runs each (tokendyn's time in a fresh JVM settles only after several,
   * ONNX Runtime's after one), the timed runs alternate between the two (with a short pause between turns,
   * and both engines on their default settings), so that both see the same load on a shared machine;
   * each figure is the median of its runs. As the peers do, the timed runs start once other processes are
   * nearly idle (waiting at most a minute), and are repeated, at most three times in all, while other
   * processes took more than max(0.05 s, 2% of the wall time) of CPU meanwhile.
   */
  public static Timing timeBatch(String model, int batch, int words, int runs, boolean withOrt)
      throws ModelException, IOException, OrtException {
    List<String> texts = texts(batch, words, 42);
    ExtractOptions all = ExtractOptions.defaults().withBatchSize(batch);
    try (Extractor ex = Extractor.open(model)) {
      Extraction first = ex.extract(texts, all);
      List<long[]> ids = new ArrayList<>();
      first.texts().forEach(t -> ids.add(t.tokenIds()));
      int tokens = first.text(0).size();
      int states = first.text(0).hiddenStates().size();
      double[] ours = new double[runs];
      double[] ort = new double[runs];
      java.util.Arrays.fill(ort, Double.NaN);
      double peak;
      double others = Double.NaN;
      boolean clean = true;
      if (!withOrt) {
        for (int r = 0; r < WARMUP; r++) {
          ex.extract(texts, all);
        }
        for (int r = 0; r < runs; r++) {
          ours[r] = seconds(() -> ex.extract(texts, all));
        }
        peak = Memory.peakRssMiB();
      } else {
        peak = Memory.peakRssMiB();
        Catalog.Entry e = Catalog.find(model).orElseThrow(() -> new IllegalArgumentException(
            "ONNX Runtime runs catalog models only; '" + model + "' is not one"));
        try (OrtBatch o = new OrtBatch(e, ids)) {
          for (int r = 0; r < WARMUP; r++) {
            ex.extract(texts, all);
            o.run();
          }
          for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Quiet.waitIdle(60);
            double[] s0 = Quiet.snapshot();
            for (int r = 0; r < runs; r++) {
              ours[r] = seconds(() -> ex.extract(texts, all));
              settle();
              ort[r] = seconds(o::run);
              settle();
            }
            double[] s1 = Quiet.snapshot();
            others = Quiet.othersCpuSeconds(s0, s1);
            clean = Quiet.isClean(others, s0, s1);
            if (clean) {
              break;
            }
          }
        }
      }
      return new Timing(model, batch, tokens, states, median(ours), median(ort), peak, others, clean);
    }
  }

  private interface Work {
    Object run() throws Exception;
  }

  private static double seconds(Work w) {
    long t0 = System.nanoTime();
    try {
      w.run();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return (System.nanoTime() - t0) * 1e-9;
  }

  /** A pause between the two, so that neither's idle worker threads still spin when the other starts. */
  private static void settle() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
  }

  /** An ONNX Runtime session over one right-padded batch of token ids. */
  private static final class OrtBatch implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor ids;
    private final OnnxTensor mask;
    private final OnnxTensor types;
    private final Map<String, OnnxTensor> feeds = new HashMap<>();

    OrtBatch(Catalog.Entry e, List<long[]> tokenIds) throws IOException, OrtException {
      byte[] bytes;
      try (InputStream in = ExtractBenchmark.class.getClassLoader().getResourceAsStream(e.onnxResource())) {
        if (in == null) {
          throw new IOException(e.onnxResource() + " is not on the class path");
        }
        bytes = in.readAllBytes();
      }
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      int b = tokenIds.size();
      int t = tokenIds.stream().mapToInt(a -> a.length).max().orElseThrow();
      long[][] in = new long[b][t];
      long[][] m = new long[b][t];
      long[][] y = new long[b][t];
      for (int i = 0; i < b; i++) {
        System.arraycopy(tokenIds.get(i), 0, in[i], 0, tokenIds.get(i).length);
        java.util.Arrays.fill(m[i], 0, tokenIds.get(i).length, 1L);
      }
      try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
        session = env.createSession(bytes, o);
      }
      ids = OnnxTensor.createTensor(env, in);
      mask = OnnxTensor.createTensor(env, m);
      types = OnnxTensor.createTensor(env, y);
      feeds.put("input_ids", ids);
      feeds.put("attention_mask", mask);
      feeds.put("token_type_ids", types);
    }

    /** One forward pass; the output is copied out, as tokendyn copies its hidden states. */
    float[] run() throws OrtException {
      try (OrtSession.Result r = session.run(feeds)) {
        java.nio.FloatBuffer fb = ((OnnxTensor) r.get(0)).getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
      }
    }

    @Override
    public void close() throws OrtException {
      ids.close();
      mask.close();
      types.close();
      session.close();
    }
  }

  /**
   * Streams {@code count} texts of all hidden states into a temporary {@code .npy} directory and samples
   * the resident memory as it goes; the directory is removed afterwards.
   */
  public static List<MemoryPoint> stream(String model, int count, int words, int batch, Path scratch)
      throws ModelException, IOException {
    List<String> texts = texts(count, words, 7);
    List<MemoryPoint> points = new ArrayList<>();
    Path dir = scratch.resolve("stream-" + ProcessHandle.current().pid());
    try (Extractor ex = Extractor.open(model);
        ExtractionFiles.NpyDirectory out = new ExtractionFiles.NpyDirectory(dir, ex.info())) {
      int every = Math.max(1, count / 10);
      ex.extract(texts, ExtractOptions.defaults().withBatchSize(batch), (i, r) -> {
        out.accept(i, r);
        if ((i + 1) % every == 0) {
          points.add(new MemoryPoint(i + 1, Memory.rssMiB(), Memory.peakRssMiB(),
              Runtime.getRuntime().totalMemory() / 1048576.0));
        }
      });
      out.commit();
    } finally {
      if (Files.exists(dir)) {
        try (Stream<Path> s = Files.walk(dir)) {
          for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
            Files.deleteIfExists(p);
          }
        }
      }
    }
    return points;
  }

  /** The process's resident memory, from /proc (Linux). */
  static final class Memory {
    private Memory() {}

    static double rssMiB() {
      return field("VmRSS:");
    }

    static double peakRssMiB() {
      return field("VmHWM:");
    }

    private static double field(String name) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith(name)) {
            return Double.parseDouble(line.substring(name.length()).trim().split("\\s+")[0]) / 1024;
          }
        }
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
      return Double.NaN;
    }
  }
}
