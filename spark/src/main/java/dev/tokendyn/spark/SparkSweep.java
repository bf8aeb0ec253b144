package dev.tokendyn.spark;

import dev.tokendyn.analysis.PhaseSweep;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import scala.Tuple2;

/**
 * The phase-diagram sweep as a Spark job: one task per run (beta, d, start) by default, each computed by
 * {@link PhaseSweep#simulate} on an executor, gathered on the driver by {@link PhaseSweep#cells}. A run
 * depends only on the grid and its index, so the cells are the same bits as
 * {@link PhaseSweep#run} gives, whatever the partitions and executors.
 *
 * <pre>{@code
 * try (var spark = SparkSession.builder().master("local[2]").getOrCreate()) {
 *   List<PhaseSweep.Cell> cells = SparkSweep.run(JavaSparkContext.fromSparkContext(spark.sparkContext()), grid, 8)
 *       .cells();
 * }
 * }</pre>
 */
public final class SparkSweep {
  private SparkSweep() {}

  /**
   * The cells and what the runs cost.
   *
   * @param times per run, measured on the executors
   */
  public record Result(List<PhaseSweep.Cell> cells, TaskTimes times) {}

  /**
   * Runs the grid on the cluster behind {@code sc}.
   *
   * @param partitions tasks, &gt;= 1; more than {@link PhaseSweep.Grid#runs()} gives one run per task
   * @throws org.apache.spark.SparkException (undeclared, as Spark throws it) when a run fails on every attempt
   */
  public static Result run(JavaSparkContext sc, PhaseSweep.Grid grid, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, found " + partitions);
    }
    long t0 = System.nanoTime();
    int total = grid.runs();
    List<Integer> runs = IntStream.range(0, total).boxed().toList();
    List<Tuple2<Integer, Tuple2<double[], Long>>> done = sc.parallelize(runs, Math.min(partitions, total))
        .mapToPair(r -> new Tuple2<>(r, TaskFailure.attempt(describe(grid, r), () -> {
          long start = System.nanoTime();
          double[] f = PhaseSweep.simulate(grid, r);
          return new Tuple2<>(f, System.nanoTime() - start);
        })))
        .collect();
    double[][] fractions = new double[total][];
    long[] nanos = new long[total];
    for (Tuple2<Integer, Tuple2<double[], Long>> t : done) {
      fractions[t._1()] = t._2()._1();
      nanos[t._1()] = t._2()._2();
    }
    return new Result(PhaseSweep.cells(grid, fractions), TaskTimes.of(nanos, System.nanoTime() - t0));
  }

  private static String describe(PhaseSweep.Grid g, int run) {
    int cell = run / g.seeds();
    int[] ds = g.ds();
    return String.format(Locale.ROOT, "run %d (beta=%s, d=%d, start %d)", run, g.betas()[cell / ds.length],
        ds[cell % ds.length], run % g.seeds());
  }
}
