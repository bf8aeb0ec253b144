/**
 * tokendyn's jobs on Apache Spark: the phase-diagram sweep ({@link dev.tokendyn.spark.SparkSweep}) with one
 * task per run, giving the same bits as {@code tokendyn sweep} whatever the partitioning; the corpus analysis
 * ({@link dev.tokendyn.spark.SparkAnalyze}), whose per-text records are those of {@code tokendyn analyze}
 * bit for bit and whose aggregates agree to 1e-12; the command line
 * {@code tokendyn spark} ({@link dev.tokendyn.spark.SparkMain}), which runs under {@code spark-submit} or
 * from a checkout with {@code --master}.
 */
package dev.tokendyn.spark;
