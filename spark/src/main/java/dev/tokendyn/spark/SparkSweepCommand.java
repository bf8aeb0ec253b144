package dev.tokendyn.spark;

import dev.tokendyn.analysis.PhaseSweep;
import dev.tokendyn.cli.SweepCommand;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tokendyn spark sweep}: {@code tokendyn sweep}'s options and output, its runs as Spark tasks. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "The phase-diagram sweep of 'tokendyn sweep' as a Spark job: one task per (beta, d, start), the same",
      "tokendyn.sweep/1 and heat maps, the same bits whatever the partitions. --threads is not used.",
      "Example: tokendyn spark sweep --master local[2] --betas 0:9:1 --ds 8,128 --seeds 4 --dt 0.1 --time 20"
          + " --out sweep.json"})
public final class SparkSweepCommand extends SweepCommand {
  @Spec CommandSpec spec;

  @Mixin SparkOptions spark;

  @Option(names = "--partitions", description = "Spark tasks (default: one per run).")
  Integer partitions;

  @Override
  protected List<PhaseSweep.Cell> compute(PhaseSweep.Grid grid) {
    if (partitions != null && partitions < 1) {
      throw new dev.tokendyn.cli.UsageException("--partitions must be >= 1, found " + partitions);
    }
    SparkSession session = spark.session("tokendyn sweep");
    try {
      SparkSweep.Result r = SparkSweep.run(JavaSparkContext.fromSparkContext(session.sparkContext()), grid,
          partitions == null ? grid.runs() : partitions);
      spec.commandLine().getOut().println("spark " + session.sparkContext().master() + ": "
          + r.times().describe("runs"));
      return r.cells();
    } catch (Exception e) { // Spark throws its checked SparkException undeclared
      throw TaskFailure.ofJob(e);
    } finally {
      session.stop();
    }
  }
}
