package dev.tokendyn.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reading and writing token clouds and cloud sequences, as JSON or NumPy {@code .npy}.
 *
 * <p>Formats:
 * <ul>
 *   <li>a cloud as JSON: {@code {"schema": "tokendyn.cloud/1", "points": [[...], ...], "weights": [...],
 *       "tokens": [...]}}, weights and tokens optional (the schema key too, when reading);</li>
 *   <li>a cloud as {@code .npy}: a float64 or float32 array of shape (n, d), or (n,) for d = 1;</li>
 *   <li>a sequence as JSON: {@code {"schema": "tokendyn.sequence/1", "axis": "layer"|"time", "clouds":
 *       [{"label": ..., "position": ..., "points": [[...]], ...}]}}; also read: the {@code "frames"} of a
 *       simulation saved with points ({@code tokendyn.simulation/1});</li>
 *   <li>a sequence as {@code .npy}: an array of shape (L, n, d), or a folder of {@code .npy} clouds read in
 *       the order of their file names.</li>
 * </ul>
 * Every failure to read is an {@link IOException} that names the path and what is wrong with it.
 */
public final class CloudFiles {
  private CloudFiles() {}

  private static boolean isNpy(Path p) {
    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
  }

  /** Reads a cloud from a {@code .json} or {@code .npy} file. */
  public static TokenCloud readCloud(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new IOException(path + ": no such file");
    }
    if (isNpy(path)) {
      Npy.Array a = Npy.read(path);
      return cloudFromArray(a, path.toString());
    }
    JsonNode root = Json.readTree(path);
    try {
      return cloudFromJson(root);
    } catch (IllegalArgumentException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a plain numeric array of one or two dimensions: an {@code .npy} file (float64 or float32), or a
   * JSON array of numbers or of equal-length rows of numbers. For weight vectors ({@code ot --a}) and cost
   * matrices ({@code ot --cost-matrix}), as numpy saves them.
   *
   * @throws IOException naming the path when the file is missing, unreadable, ragged or not numeric
   */
  public static Npy.Array readArray(Path path) throws IOException {
    if (!Files.isRegularFile(path)) {
      throw new IOException(path + ": no such file");
    }
    if (isNpy(path)) {
      Npy.Array a = Npy.read(path);
      if (a.shape().length < 1 || a.shape().length > 2) {
        throw new IOException(path + ": expected a 1-D or 2-D array, found shape " + java.util.Arrays.toString(a.shape()));
      }
      return a;
    }
    JsonNode root = Json.readTree(path);
    if (!root.isArray() || root.isEmpty()) {
      throw new IOException(path + ": expected a JSON array of numbers or of rows of numbers");
    }
    boolean matrix = root.get(0).isArray();
    int rows = root.size();
    int cols = matrix ? root.get(0).size() : 1;
    double[] data = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      JsonNode r = root.get(i);
      if (matrix != r.isArray() || matrix && r.size() != cols) {
        throw new IOException(path + ": row " + i + " is not a row of " + cols + " numbers");
      }
      for (int j = 0; j < cols; j++) {
        JsonNode v = matrix ? r.get(j) : r;
        if (!v.isNumber()) {
          throw new IOException(path + ": entry " + i + (matrix ? "," + j : "") + " is not a number: " + v);
        }
        data[i * cols + j] = v.doubleValue();
      }
    }
    return new Npy.Array(matrix ? new int[] {rows, cols} : new int[] {rows}, data);
  }

  private static TokenCloud cloudFromArray(Npy.Array a, String name) throws IOException {
    int[] s = a.shape();
    try {
      if (s.length == 2) {
        return TokenCloud.ofFlat(s[0], s[1], a.data());
      }
      if (s.length == 1) {
        return TokenCloud.ofFlat(s[0], 1, a.data());
      }
    } catch (IllegalArgumentException e) {
      throw new IOException(name + ": " + e.getMessage(), e);
    }
    throw new IOException(name + ": a cloud must be a 2-D array (n, d), found shape " + java.util.Arrays.toString(s));
  }

