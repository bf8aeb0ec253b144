package dev.tokendyn.spark;

import dev.tokendyn.analysis.Corpus;
import dev.tokendyn.analysis.CorpusAnalysis;
import dev.tokendyn.analysis.CorpusCheckpoint;
import dev.tokendyn.analysis.CorpusParams;
import dev.tokendyn.analysis.CorpusPlan;
import dev.tokendyn.analysis.ModelCorpus;
import dev.tokendyn.analysis.ModelSequences;
import dev.tokendyn.metrics.Standardization;
import dev.tokendyn.model.ExtractOptions;
import dev.tokendyn.model.Extractor;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import scala.Tuple2;

/**
 * The corpus analysis of {@code tokendyn analyze} as a Spark job.
 *
 * <ol>
 *   <li>The texts, numbered in corpus order (with a limit, the same seeded subset as {@link Corpus#subset}),
 *       are split into ranges of consecutive texts that start and end on the model's batches
 *       ({@link ExtractOptions#DEFAULT_BATCH} texts), so that every forward pass is the one a local run
 *       makes and every text's hidden states are the same bits ({@link #cut}).</li>
 *   <li>The plan is made where the texts are: each range tokenises its texts into a
 *       {@link CorpusPlan.Builder} (the k smallest seeded hashes of (text, position), and the number of
 *       texts each token id occurs in), and the builders merge in a tree; the driver receives one builder of
 *       O(sample + vocabulary), whatever the number of texts.</li>
 *   <li>With standardising, a first pass gives each range's moments, merged in order in a tree
 *       ({@link Standardization.Moments}: the same bits as one pass).</li>
 *   <li>Each range is run through the model, loaded once per executor ({@link ExecutorModels}), and
 *       measured into an accumulator of its own ({@link ModelCorpus#measure}). The ranges run in waves of
 *       consecutive ranges; each wave's accumulators are merged in a tree, neighbours with neighbours,
 *       {@link #FAN_IN} at a time, and the driver adds the wave to the run's accumulator and saves it to
 *       the checkpoint ({@link CorpusCheckpoint}), so that a run that stops goes on, with {@code --resume},
 *       from the last whole wave.</li>
 * </ol>
 * The per-text values are therefore those of a local run bit for bit, and the aggregates equal to
 * rounding (running sums added in another order; relative 1e-12), whatever the partitions.
 */
public final class SparkAnalyze {
  /** Parts merged into one at each level of a tree. */
  public static final int FAN_IN = 4;

  private SparkAnalyze() {}

  /**
   * A corpus numbered and cut into ranges of whole batches, cached on the executors.
   *
   * @param rdd (index, text), partition r holding range r in index order
   * @param texts the number of texts
   * @param starts the first text of each range, ascending, starting at 0
   * @param sha256 a digest of the texts in order (of each range's digest), for the checkpoint
   * @param chosenFrom the texts before {@code --limit} chose, or -1 without a limit
   */
  public record Ranges(JavaPairRDD<Long, String> rdd, int texts, int[] starts, String sha256, long chosenFrom) {
    /** The number of ranges. */
    public int count() {
      return starts.length;
    }

    /** Uncaches. */
    public void release() {
      rdd.unpersist(false);
    }
  }

