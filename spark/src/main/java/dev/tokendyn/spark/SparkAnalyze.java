package dev.tokendyn.spark;

import dev.tokendyn.analysis.CorpusAnalysis;
import dev.tokendyn.analysis.CorpusParams;
import dev.tokendyn.analysis.CorpusPlan;
import dev.tokendyn.analysis.ModelCorpus;
import dev.tokendyn.analysis.ModelSequences;
import dev.tokendyn.model.ExtractOptions;
import dev.tokendyn.model.Extractor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

/**
 * The corpus analysis of {@code tokendyn analyze} as a Spark job.
 *
 * <ol>
 *   <li>The texts, numbered in corpus order, are split into ranges of consecutive texts that start and end
 *       on the model's batches ({@link ExtractOptions#DEFAULT_BATCH} texts), so that every forward pass is
 *       the one a local run makes and every text's hidden states are the same bits.</li>
 *   <li>The executors tokenise; the driver plans ({@link CorpusAnalysis#plan}): the pooled sample is the
 *       tokens of smallest seeded hash of (text, position), which no partitioning changes.</li>
 *   <li>Each range is run through the model, loaded once per executor ({@link ExecutorModels}), and
 *       measured into an accumulator of its own ({@link ModelCorpus#measure}).</li>
 *   <li>The accumulators are merged in a tree, neighbours with neighbours, {@link #FAN_IN} at a time, and
 *       the driver finishes the analysis.</li>
 * </ol>
 * The per-text values are therefore those of a local run bit for bit, and the aggregates equal to
 * rounding (running sums added in another order; relative 1e-12), whatever the partitions.
 */
public final class SparkAnalyze {
  /** Accumulators merged into one at each level of the tree. */
  public static final int FAN_IN = 4;

  private SparkAnalyze() {}

  /**
   * The analysis, the model's facts for the report, and what the texts cost.
   *
   * @param times per task of the measuring pass (a task measures a range of texts), on the executors
   * @param planSeconds the tokenising pass and the plan on the driver, wall time
   * @param finishSeconds the driver's aggregation after the merge (bootstrap, pooled transport), wall time
   */
  public record Result(CorpusAnalysis.Result analysis, Map<String, Object> info, TaskTimes times,
                       double planSeconds, double finishSeconds) {}