  /** A cloud from a JSON object with {@code points} and optional {@code weights} and {@code tokens}. */
  public static TokenCloud cloudFromJson(JsonNode node) {
    JsonNode pts = node.get("points");
    if (pts == null || !pts.isArray()) {
      throw new IllegalArgumentException("expected a \"points\" array of arrays");
    }
    int n = pts.size();
    if (n == 0) {
      throw new IllegalArgumentException("\"points\" is empty; a cloud needs at least one point");
    }
    int d = pts.get(0).isArray() ? pts.get(0).size() : 1;
    // every row is checked before the n*d array is allocated, so a short document cannot ask for gigabytes
    for (int i = 0; i < n; i++) {
      JsonNode row = pts.get(i);
      if (!(d == 1 && row.isNumber()) && (!row.isArray() || row.size() != d)) {
        throw new IllegalArgumentException(
            "point " + i + " has " + (row.isArray() ? row.size() : 0) + " coordinates but point 0 has " + d);
      }
    }
    double[] flat = new double[n * d];
    for (int i = 0; i < n; i++) {
      JsonNode row = pts.get(i);
      if (d == 1 && row.isNumber()) {
        flat[i] = row.doubleValue();
        continue;
      }
      for (int k = 0; k < d; k++) {
        flat[i * d + k] = number(row.get(k), "point " + i + " coordinate " + k);
      }
    }
    double[] weights = null;
    JsonNode w = node.get("weights");
    if (w != null && !w.isNull()) {
      if (!w.isArray()) {
        throw new IllegalArgumentException("\"weights\" must be an array of numbers");
      }
      weights = new double[w.size()];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = number(w.get(i), "weight " + i);
      }
    }
    List<String> tokens = null;
    JsonNode t = node.get("tokens");
    if (t != null && t.isArray()) {
      tokens = new ArrayList<>();
      for (JsonNode x : t) {
        tokens.add(x.asText());
      }
    }
    return new TokenCloud(n, d, flat, weights, tokens);
  }

  private static double number(JsonNode v, String what) {
    if (v == null || !(v.isNumber() || v.isTextual())) {
      throw new IllegalArgumentException(what + " is not a number");
    }
    if (v.isTextual()) {
      // Python's json writes NaN and Infinity as bare words; Jackson may hand them over as text
      try {
        return Double.parseDouble(v.asText());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(what + " is not a number: \"" + v.asText() + "\"");
      }
    }
    return v.doubleValue();
  }

  /** The JSON object of a cloud: points, and weights and tokens when present. */
  public static Map<String, Object> cloudToJson(TokenCloud c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("points", c.toArray());
    c.weights().ifPresent(w -> m.put("weights", w));
    c.tokens().ifPresent(t -> m.put("tokens", t));
    return m;
  }

  /**
   * Writes a cloud as {@code .npy} (points only) or JSON, by the file's extension; atomically.
   *
   * @return how many numbers were not finite and were written as null in JSON
   */
  public static int writeCloud(Path path, TokenCloud c) throws IOException {
    if (isNpy(path)) {
      Npy.write(path, new int[] {c.size(), c.dimension()}, c.toFlatArray());
      return 0;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", Json.schema("cloud"));
    m.putAll(cloudToJson(c));
    return Json.write(path, m);
  }

  /**
   * Reads one sequence per text: the texts of an extraction ({@code tokendyn.extraction/1}, as JSON or
   * as a folder with {@code index.json}), or else the one sequence that {@link #readSequence} reads.
   */
  public static List<CloudSequence> readSequences(Path path) throws IOException {
    return readTextSequences(path).stream().map(TextSequence::layers).toList();
  }

  /**
   * Reads one {@link TextSequence} per text, as {@link #readSequences}: an extraction's {@code special}
   * masks and {@code token_ids} are kept; where a file has no mask, special tokens are recognised by their
   * strings ({@link TextSequence#recognised}).
   */
  public static List<TextSequence> readTextSequences(Path path) throws IOException {
    Path index = Files.isDirectory(path) ? path.resolve("index.json") : null;
    if (index != null && Files.isRegularFile(index)) {
      JsonNode root = Json.readTree(index);
      if (Json.schema("extraction").equals(root.path("schema").asText())) {
        return extraction(root, path);
      }
    }
    if (!Files.isDirectory(path) && !isNpy(path) && Files.isRegularFile(path)) {
      try {
        return sequencesFromJson(Json.readTree(path), null);
      } catch (IllegalArgumentException e) {
        throw new IOException(path + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw e.getMessage() != null && e.getMessage().startsWith(path.toString()) ? e
            : new IOException(path + ": " + e.getMessage(), e);
      }
    }
    return List.of(TextSequence.recognised(npySequence(path)));
  }

  /**
   * The texts of a parsed JSON document: those of an extraction, or the one sequence it holds (special
   * tokens recognised by their strings, as {@link #readTextSequences}).
   *
   * @param folder where the {@code .npy} files of an extraction's index lie; null for inline JSON
   * @throws IOException when an extraction's hidden states cannot be read
   * @throws IllegalArgumentException when the document is not a sequence or an extraction
   */
  public static List<TextSequence> sequencesFromJson(JsonNode root, Path folder) throws IOException {
    if (!root.isObject()) {
      throw new IllegalArgumentException("expected a JSON object (a sequence, a simulation or an extraction)");
    }
    if (root.has("texts")) {
      return extraction(root, folder);
    }
    return List.of(TextSequence.recognised(sequenceFromJson(root)));
  }

  /** The texts of an extraction; hidden states inline (JSON) or in {@code .npy} files of {@code folder}. */
  private static List<TextSequence> extraction(JsonNode root, Path folder) throws IOException {
    JsonNode texts = root.path("texts");
    if (!texts.isArray() || texts.isEmpty()) {
      throw new IOException("the extraction holds no texts");
    }
    List<String> sites = new ArrayList<>();
    root.path("sites").forEach(x -> sites.add(x.asText()));
    List<Double> layers = new ArrayList<>();
    root.path("layers").forEach(x -> layers.add(x.asDouble()));
    List<TextSequence> out = new ArrayList<>();
    for (int t = 0; t < texts.size(); t++) {
      JsonNode text = texts.get(t);
      List<String> tokens = new ArrayList<>();
      text.path("tokens").forEach(x -> tokens.add(x.asText()));
      JsonNode hs = text.get("hidden_states");
      List<TokenCloud> clouds = new ArrayList<>();
      if (hs != null && hs.isTextual() && folder != null) {
        Path home = folder.toAbsolutePath().normalize();
        Path file = home.resolve(hs.asText()).normalize();
        if (!home.equals(file.getParent()) || !isNpy(file)) {
          throw new IOException(folder.resolve("index.json") + ": text " + t + " names hidden_states \""
              + hs.asText() + "\"; expected the name of a .npy file in the same folder");
        }
        Npy.Array a = Npy.read(file);
        int[] s = a.shape();
        if (s.length != 3) {
          throw new IOException(folder.resolve(hs.asText()) + ": expected hidden states of shape (layers, n, d), found "
              + java.util.Arrays.toString(s));
        }
        for (int l = 0; l < s[0]; l++) {
          double[] part = java.util.Arrays.copyOfRange(a.data(), l * s[1] * s[2], (l + 1) * s[1] * s[2]);
          clouds.add(new TokenCloud(s[1], s[2], part, null, tokens.size() == s[1] ? tokens : null));
        }
      } else if (hs != null && hs.isArray()) {
        for (JsonNode layer : hs) {
          ObjectNode c = Json.mapper().createObjectNode();
          c.set("points", layer);
          TokenCloud cloud = cloudFromJson(c);
          clouds.add(tokens.size() == cloud.size() ? cloud.withTokens(tokens) : cloud);
        }
      } else {
        throw new IOException("text " + t + " of the extraction has no hidden_states");
      }
      List<CloudSequence.Entry> entries = new ArrayList<>();
      for (int l = 0; l < clouds.size(); l++) {
        String label = l < sites.size() ? sites.get(l) : Integer.toString(l);
        double pos = l < layers.size() ? layers.get(l) : l;
        entries.add(new CloudSequence.Entry(label, pos, clouds.get(l)));
      }
      CloudSequence seq = new CloudSequence(CloudSequence.Axis.LAYER, entries);
      JsonNode special = text.get("special");
      JsonNode ids = text.get("token_ids");
      int n = clouds.get(0).size();
      if (special != null && special.isArray()) {
        if (special.size() != n) {
          throw new IOException("text " + t + " of the extraction has " + n + " tokens but " + special.size()
              + " entries in \"special\"");
        }
        boolean[] mask = new boolean[n];
        for (int i = 0; i < n; i++) {
          mask[i] = special.get(i).asBoolean();
        }
        long[] tokenIds = null;
        if (ids != null && ids.isArray() && ids.size() == n) {
          tokenIds = new long[n];
          for (int i = 0; i < n; i++) {
            tokenIds[i] = ids.get(i).asLong();
          }
        }
        out.add(new TextSequence(seq, tokenIds, mask));
      } else {
        TextSequence r = TextSequence.recognised(seq);
        if (ids != null && ids.isArray() && ids.size() == n) {
          long[] tokenIds = new long[n];
          for (int i = 0; i < n; i++) {
            tokenIds[i] = ids.get(i).asLong();
          }
          r = new TextSequence(seq, tokenIds, r.special());
        }
        out.add(r);
      }
    }
    return out;
  }

  /**
   * Reads a sequence from a JSON file, a 3-D {@code .npy} file or a folder of {@code .npy} files. An
   * extraction of several texts is read as their pooled tokens ({@link CloudSequence#pool}).
   */
  public static CloudSequence readSequence(Path path) throws IOException {
    List<CloudSequence> texts = readSequences(path);
    try {
      return CloudSequence.pool(texts);
    } catch (IllegalArgumentException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  /** A folder of {@code .npy} clouds, or one {@code .npy} array of shape (L, n, d). */
  private static CloudSequence npySequence(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      List<Path> files;
      try (Stream<Path> s = Files.list(path)) {
        files = s.filter(p -> isNpy(p) && Files.isRegularFile(p)).sorted().toList();
      }
      if (files.isEmpty()) {
        throw new IOException(path + ": folder holds no .npy files; a sequence needs at least one cloud");
      }
      List<CloudSequence.Entry> entries = new ArrayList<>();
      for (int l = 0; l < files.size(); l++) {
        String name = files.get(l).getFileName().toString();
        entries.add(new CloudSequence.Entry(name.substring(0, name.length() - 4), l, readCloud(files.get(l))));
      }
      return new CloudSequence(CloudSequence.Axis.LAYER, entries);
    }
    if (!Files.isRegularFile(path)) {
      throw new IOException(path + ": no such file or folder");
    }
    if (isNpy(path)) {
      Npy.Array a = Npy.read(path);
      int[] s = a.shape();
      if (s.length != 3) {
        throw new IOException(path + ": a sequence must be a 3-D array (layers, n, d), found shape "
            + java.util.Arrays.toString(s) + "; a 2-D array is a single cloud");
      }
      if (s[0] == 0) {
        throw new IOException(path + ": the sequence is empty (shape " + java.util.Arrays.toString(s) + ")");
      }
      List<TokenCloud> clouds = new ArrayList<>();
      int block = s[1] * s[2];
      for (int l = 0; l < s[0]; l++) {
        double[] part = java.util.Arrays.copyOfRange(a.data(), l * block, (l + 1) * block);
        try {
          clouds.add(TokenCloud.ofFlat(s[1], s[2], part));
        } catch (IllegalArgumentException e) {
          throw new IOException(path + ": cloud " + l + ": " + e.getMessage(), e);
        }
      }
      return CloudSequence.ofLayers(clouds);
    }
    throw new IOException(path + ": not a .npy file or a folder; a sequence in JSON must end in .json");
  }

  /** A sequence from a parsed JSON document: {@code clouds} or a simulation's {@code frames}. */
  public static CloudSequence sequenceFromJson(JsonNode root) {
    if (root.has("frames")) {
      if (!(root.get("frames") instanceof ArrayNode frames)) {
        throw new IllegalArgumentException("\"frames\" must be an array of frames");
      }
      return framesToSequence(frames);
    }
    JsonNode clouds = root.get("clouds");
    if (clouds == null || !clouds.isArray()) {
      throw new IllegalArgumentException("expected a \"clouds\" array (tokendyn.sequence/1) or the \"frames\" of a"
          + " simulation saved with --save-points");
    }
    CloudSequence.Axis axis = "time".equals(root.path("axis").asText("layer"))
        ? CloudSequence.Axis.TIME : CloudSequence.Axis.LAYER;
    List<CloudSequence.Entry> entries = new ArrayList<>();
    for (int l = 0; l < clouds.size(); l++) {
      JsonNode c = clouds.get(l);
      TokenCloud cloud;
      try {
        cloud = cloudFromJson(c);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cloud " + l + ": " + e.getMessage(), e);
      }
      String label = c.has("label") ? c.get("label").asText() : Integer.toString(l);
      double pos = c.has("position") ? c.get("position").asDouble() : l;
      entries.add(new CloudSequence.Entry(label, pos, cloud));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("\"clouds\" is empty; a sequence needs at least one cloud");
    }
    return new CloudSequence(axis, entries);
  }

  private static CloudSequence framesToSequence(ArrayNode frames) {
    List<CloudSequence.Entry> entries = new ArrayList<>();
    for (int f = 0; f < frames.size(); f++) {
      JsonNode fr = frames.get(f);
      if (!fr.has("points")) {
        throw new IllegalArgumentException("frame " + f + " has no points; rerun the simulation with --save-points");
      }
      double t = fr.path("time").asDouble(f);
      TokenCloud cloud;
      try {
        cloud = cloudFromJson(fr);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("frame " + f + ": " + e.getMessage(), e);
      }
      entries.add(new CloudSequence.Entry("t=" + t, t, cloud));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("\"frames\" is empty; a sequence needs at least one cloud");
    }
    return new CloudSequence(CloudSequence.Axis.TIME, entries);
  }

  /** The JSON document of a sequence ({@code tokendyn.sequence/1}). */
  public static Map<String, Object> sequenceToJson(CloudSequence seq) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", Json.schema("sequence"));
    m.put("axis", seq.axis().jsonName());
    List<Map<String, Object>> clouds = new ArrayList<>();
    for (CloudSequence.Entry e : seq.entries()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("label", e.label());
      c.put("position", e.position());
      c.putAll(cloudToJson(e.cloud()));
      clouds.add(c);
    }
    m.put("clouds", clouds);
    return m;
  }

  /**
   * Writes a sequence as JSON, or, when {@code path} does not end in {@code .json}, as a folder of
   * {@code .npy} files named {@code 000.npy}, {@code 001.npy}, ... plus {@code index.json}, all at once
   * ({@link AtomicFiles#writeFolder}: an existing folder is replaced only when tokendyn wrote it).
   *
   * @return how many numbers were not finite and were written as null in JSON
   */
  public static int writeSequence(Path path, CloudSequence seq) throws IOException {
    if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
      return Json.write(path, sequenceToJson(seq));
    }
    AtomicFiles.writeFolder(path, true, dir -> writeNpyFolder(dir, seq));
    return 0;
  }

  private static void writeNpyFolder(Path path, CloudSequence seq) throws IOException {
    List<Map<String, Object>> index = new ArrayList<>();
    for (int l = 0; l < seq.size(); l++) {
      String file = String.format(Locale.ROOT, "%03d.npy", l);
      TokenCloud c = seq.cloud(l);
      Npy.write(path.resolve(file), new int[] {c.size(), c.dimension()}, c.toFlatArray());
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("file", file);
      e.put("label", seq.label(l));
      e.put("position", seq.position(l));
      index.add(e);
    }
    ObjectNode idx = Json.mapper().createObjectNode();
    idx.put("schema", Json.schema("sequence-index"));
    idx.put("axis", seq.axis().jsonName());
    idx.set("clouds", Json.mapper().valueToTree(index));
    Json.write(path.resolve("index.json"), idx);
  }
}