  /**
   * Numbers the texts, keeps the seeded subset of at most {@code limit} (null: all), and cuts them into at
   * most {@code partitions} ranges of whole batches (at most one a batch).
   *
   * @throws IllegalArgumentException on an empty corpus, one of more than 2^31 - 1 texts, or partitions &lt; 1
   */
  public static Ranges cut(JavaSparkContext sc, JavaRDD<String> texts, Integer limit, long seed, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, found " + partitions);
    }
    JavaPairRDD<Long, String> indexed = texts.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));
    long all = indexed.count();
    if (all == 0) {
      throw new IllegalArgumentException("the corpus holds no texts; give at least one");
    }
    if (all > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("the corpus has " + all + " texts; at most " + Integer.MAX_VALUE);
    }
    long n = all;
    long chosenFrom = -1;
    if (limit != null && all > limit) {
      int[] chosen = Corpus.chosen((int) all, limit, seed);
      Broadcast<int[]> keep = sc.broadcast(chosen);
      // renumber: the k-th chosen text becomes text k, as the local subset numbers it
      indexed = indexed.filter(t -> Arrays.binarySearch(keep.value(), (int) (long) t._1()) >= 0)
          .mapToPair(t -> new Tuple2<>((long) Arrays.binarySearch(keep.value(), (int) (long) t._1()), t._2()));
      n = chosen.length;
      chosenFrom = all;
    } else if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1, found " + limit);
    }
    int batch = ExtractOptions.DEFAULT_BATCH;
    int batches = (int) ((n + batch - 1) / batch);
    BatchRanges cut = new BatchRanges(batches, batch, Math.min(partitions, batches));
    JavaPairRDD<Long, String> ranges = indexed.partitionBy(cut).mapPartitionsToPair(SparkAnalyze::sorted, true)
        .cache();
    List<Tuple2<Integer, byte[]>> digests = ranges.mapPartitionsWithIndex((p, it) -> {
      MessageDigest md = sha256();
      it.forEachRemaining(t -> {
        md.update(t._2().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      });
      return List.of(new Tuple2<>(p, md.digest())).iterator();
    }, true).collect();
    MessageDigest md = sha256();
    digests.stream().sorted(Comparator.comparing(Tuple2::_1)).forEach(d -> md.update(d._2()));
    return new Ranges(ranges, (int) n, cut.starts(), HexFormat.of().formatHex(md.digest()), chosenFrom);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * The analysis, the model's facts for the report, and what the texts cost.
   *
   * @param times per task of the measuring pass (a task measures a range of texts), on the executors
   * @param planSeconds the tokenising pass and the plan (and, standardising, the first pass), wall time
   * @param finishSeconds the driver's aggregation after the merge (bootstrap, pooled transport), wall time
   * @param resumed the texts restored from the checkpoint, 0 when none
   */
  public record Result(CorpusAnalysis.Result analysis, Map<String, Object> info, TaskTimes times,
                       double planSeconds, double finishSeconds, int resumed) {}

  /**
   * Runs the analysis of one model.
   *
   * @param checkpoint where each wave is saved and from which the run starts, or null for none
   * @param slot which of the run's models this is (its place in the checkpoint)
   * @param wave ranges measured between two saves, &gt;= 1
   * @throws IllegalArgumentException on a corpus with too few tokens to measure, or a checkpoint that does
   *     not end on a range
   * @throws IOException when the checkpoint cannot be read or written
   * @throws org.apache.spark.SparkException (undeclared) when a task fails on every attempt: an unknown model, a
   *     text too long without {@code truncate}
   */
  public static Result run(JavaSparkContext sc, Ranges ranges, String model, boolean truncate, CorpusParams params,
                           CorpusCheckpoint checkpoint, int slot, int wave) throws IOException {
    if (wave < 1) {
      throw new IllegalArgumentException("a wave must hold at least 1 range, found " + wave);
    }
    Tuple2<String, LinkedHashMap<String, Object>> facts = sc.parallelize(List.of(0), 1)
        .map(x -> TaskFailure.attempt("opening model " + model, () -> {
          Extractor ex = ExecutorModels.get(model);
          return new Tuple2<>(ex.info().name(), new LinkedHashMap<>(ModelSequences.info(ex)));
        }))
        .first();
    String name = facts._1();
    Map<String, Object> info = facts._2();
    JavaPairRDD<Long, String> rdd = ranges.rdd();

    // the plan where the texts are: one builder per range, merged in a tree
    long p0 = System.nanoTime();
    CorpusPlan.Builder planned = rdd.mapPartitions(it -> {
      List<Tuple2<Long, String>> part = list(it);
      CorpusPlan.Builder b = CorpusAnalysis.planner(params);
      if (!part.isEmpty()) {
        int first = part.get(0)._1().intValue();
        List<Extractor.Tokenized> t = TaskFailure.attempt(what(part), () -> {
          Extractor ex = ExecutorModels.get(model);
          try {
            return ex.tokenize(part.stream().map(Tuple2::_2).toList(), truncate);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ModelCorpus.renumber(e.getMessage(), first), e);
          }
        });
        for (int i = 0; i < t.size(); i++) {
          b.add(first + i, t.get(i).ids(), t.get(i).special());
        }
      }
      return List.of(b).iterator();
    }).treeReduce(CorpusPlan.Builder::merge);
    CorpusPlan plan = CorpusAnalysis.plan(planned, ranges.texts(), params);
    Broadcast<CorpusPlan> shared = sc.broadcast(plan);
    Broadcast<Standardization> z = sc.broadcast(params.standardize() ? moments(rdd, model, truncate, params) : null);
    double planSeconds = (System.nanoTime() - p0) / 1e9;

    CorpusAnalysis.Accumulator whole = new CorpusAnalysis.Accumulator(name, plan, params, z.value());
    int resumed = checkpoint == null ? 0 : checkpoint.restore(slot, whole);
    int from = Arrays.binarySearch(ranges.starts(), resumed);
    if (resumed > 0 && resumed < ranges.texts() && from < 0) {
      throw new IllegalArgumentException("--resume: the checkpoint holds " + resumed + " texts, which is not where a"
          + " range starts; resume with the same --partitions, or run without --resume to start over");
    }
    if (resumed >= ranges.texts()) {
      from = ranges.count();
    }

    long t0 = System.nanoTime();
    // each range's accumulator, with the time its task took (an array, so that merging concatenates)
    JavaPairRDD<Integer, Tuple2<CorpusAnalysis.Accumulator, long[]>> measured = rdd.mapPartitionsWithIndex(
        (p, it) -> {
          List<Tuple2<Long, String>> part = list(it);
          List<Tuple2<Integer, Tuple2<CorpusAnalysis.Accumulator, long[]>>> out = new ArrayList<>();
          if (!part.isEmpty()) {
            int first = part.get(0)._1().intValue();
            out.add(TaskFailure.attempt(what(part), () -> {
              long start = System.nanoTime();
              Extractor ex = ExecutorModels.get(model);
              CorpusAnalysis.Accumulator acc = new CorpusAnalysis.Accumulator(name, shared.value(), params, z.value(),
                  first);
              synchronized (ex) {
                ModelCorpus.measure(ex, part.stream().map(Tuple2::_2).toList(), first, truncate, acc, i -> { });
              }
              return new Tuple2<>(p, new Tuple2<>(acc, new long[] {System.nanoTime() - start}));
            }));
          }
          return out.iterator();
        }, true).mapToPair(t -> t);
    long[] times = new long[0];
    for (int w0 = from; w0 < ranges.count(); w0 += wave) {
      int lo = w0;
      int hi = Math.min(ranges.count(), w0 + wave);
      JavaPairRDD<Integer, Tuple2<CorpusAnalysis.Accumulator, long[]>> part = lo == 0 && hi == ranges.count()
          ? measured : prune(measured, lo, hi);
      Tuple2<CorpusAnalysis.Accumulator, long[]> w = mergeInOrder(part, lo, hi - lo, (a, b) -> {
        a._1().merge(b._1());
        long[] all = Arrays.copyOf(a._2(), a._2().length + b._2().length);
        System.arraycopy(b._2(), 0, all, a._2().length, b._2().length);
        return new Tuple2<>(a._1(), all);
      });
      whole.merge(w._1());
      long[] all = Arrays.copyOf(times, times.length + w._2().length);
      System.arraycopy(w._2(), 0, all, times.length, w._2().length);
      times = all;
      if (checkpoint != null) {
        checkpoint.save(slot, whole);
      }
    }
    long wall = System.nanoTime() - t0;
    shared.destroy();
    z.destroy();
    long f0 = System.nanoTime();
    CorpusAnalysis.Result analysis = whole.finish();
    return new Result(analysis, info, TaskTimes.of(times, wall), planSeconds, (System.nanoTime() - f0) / 1e9, resumed);
  }

  /** The first pass of standardising: each range's moments, merged in order. */
  private static Standardization moments(JavaPairRDD<Long, String> rdd, String model, boolean truncate,
                                         CorpusParams params) {
    boolean drop = params.text().dropSpecial();
    JavaPairRDD<Integer, Standardization.Moments> parts = rdd.mapPartitionsWithIndex((p, it) -> {
      List<Tuple2<Long, String>> part = list(it);
      List<Tuple2<Integer, Standardization.Moments>> out = new ArrayList<>();
      if (!part.isEmpty()) {
        int first = part.get(0)._1().intValue();
        out.add(TaskFailure.attempt(what(part), () -> {
          Extractor ex = ExecutorModels.get(model);
          Standardization.Moments mo = new Standardization.Moments(drop, first);
          synchronized (ex) {
            try {
              ex.extract(part.stream().map(Tuple2::_2).toList(), ExtractOptions.defaults().withTruncate(truncate),
                  (i, r) -> mo.add(r.toTextSequence()));
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException(ModelCorpus.renumber(e.getMessage(), first), e);
            }
          }
          return new Tuple2<>(p, mo);
        }));
      }
      return out.iterator();
    }, true).mapToPair(t -> t);
    return mergeInOrder(parts, 0, parts.getNumPartitions(), (a, b) -> {
      a.merge(b);
      return a;
    }).result();
  }

  /** Merges b, which follows a, into one; may reuse a. */
  @FunctionalInterface
  interface Merge<T> extends Serializable {
    T apply(T a, T b);
  }

  /**
   * Merges parts keyed lo .. lo + count - 1 in order, in a tree: neighbours with neighbours, {@link #FAN_IN} at
   * a time, on the executors, and returns the one left.
   */
  static <T> T mergeInOrder(JavaPairRDD<Integer, T> parts, int lo, int count, Merge<T> merge) {
    int level = count;
    JavaPairRDD<Integer, T> m = lo == 0 ? parts : parts.mapToPair(t -> new Tuple2<>(t._1() - lo, t._2()));
    while (level > 1) {
      int next = (level + FAN_IN - 1) / FAN_IN;
      m = m.mapToPair(t -> new Tuple2<>(t._1() / FAN_IN, t))
          .groupByKey(next)
          .mapToPair(g -> {
            List<Tuple2<Integer, T>> in = new ArrayList<>();
            g._2().forEach(in::add);
            in.sort(Comparator.comparing(Tuple2::_1));
            T a = in.get(0)._2();
            for (int i = 1; i < in.size(); i++) {
              a = merge.apply(a, in.get(i)._2());
            }
            return new Tuple2<>(g._1(), a);
          });
      level = next;
    }
    return m.values().collect().get(0);
  }

  /** Only the partitions lo .. hi - 1, whose tasks alone run. */
  private static <K, V> JavaPairRDD<K, V> prune(JavaPairRDD<K, V> rdd, int lo, int hi) {
    scala.Function1<Object, Object> keep = (scala.Function1<Object, Object> & Serializable)
        p -> (Integer) p >= lo && (Integer) p < hi;
    return JavaPairRDD.fromRDD(PartitionPruningRDD.create(rdd.rdd(), keep), rdd.kClassTag(), rdd.vClassTag());
  }

  private static String what(List<Tuple2<Long, String>> part) {
    return "texts " + part.get(0)._1() + ".." + part.get(part.size() - 1)._1();
  }

  private static <T> List<T> list(Iterator<T> it) {
    List<T> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }

  private static Iterator<Tuple2<Long, String>> sorted(Iterator<Tuple2<Long, String>> it) {
    List<Tuple2<Long, String>> l = list(it);
    l.sort(Comparator.comparing(Tuple2::_1));
    return l.iterator();
  }

  /**
   * Consecutive ranges of whole batches: text i is in batch i / batch, and batch b in range
   * b * ranges / batches, so each range holds consecutive batches and none is empty.
   */
  static final class BatchRanges extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int batches;
    private final int batch;
    private final int ranges;

    BatchRanges(int batches, int batch, int ranges) {
      this.batches = batches;
      this.batch = batch;
      this.ranges = ranges;
    }

    /** The first text of each range. */
    int[] starts() {
      int[] s = new int[ranges];
      int r = 0;
      for (int b = 0; b < batches && r < ranges; b++) {
        if ((int) ((long) b * ranges / batches) == r) {
          s[r++] = b * batch;
        }
      }
      return s;
    }

    @Override
    public int numPartitions() {
      return ranges;
    }

    @Override
    public int getPartition(Object key) {
      long b = (Long) key / batch;
      return (int) (b * ranges / batches);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BatchRanges r && r.batches == batches && r.batch == batch && r.ranges == ranges;
    }

    @Override
    public int hashCode() {
      return (batches * 31 + batch) * 31 + ranges;
    }
  }
}
