package dev.tokendyn.spark;

import dev.tokendyn.cli.UsageException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * A corpus as Spark reads it, from a local path or any Hadoop file system: plain text (one text a line),
 * JSON Lines, CSV or TSV with a header, or Parquet, the text in a named column. As {@code tokendyn analyze}
 * reads a file, blank texts are skipped and texts stripped, and the texts are numbered in the order read
 * (for one file, the file's order).
 */
public final class SparkTexts {
  private SparkTexts() {}

  /** The formats. */
  public enum Format {
    TEXT, JSONL, CSV, TSV, PARQUET;

    /** The format a name suggests: .jsonl/.ndjson/.json, .csv, .tsv, .parquet, else text. */
    public static Format of(String name) {
      String n = name.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
      if (n.endsWith(".jsonl") || n.endsWith(".ndjson") || n.endsWith(".json")) {
        return JSONL;
      }
      if (n.endsWith(".csv")) {
        return CSV;
      }
      if (n.endsWith(".tsv")) {
        return TSV;
      }
      return n.endsWith(".parquet") ? PARQUET : TEXT;
    }
  }

  /**
   * Reads the texts.
   *
   * @param column the column or field holding the text (default "text"; plain text has none)
   * @throws UsageException when the input does not exist, or lacks the column (the message lists those it has)
   */
  public static JavaRDD<String> read(SparkSession spark, String input, Format format, String column) {
    boolean local = !input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") || input.startsWith("file:");
    if (local) {
      Path p = input.startsWith("file:") ? Path.of(URI.create(input)) : Path.of(input);
      if (!Files.exists(p)) {
        throw new UsageException("--input " + input + ": no such file or folder");
      }
    }
    Dataset<Row> df;
    try {
      df = switch (format) {
        case TEXT -> spark.read().text(input);
        case JSONL -> spark.read().json(input);
        case CSV -> spark.read().option("header", true).option("multiLine", true).option("escape", "\"").csv(input);
        case TSV -> spark.read().option("header", true).option("multiLine", true).option("escape", "\"")
            .option("sep", "\t").csv(input);
        case PARQUET -> spark.read().parquet(input);
      };
    } catch (Exception e) { // Spark's AnalysisException, undeclared
      throw new UsageException("cannot read --input " + input + " as " + format.name().toLowerCase(Locale.ROOT)
          + ": " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    String col = format == Format.TEXT ? "value" : column == null ? "text" : column;
    StructField field = Arrays.stream(df.schema().fields()).filter(f -> f.name().equals(col)).findFirst()
        .orElseThrow(() -> new UsageException("--input " + input + " has no column '" + col + "'; its columns: "
            + String.join(", ", df.columns()) + " (choose one with --text-column)"));
    if (!field.dataType().equals(DataTypes.StringType)) {
      throw new UsageException("--input " + input + ": column '" + col + "' holds " + field.dataType().simpleString()
          + ", not text; its columns: " + String.join(", ", df.columns()));
    }
    return df.select(col).javaRDD().map(r -> r.isNullAt(0) ? "" : r.getString(0)).filter(t -> !t.isBlank())
        .map(String::strip);
  }
}
