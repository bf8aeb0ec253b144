package dev.tokendyn.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The texts of a corpus, read from what users have: plain text (one text a line), JSON Lines (one object
 * a line, the text in a named field), or CSV / TSV with a header row (the text in a named column; fields
 * may be quoted with {@code "} and hold the separator, doubled quotes and line breaks). Blank texts are
 * skipped and counted. A seeded random subset of at most {@code limit} texts keeps the corpus order.
 *
 * @param texts the texts, in corpus order
 * @param lines the line (1-based; the header is line 1 in CSV) where each text starts
 * @param blank how many blank texts were skipped
 */
public record Corpus(List<String> texts, int[] lines, int blank) {
  public Corpus {
    texts = List.copyOf(texts);
    lines = lines.clone();
  }

  /** The file formats. */
  public enum Format {
    /** One text a line. */
    TEXT,
    /** One JSON object a line, the text in a field. */
    JSONL,
    /** Comma-separated values with a header. */
    CSV,
    /** Tab-separated values with a header. */
    TSV;

    /** The format a file name suggests: .jsonl/.ndjson, .csv, .tsv, else text. */
    public static Format of(String name) {
      String n = name.toLowerCase(java.util.Locale.ROOT);
      if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
        return JSONL;
      }
      if (n.endsWith(".csv")) {
        return CSV;
      }
      if (n.endsWith(".tsv")) {
        return TSV;
      }
      return TEXT;
    }
  }

  @Override
  public int[] lines() {
    return lines.clone();
  }

  /**
   * Reads a corpus.
   *
   * @param in the bytes, UTF-8; read to the end, not closed
   * @param source the file's name for messages
   * @param field the JSON field or the CSV/TSV column holding the text (default "text")
   * @throws IllegalArgumentException when the corpus is malformed (the message names the line), lacks the
   *     field or column (the message lists those that exist), or is not UTF-8
   * @throws IOException when reading fails
   */
  public static Corpus read(InputStream in, String source, Format format, String field) throws IOException {
    String key = field == null ? "text" : field;
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
    List<String> texts = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    int blank = 0;
    int lineNo = 0;
    try {
      switch (format) {
        case TEXT, JSONL -> {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            lineNo++;
            String text = line;
            if (format == Format.JSONL) {
              if (line.isBlank()) {
                blank++;
                continue;
              }
              text = jsonField(line, key, source, lineNo);
            }
            if (text == null || text.isBlank()) {
              blank++;
            } else {
              texts.add(text.strip());
              lines.add(lineNo);
            }
          }
        }
        case CSV, TSV -> {
          char sep = format == Format.CSV ? ',' : '\t';
          int[] at = {0};
          List<String> header = record(r, sep, at, source);
          if (header == null) {
            throw new IllegalArgumentException(source + " is empty: a " + format.name() + " file needs a header row");
          }
          int column = header.indexOf(key);
          if (column < 0) {
            throw new IllegalArgumentException(source + " has no column \"" + key + "\"; its columns are " + header
                + " (choose one with --text-field)");
          }
          for (int start = at[0] + 1; ; start = at[0] + 1) {
            List<String> row = record(r, sep, at, source);
            if (row == null) {
              break;
            }
            if (row.size() == 1 && row.get(0).isEmpty()) {
              blank++;
              continue;
            }
            if (column >= row.size()) {
              throw new IllegalArgumentException(source + " line " + start + ": the row has " + row.size()
                  + " fields but \"" + key + "\" is column " + (column + 1));
            }
            String text = row.get(column);
            if (text.isBlank()) {
              blank++;
            } else {
              texts.add(text.strip());
              lines.add(start);
            }
          }
        }
      }
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(source + " is not valid UTF-8 (after line " + lineNo
          + "); convert it, for example with iconv -f latin1 -t utf-8", e);
    }
    return new Corpus(texts, lines.stream().mapToInt(Integer::intValue).toArray(), blank);
  }

  private static String jsonField(String line, String key, String source, int lineNo) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " line " + lineNo + " is not JSON: "
          + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(source + " line " + lineNo + " is not a JSON object");
    }
    JsonNode v = node.get(key);
    if (v == null) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      throw new IllegalArgumentException(source + " line " + lineNo + " has no field \"" + key + "\"; it has "
          + names + " (choose one with --text-field)");
    }
    if (v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(source + " line " + lineNo + ": field \"" + key + "\" is not a string");
    }
    return v.asText();
  }

  /** One CSV record (RFC 4180 quoting), or null at the end; at[0] counts the lines read. */
  private static List<String> record(BufferedReader r, char sep, int[] at, String source) throws IOException {
    String line = r.readLine();
    if (line == null) {
      return null;
    }
    at[0]++;
    int first = at[0];
    List<String> fields = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (true) {
      if (i >= line.length()) {
        if (quoted) {
          String next = r.readLine();
          if (next == null) {
            throw new IllegalArgumentException(source + " line " + first + ": a quoted field is never closed");
          }
          at[0]++;
          f.append('\n');
          line = next;
          i = 0;
          continue;
        }
        fields.add(f.toString());
        return fields;
      }
      char c = line.charAt(i++);
      if (quoted) {
        if (c == '"') {
          if (i < line.length() && line.charAt(i) == '"') {
            f.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          f.append(c);
        }
      } else if (c == '"' && f.length() == 0) {
        quoted = true;
      } else if (c == sep) {
        fields.add(f.toString());
        f.setLength(0);
      } else {
        f.append(c);
      }
    }
  }

  /**
   * A seeded random subset of at most {@code limit} texts, in corpus order (all of them when there are
   * no more).
   *
   * @throws IllegalArgumentException when limit &lt; 1
   */
  public Corpus subset(int limit, long seed) {
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1, found " + limit);
    }
    if (texts.size() <= limit) {
      return this;
    }
    int[] chosen = chosen(texts.size(), limit, seed);
    List<String> t = new ArrayList<>();
    int[] l = new int[limit];
    for (int i = 0; i < limit; i++) {
      t.add(texts.get(chosen[i]));
      l[i] = lines[chosen[i]];
    }
    return new Corpus(t, l, blank);
  }

  /**
   * The indices of the seeded random subset of at most {@code limit} of {@code n} texts that
   * {@link #subset} keeps, ascending: the first {@code limit} places of a Fisher-Yates shuffle drawn from
   * {@code SplittableRandom(seed)}, so a corpus that is not in memory (a Spark job's) selects the same
   * texts. Memory O(limit), whatever n.
   *
   * @throws IllegalArgumentException when limit &lt; 1 or n &lt; 0
   */
  public static int[] chosen(int n, int limit, long seed) {
    if (limit < 1) {
      throw new IllegalArgumentException("--limit must be >= 1, found " + limit);
    }
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, found " + n);
    }
    if (n <= limit) {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    }
    // the shuffle's swaps, kept only where a place was moved
    java.util.Map<Integer, Integer> moved = new java.util.HashMap<>();
    SplittableRandom rng = new SplittableRandom(seed);
    int[] chosen = new int[limit];
    for (int i = 0; i < limit; i++) {
      int j = i + rng.nextInt(n - i);
      int atI = moved.getOrDefault(i, i);
      chosen[i] = moved.getOrDefault(j, j);
      moved.put(j, atI);
      moved.remove(i);
    }
    Arrays.sort(chosen);
    return chosen;
  }
}