  /**
   * Runs the analysis.
   *
   * @param texts the corpus in order, each non-blank
   * @param partitions ranges of texts (tasks), &gt;= 1; at most one per batch of texts
   * @throws IllegalArgumentException on an empty corpus or a corpus with too few tokens to measure
   * @throws org.apache.spark.SparkException (undeclared) when a task fails on every attempt: an unknown model, a
   *     text too long without {@code truncate}
   */
  public static Result run(JavaSparkContext sc, JavaRDD<String> texts, String model, boolean truncate,
                           CorpusParams params, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, found " + partitions);
    }
    JavaPairRDD<Long, String> indexed = texts.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));
    long n = indexed.count();
    if (n == 0) {
      throw new IllegalArgumentException("the corpus holds no texts; give at least one");
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("the corpus has " + n + " texts; at most " + Integer.MAX_VALUE);
    }
    int batch = ExtractOptions.DEFAULT_BATCH;
    int batches = (int) ((n + batch - 1) / batch);
    JavaPairRDD<Long, String> ranges = indexed
        .partitionBy(new BatchRanges(batches, batch, Math.min(partitions, batches)))
        .mapPartitionsToPair(SparkAnalyze::sorted, true)
        .cache();
    try {
      Tuple2<String, java.util.LinkedHashMap<String, Object>> facts = sc.parallelize(List.of(0), 1)
          .map(x -> TaskFailure.attempt("opening model " + model, () -> {
            Extractor ex = ExecutorModels.get(model);
            return new Tuple2<>(ex.info().name(), new java.util.LinkedHashMap<>(ModelSequences.info(ex)));
          }))
          .first();
      String name = facts._1();
      Map<String, Object> info = facts._2();

      // tokenise on the executors, plan on the driver
      long p0 = System.nanoTime();
      List<Tuple2<Long, Tuple2<long[], boolean[]>>> tokens = ranges.mapPartitionsToPair(it -> {
        List<Tuple2<Long, String>> part = list(it);
        List<Tuple2<Long, Tuple2<long[], boolean[]>>> out = new ArrayList<>();
        if (part.isEmpty()) {
          return out.iterator();
        }
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
          out.add(new Tuple2<>(part.get(i)._1(), new Tuple2<>(t.get(i).ids(), t.get(i).special())));
        }
        return out.iterator();
      }).collect();
      List<long[]> ids = new ArrayList<>();
      List<boolean[]> special = new ArrayList<>();
      tokens.stream().sorted(Comparator.comparing(Tuple2::_1)).forEach(t -> {
        ids.add(t._2()._1());
        special.add(t._2()._2());
      });
      CorpusPlan plan = CorpusAnalysis.plan(ids, special, params);
      Broadcast<CorpusPlan> shared = sc.broadcast(plan);
      double planSeconds = (System.nanoTime() - p0) / 1e9;

      long t0 = System.nanoTime();
      // each range's accumulator, with the time its task took (an array, so that merging concatenates)
      JavaPairRDD<Integer, Tuple2<CorpusAnalysis.Accumulator, long[]>> merged = ranges.mapPartitionsWithIndex(
          (p, it) -> {
            List<Tuple2<Long, String>> part = list(it);
            List<Tuple2<Integer, Tuple2<CorpusAnalysis.Accumulator, long[]>>> out = new ArrayList<>();
            if (!part.isEmpty()) {
              int first = part.get(0)._1().intValue();
              out.add(TaskFailure.attempt(what(part), () -> {
                long start = System.nanoTime();
                Extractor ex = ExecutorModels.get(model);
                CorpusAnalysis.Accumulator acc = new CorpusAnalysis.Accumulator(name, shared.value(), params, first);
                synchronized (ex) {
                  ModelCorpus.measure(ex, part.stream().map(Tuple2::_2).toList(), first, truncate, acc, i -> { });
                }
                return new Tuple2<>(p, new Tuple2<>(acc, new long[] {System.nanoTime() - start}));
              }));
            }
            return out.iterator();
          }, true).mapToPair(t -> t);
      int level = Math.min(partitions, batches);
      while (level > 1) {
        int next = (level + FAN_IN - 1) / FAN_IN;
        merged = merged.mapToPair(t -> new Tuple2<>(t._1() / FAN_IN, t))
            .groupByKey(next)
            .mapToPair(g -> {
              List<Tuple2<Integer, Tuple2<CorpusAnalysis.Accumulator, long[]>>> in = new ArrayList<>();
              g._2().forEach(in::add);
              in.sort(Comparator.comparing(Tuple2::_1));
              CorpusAnalysis.Accumulator a = in.get(0)._2()._1();
              long[] times = new long[0];
              for (int i = 0; i < in.size(); i++) {
                if (i > 0) {
                  a.merge(in.get(i)._2()._1());
                }
                long[] t = in.get(i)._2()._2();
                long[] all = java.util.Arrays.copyOf(times, times.length + t.length);
                System.arraycopy(t, 0, all, times.length, t.length);
                times = all;
              }
              return new Tuple2<>(g._1(), new Tuple2<>(a, times));
            });
        level = next;
      }
      Tuple2<CorpusAnalysis.Accumulator, long[]> whole = merged.values().collect().get(0);
      long wall = System.nanoTime() - t0;
      shared.destroy();
      long f0 = System.nanoTime();
      CorpusAnalysis.Result analysis = whole._1().finish();
      return new Result(analysis, info, TaskTimes.of(whole._2(), wall), planSeconds, (System.nanoTime() - f0) / 1e9);
    } finally {
      ranges.unpersist(false);
    }
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
