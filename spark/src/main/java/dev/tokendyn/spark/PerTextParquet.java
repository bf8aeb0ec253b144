package dev.tokendyn.spark;

import dev.tokendyn.analysis.CorpusAnalysis;
import dev.tokendyn.cli.UsageException;
import dev.tokendyn.metrics.TextMeasures;
import dev.tokendyn.metrics.TextMetric;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The per-text records of a corpus analysis as Parquet: one row per model and text with {@code model} (its
 * name), {@code index},
 * {@code tokens}, {@code kept}, and one column per per-text metric under its JSON name, an array over
 * layers or steps, or a number for the whole sequence (NaN where undefined), the same values as
 * {@code analyze --per-text}'s JSON lines. Written beside the target first and moved into place, so the
 * target appears whole or not at all, on any Hadoop file system.
 */
public final class PerTextParquet {
  private PerTextParquet() {}

  /** The schema. */
  public static StructType schema(boolean transport) {
    List<StructField> f = new ArrayList<>(List.of(DataTypes.createStructField("model", DataTypes.StringType, false),
        DataTypes.createStructField("index", DataTypes.IntegerType, false),
        DataTypes.createStructField("tokens", DataTypes.IntegerType, false),
        DataTypes.createStructField("kept", DataTypes.IntegerType, false)));
    for (TextMetric m : metrics(transport)) {
      f.add(DataTypes.createStructField(m.jsonName(), m.scope() == TextMetric.Scope.SEQUENCE ? DataTypes.DoubleType
          : DataTypes.createArrayType(DataTypes.DoubleType, false), false));
    }
    return DataTypes.createStructType(f);
  }

  static List<TextMetric> metrics(boolean transport) {
    List<TextMetric> out = new ArrayList<>();
    for (TextMetric m : TextMetric.values()) {
      if (!(m.needsTransport() && !transport)) {
        out.add(m);
      }
    }
    return out;
  }

  /** Records handed to Spark at a time, so that the driver holds one slice of them as rows, not all. */
  static final int SLICE = 1 << 16;

  /**
   * Writes the records of every model, in order, to a temporary path beside {@code target} and returns it:
   * one Parquet file per slice of {@link #SLICE} records.
   */
  static String writePending(SparkSession spark, List<CorpusAnalysis.Result> analyses, boolean transport,
                             String target) {
    String pending = target.replaceAll("/+$", "") + ".tmp-" + UUID.randomUUID();
    List<TextMetric> ms = metrics(transport);
    StructType schema = schema(transport);
    List<Row> rows = new ArrayList<>();
    for (CorpusAnalysis.Result a : analyses) {
      List<TextMeasures> texts = a.perText();
      for (int i = 0; i < texts.size(); i++) {
        TextMeasures t = texts.get(i);
        Object[] v = new Object[4 + ms.size()];
        v[0] = a.name();
        v[1] = t.index();
        v[2] = t.tokens();
        v[3] = t.kept();
        for (int j = 0; j < ms.size(); j++) {
          double[] x = t.values(ms.get(j));
          v[4 + j] = ms.get(j).scope() == TextMetric.Scope.SEQUENCE ? (Object) x[0] : x;
        }
        rows.add(RowFactory.create(v));
        if (rows.size() == SLICE) {
          spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Append).parquet(pending);
          rows.clear();
        }
      }
    }
    if (!rows.isEmpty() || analyses.isEmpty()) {
      spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Append).parquet(pending);
    }
    return pending;
  }

  /** Refuses an existing target without {@code force}, before any work. */
  static void checkTarget(SparkSession spark, String target, boolean force) throws IOException {
    org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(target);
    if (!force && to.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(to)) {
      throw new UsageException("--per-text " + target + " exists; give --force to replace it");
    }
  }

  /** Moves the pending records to {@code target}, replacing what is there only with {@code force}. */
  static void commit(SparkSession spark, String pending, String target, boolean force) throws IOException {
    org.apache.hadoop.fs.Path to = new org.apache.hadoop.fs.Path(target);
    FileSystem fs = to.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (fs.exists(to)) {
      if (!force) {
        discard(spark, pending);
        throw new UsageException("--per-text " + target + " exists; give --force to replace it");
      }
      fs.delete(to, true);
    }
    if (!fs.rename(new org.apache.hadoop.fs.Path(pending), to)) {
      throw new IOException("cannot move " + pending + " to " + target);
    }
  }

  static void discard(SparkSession spark, String pending) throws IOException {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(pending);
    p.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p, true);
  }
}
