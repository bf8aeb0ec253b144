package dev.tokendyn.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The corpus analysis in Spark's local mode against {@code tokendyn analyze} on the same corpus, on the
 * catalog's MiniLM weights: the per-text records bit for bit, the report's numbers to 1e-12 relative.
 */
@Tag("model")
class SparkAnalyzeTest {
  @TempDir static Path tmp;
  static Path corpus;
  static Path localReport;
  static Map<Integer, JsonNode> localPerText;

  static final String[] MEASURE = {"--bootstrap", "200", "--pooled-sample", "300", "--seed", "5"};

  /** Sentences from a seeded grammar: a few hundred texts of 3 to 30 words, some blank lines between. */
  static List<String> sentences(int n, long seed) {
    String[] subjects = {"the cat", "a river", "my neighbour", "the old engine", "every student", "the committee",
        "a quiet town", "the market"};
    String[] verbs = {"watches", "crosses", "remembers", "repairs", "questions", "follows", "paints", "describes"};
    String[] objects = {"the bridge", "a long letter", "the northern hills", "its own shadow", "the evening news",
        "a broken clock", "the first snow", "seven small boats"};
    String[] tails = {"before dawn", "with great care", "after the storm", "in silence", "for the third time",
        "without a map", "as the bells ring", "near the station"};
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder();
      int clauses = 1 + r.nextInt(3);
      for (int c = 0; c < clauses; c++) {
        b.append(c == 0 ? "" : " and ").append(subjects[r.nextInt(8)]).append(' ').append(verbs[r.nextInt(8)])
            .append(' ').append(objects[r.nextInt(8)]);
        if (r.nextBoolean()) {
          b.append(' ').append(tails[r.nextInt(8)]);
        }
      }
      out.add(b.append('.').toString());
    }
    return out;
  }

  /** The JSON values of a file, one after the other (one a line, or spread over lines). */
  static Map<Integer, JsonNode> readJsonLines(Path p) throws Exception {
    Map<Integer, JsonNode> m = new java.util.HashMap<>();
    try (var it = Json.mapper().readerFor(JsonNode.class).<JsonNode>readValues(p.toFile())) {
      while (it.hasNext()) {
        JsonNode n = it.next();
        m.put(n.get("index").asInt(), n);
      }
    }
    return m;
  }

  @BeforeAll
  static void localRun() throws Exception {
    List<String> lines = new ArrayList<>();
    List<String> s = sentences(240, 345);
    for (int i = 0; i < s.size(); i++) {
      lines.add(s.get(i));
      if (i % 50 == 7) {
        lines.add("   "); // skipped, as locally
      }
    }
    corpus = Files.write(tmp.resolve("corpus.txt"), lines, StandardCharsets.UTF_8);
    localReport = tmp.resolve("local");
    List<String> args = new ArrayList<>(List.of("analyze", "--model", "all-minilm-l6-v2", "--input", corpus.toString(),
        "--out", localReport.toString(), "--per-text", tmp.resolve("local.jsonl").toString()));
    args.addAll(List.of(MEASURE));
    var r = SparkSweepTest.local(args.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    localPerText = readJsonLines(tmp.resolve("local.jsonl"));
    assertThat(localPerText).hasSize(240);
  }

  static SparkSweepTest.Run spark(String input, String out, String perText, String... more) {
    List<String> args = new ArrayList<>(List.of("analyze", "--master", "local[2]", "--conf", "spark.ui.enabled=false",
        "--model", "all-minilm-l6-v2", "--input", input, "--out", out));
    if (perText != null) {
      args.addAll(List.of("--per-text", perText));
    }
    args.addAll(List.of(MEASURE));
    args.addAll(List.of(more));
    return SparkSweepTest.spark(args.toArray(String[]::new));
  }

  /** Every number of a against b to 1e-12 relative; everything else equal. */
  static void assertClose(String where, JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      double x = a.asDouble();
      double y = b.asDouble();
      assertThat(Math.abs(x - y)).as("%s: %s vs %s", where, x, y).isLessThanOrEqualTo(1e-12 * Math.max(Math.abs(x),
          Math.abs(y)));
      return;
    }
    assertThat(a.getNodeType()).as(where).isEqualTo(b.getNodeType());
    if (a.isObject()) {
      assertThat(iterable(a.fieldNames())).as(where).isEqualTo(iterable(b.fieldNames()));
      a.fieldNames().forEachRemaining(f -> assertClose(where + "." + f, a.get(f), b.get(f)));
    } else if (a.isArray()) {
      assertThat(a.size()).as(where).isEqualTo(b.size());
      for (int i = 0; i < a.size(); i++) {
        assertClose(where + "[" + i + "]", a.get(i), b.get(i));
      }
    } else {
      assertThat(a).as(where).isEqualTo(b);
    }
  }

  static List<String> iterable(Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }

  /** The Parquet records against the local JSON lines, bit for bit. */
  static void assertSamePerText(Path parquet) throws Exception {
    assertSamePerText(parquet, localPerText);
  }

  static void assertSamePerText(Path parquet, Map<Integer, JsonNode> localPerText) throws Exception {
    assertSamePerText(parquet, "all-minilm-l6-v2", localPerText);
  }

  /** The Parquet records of one model against the local JSON lines, bit for bit. */
  static void assertSamePerText(Path parquet, String model, Map<Integer, JsonNode> localPerText) throws Exception {
    try (SparkSession s = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
        .getOrCreate()) {
      List<Row> rows = s.read().parquet(parquet.toString()).collectAsList().stream()
          .filter(r -> r.getString(r.fieldIndex("model")).equals(model)).toList();
      assertThat(rows).hasSize(localPerText.size());
      for (Row row : rows) {
        JsonNode local = localPerText.get(row.getInt(row.fieldIndex("index")));
        assertThat(row.getInt(row.fieldIndex("tokens"))).isEqualTo(local.get("tokens").asInt());
        assertThat(row.getInt(row.fieldIndex("kept"))).isEqualTo(local.get("kept").asInt());
        for (String group : new String[] {"layers", "transitions", "spreading"}) {
          local.get(group).fields().forEachRemaining(e -> {
            Object v = row.get(row.fieldIndex(e.getKey()));
            List<Double> got = v instanceof Double d ? List.of(d)
                : new ArrayList<>(scala.jdk.javaapi.CollectionConverters.asJava(
                    ((scala.collection.Seq<?>) v).toSeq()).stream().map(x -> (Double) x).toList());
            List<Double> want = new ArrayList<>();
            if (e.getValue().isArray()) {
              e.getValue().forEach(x -> want.add(x.isNull() ? Double.NaN : x.asDouble()));
            } else {
              want.add(e.getValue().isNull() ? Double.NaN : e.getValue().asDouble());
            }
            assertThat(got).as("text %s %s", local.get("index"), e.getKey()).isEqualTo(want);
          });
        }
      }
    }
  }

  @Test
  void sameRecordsAndReportAsTheLocalCommandWhateverThePartitions() throws Exception {
    JsonNode local = Json.readTree(localReport.resolve("report.json"));
    for (String partitions : new String[] {"3", "7"}) {
      Path out = tmp.resolve("spark-" + partitions);
      Path parquet = tmp.resolve("spark-" + partitions + ".parquet");
      var r = spark(corpus.toString(), out.toString(), parquet.toString(), "--partitions", partitions);
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("all-minilm-l6-v2: 240 texts");
      assertClose("report", Json.readTree(out.resolve("report.json")), local);
      assertSamePerText(parquet);
      try (var files = Files.list(out)) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
            .isEqualTo(Files.list(localReport).map(p -> p.getFileName().toString()).sorted().toList());
      }
    }
    // the numbers are a real model's: tokens of one text draw together with depth
    JsonNode layers = local.at("/models/0/layers");
    assertThat(layers.size()).isEqualTo(7);
    assertThat(layers.get(6).at("/metrics/mean_cosine/mean").asDouble())
        .isGreaterThan(layers.get(0).at("/metrics/mean_cosine/mean").asDouble());
  }

  @Test
  void jsonlAndParquetInputsGiveTheSameTextsAsPlainText() throws Exception {
    List<String> texts = sentences(240, 345);
    Path jsonl = tmp.resolve("corpus.jsonl");
    List<String> lines = new ArrayList<>();
    for (String t : texts) {
      lines.add(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of("id", lines.size(), "body", t)));
    }
    Files.write(jsonl, lines, StandardCharsets.UTF_8);
    try (SparkSession s = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false")
        .getOrCreate()) {
      assertThat(SparkTexts.read(s, corpus.toString(), SparkTexts.Format.TEXT, null).collect()).isEqualTo(texts);
      assertThat(SparkTexts.read(s, jsonl.toString(), SparkTexts.Format.JSONL, "body").collect()).isEqualTo(texts);
      Path parquet = tmp.resolve("corpus.parquet");
      s.read().json(jsonl.toString()).coalesce(1).write().parquet(parquet.toString());
      assertThat(SparkTexts.read(s, parquet.toString(), SparkTexts.Format.of(parquet.toString()), "body").collect())
          .isEqualTo(texts);
    }
    // a missing column names those that exist, and nothing is written
    Path out = tmp.resolve("missing");
    var r = spark(jsonl.toString(), out.toString(), null);
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("has no column 'text'; its columns: body, id (choose one with --text-column)");
    assertThat(out).doesNotExist();
  }

  @Test
  void aTextTooLongFailsTheJobNamingItAndWritesNothing() throws Exception {
    List<String> lines = new ArrayList<>(sentences(40, 1));
    lines.set(21, String.join(" ", java.util.Collections.nCopies(700, "word")));
    Path input = Files.write(tmp.resolve("long.txt"), lines, StandardCharsets.UTF_8);
    Path out = tmp.resolve("long");
    Path parquet = tmp.resolve("long.parquet");
    var r = SparkSweepTest.spark("analyze", "--master", "local[2,2]", "--conf", "spark.ui.enabled=false", "--model",
        "all-minilm-l6-v2", "--input", input.toString(), "--out", out.toString(), "--per-text", parquet.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("tokendyn spark analyze: error: the Spark job failed and wrote nothing: a task"
        + " failed 2 times; the last attempt: texts 0..31: text 21 has 702 tokens but all-minilm-l6-v2 takes at most 512"
        + " positions").contains("--truncate");
    assertThat(out).doesNotExist();
    assertThat(parquet).doesNotExist();
    try (var left = Files.list(tmp)) {
      assertThat(left.map(Path::toString).filter(p -> p.contains(".tmp-")).toList()).isEmpty();
    }
  }

  /**
   * --limit with --seed, --standardize and --compare against the local command with the same options: the
   * same seeded subset, the same moments (a pairwise tree over the texts, whatever the ranges), each model's
   * per-text records bit for bit and the report to 1e-12.
   */
  @Test
  void limitStandardizeAndCompareGiveTheLocalNumbers() throws Exception {
    String[] options = {"--limit", "70", "--standardize", "--compare", "bge-small-en-v1.5"};
    Path localOut = tmp.resolve("local-options");
    Path localLines = tmp.resolve("local-options.jsonl");
    List<String> args = new ArrayList<>(List.of("analyze", "--model", "all-minilm-l6-v2", "--input", corpus.toString(),
        "--out", localOut.toString(), "--per-text", localLines.toString()));
    args.addAll(List.of(MEASURE));
    args.addAll(List.of(options));
    var l = SparkSweepTest.local(args.toArray(String[]::new));
    assertThat(l.code()).as(l.err()).isZero();
    // the local per-text lines: the first model's 70 texts, then the second's
    List<String> lines = Files.readAllLines(localLines);
    assertThat(lines).hasSize(140);
    Path out = tmp.resolve("spark-options");
    Path parquet = tmp.resolve("spark-options.parquet");
    List<String> more = new ArrayList<>(List.of(options));
    more.addAll(List.of("--partitions", "3"));
    var r = spark(corpus.toString(), out.toString(), parquet.toString(), more.toArray(String[]::new));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("--limit 70: a seeded subset of 70 texts of 240", "all-minilm-l6-v2: 70 texts",
        "bge-small-en-v1.5: 70 texts");
    JsonNode local = Json.readTree(localOut.resolve("report.json"));
    assertClose("report", Json.readTree(out.resolve("report.json")), local);
    for (int m = 0; m < 2; m++) {
      Path part = Files.write(tmp.resolve("local-options-" + m + ".jsonl"), lines.subList(70 * m, 70 * (m + 1)));
      assertSamePerText(parquet, m == 0 ? "all-minilm-l6-v2" : "bge-small-en-v1.5", readJsonLines(part));
    }
    // the options change the numbers: the subset is not the first 70 texts, and standardising moves the cosines
    JsonNode plain = Json.readTree(localReport.resolve("report.json"));
    assertThat(local.at("/models/0/layers/6/metrics/mean_cosine/mean").asDouble())
        .isNotEqualTo(plain.at("/models/0/layers/6/metrics/mean_cosine/mean").asDouble());
    assertThat(local.at("/models").size()).isEqualTo(2);
  }

  /**
   * A run stopped after some waves (its jobs cancelled, as a lost driver or a killed job would leave it) writes
   * nothing but its checkpoint; the same command with --resume measures only the ranges left and gives the
   * local numbers.
   */
  @Test
  void aStoppedRunResumesFromItsLastWaveWithTheLocalNumbers() throws Exception {
    Path out = tmp.resolve("spark-resumed");
    Path parquet = tmp.resolve("spark-resumed.parquet");
    Path state = dev.tokendyn.analysis.CorpusCheckpoint.folderFor(out).resolve("model-0.state");
    SparkSweepTest.Run[] first = new SparkSweepTest.Run[1];
    Thread run = new Thread(() -> first[0] = spark(corpus.toString(), out.toString(), parquet.toString(),
        "--partitions", "5", "--checkpoint-every", "1"));
    run.start();
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (!Files.exists(state) && run.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    while (run.isAlive() && System.nanoTime() < deadline) {
      SparkSession.getDefaultSession().foreach(sp -> {
        sp.sparkContext().cancelAllJobs();
        return null;
      });
      run.join(200);
    }
    run.join();
    assertThat(first[0].code()).as(first[0].out() + first[0].err()).isEqualTo(1);
    assertThat(first[0].err()).contains("the Spark job failed and wrote nothing", "run the same command with --resume");
    assertThat(out).doesNotExist();
    assertThat(parquet).doesNotExist();
    assertThat(state).exists();
    var r = spark(corpus.toString(), out.toString(), parquet.toString(), "--partitions", "5", "--checkpoint-every",
        "1", "--resume");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("resuming the interrupted run");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) texts resumed from the checkpoint")
        .matcher(r.out());
    assertThat(m.find()).as(r.out()).isTrue();
    assertThat(Integer.parseInt(m.group(1))).isBetween(1, 239);
    assertClose("report", Json.readTree(out.resolve("report.json")), Json.readTree(localReport.resolve("report.json")));
    assertSamePerText(parquet);
    assertThat(dev.tokendyn.analysis.CorpusCheckpoint.folderFor(out)).doesNotExist();
    // resuming what is not there is a usage error
    var again = spark(corpus.toString(), tmp.resolve("never").toString(), null, "--resume");
    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).contains("--resume: there is no checkpoint to continue");
  }
}
