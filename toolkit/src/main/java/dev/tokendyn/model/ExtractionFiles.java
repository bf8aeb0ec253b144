package dev.tokendyn.model;

import dev.tokendyn.cloud.AtomicFiles;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writing extractions ({@code tokendyn.extraction/1}), all at once or not at all.
 *
 * <p>As one JSON file:
 * <pre>
 * {"schema": "tokendyn.extraction/1",
 *  "model": {"name", "source", "architecture", "layers", "hidden", "heads", "max_positions"},
 *  "layers": [0, 3, 6], "sites": ["blocks.0.hook_resid_pre", ...],
 *  "texts": [{"text", "tokens", "token_ids",
 *             "hidden_states": [[[...d...] x n] x kept layers],
 *             "attentions": [{"block", "site", "probabilities": [[[...n...] x n] x heads]}]}]}
 * </pre>
 * As a directory: {@code text_00000.npy}, float32 of shape (kept layers, n, d), per text (which
 * {@code CloudFiles.readSequence} reads as a sequence), {@code text_00000.attn.npy} of shape
 * (kept blocks, heads, n, n) with attentions, and {@code index.json}: the JSON above with file names in
 * place of the arrays. The directory is written under a temporary name beside the target and renamed
 * when complete, so a failure leaves nothing behind.
 */
public final class ExtractionFiles {
  private ExtractionFiles() {}

  /** The {@code model} object of the JSON. */
  static Map<String, Object> model(ModelInfo info) {
    TransformerConfig c = info.config();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", info.name());
    m.put("source", info.source());
    m.put("architecture", c.architecture().modelType());
    m.put("layers", c.layers());
    m.put("hidden", c.hidden());
    m.put("heads", c.heads());
    m.put("max_positions", c.maxTokens());
    return m;
  }

  private static Map<String, Object> header(ModelInfo info, List<TextExtraction.HiddenState> kept) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schema", Json.schema("extraction"));
    m.put("model", model(info));
    m.put("layers", kept.stream().map(TextExtraction.HiddenState::layer).toList());
    m.put("sites", kept.stream().map(TextExtraction.HiddenState::site).toList());
    return m;
  }

  private static float[][] rows(float[] v, int n, int d) {
    float[][] r = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(v, i * d, r[i], 0, d);
    }
    return r;
  }

  /** Writes the whole extraction as one JSON file, atomically. */
  public static void writeJson(Path path, Extraction r) throws IOException {
    writeJson(path, r, null);
  }

  /**
   * Writes a hooked run as one JSON file, atomically: the extraction, and per text an {@code activations}
   * object from site name to its nested array ([n][d], [n][H][d_h] or [H][n][n]); the header lists the
   * recorded sites under {@code activation_sites}.
   */
  public static void writeJson(Path path, ModelInfo info, List<HookedText> run) throws IOException {
    writeJson(path, new Extraction(info, run.stream().map(HookedText::text).toList()), run);
  }

  /** The nested array of an activation, by its shape. */
  static Object nested(SiteActivation a) {
    int[] s = a.shape();
    float[] v = a.values();
    if (s.length == 2) {
      return rows(v, s[0], s[1]);
    }
    float[][][] out = new float[s[0]][s[1]][s[2]];
    for (int i = 0; i < s[0]; i++) {
      for (int j = 0; j < s[1]; j++) {
        System.arraycopy(v, (i * s[1] + j) * s[2], out[i][j], 0, s[2]);
      }
    }
    return out;
  }

  private static void writeJson(Path path, Extraction r, List<HookedText> hooked) throws IOException {
    Map<String, Object> root = header(r.model(), r.texts().get(0).hiddenStates());
    if (hooked != null && !hooked.get(0).activations().isEmpty()) {
      root.put("activation_sites", hooked.get(0).activations().stream().map(SiteActivation::name).toList());
    }
    List<Map<String, Object>> texts = new ArrayList<>();
    for (int ti = 0; ti < r.texts().size(); ti++) {
      TextExtraction t = r.texts().get(ti);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("text", t.text());
      m.put("tokens", t.tokens());
      m.put("token_ids", t.tokenIds());
      m.put("special", t.special());
      List<float[][]> hs = new ArrayList<>();
      for (TextExtraction.HiddenState h : t.hiddenStates()) {
        hs.add(rows(h.values(), t.size(), t.width()));
      }
      m.put("hidden_states", hs);
      if (!t.attentions().isEmpty()) {
        List<Map<String, Object>> at = new ArrayList<>();
        for (TextExtraction.AttentionPattern a : t.attentions()) {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("block", a.block());
          e.put("site", a.site());
          List<float[][]> heads = new ArrayList<>();
          int n = t.size();
          for (int h = 0; h < a.heads(); h++) {
            float[] one = java.util.Arrays.copyOfRange(a.probabilities(), h * n * n, (h + 1) * n * n);
            heads.add(rows(one, n, n));
          }
          e.put("probabilities", heads);
          at.add(e);
        }
        m.put("attentions", at);
      }
      if (hooked != null && !hooked.get(ti).activations().isEmpty()) {
        Map<String, Object> acts = new LinkedHashMap<>();
        for (SiteActivation a : hooked.get(ti).activations()) {
          acts.put(a.name(), nested(a));
        }
        m.put("activations", acts);
      }
      texts.add(m);
    }
    root.put("texts", texts);
    Json.write(path, root);
  }

  /**
   * Writes texts as they arrive into a directory of {@code .npy} files; {@link #commit()} puts the index
   * in place and the directory at its name. Closing without commit removes everything written.
   */
  public static final class NpyDirectory implements Extractor.TextSink, AutoCloseable {
    private final AtomicFiles.Folder folder;
    private final Path work;
    private final ModelInfo info;
    private final List<Map<String, Object>> index = new ArrayList<>();
    private List<TextExtraction.HiddenState> kept;

    /**
     * @param target the directory to create; it must not exist, or be empty
     * @throws IOException naming the target when it is a file or a non-empty directory, or its parent
     *     folder is missing
     */
    public NpyDirectory(Path target, ModelInfo info) throws IOException {
      this.info = info;
      this.folder = AtomicFiles.Folder.open(target, false);
      this.work = folder.path();
    }

    /**
     * As {@link #accept}, and each recorded site as {@code text_00000.<site>.npy} (float32 of the site's
     * shape), listed in the text's {@code activations} object.
     */
    public void accept(int i, HookedText h) throws IOException {
      accept(i, h.text());
      if (h.activations().isEmpty()) {
        return;
      }
      String base = String.format(Locale.ROOT, "text_%05d", i);
      Map<String, Object> files = new LinkedHashMap<>();
      for (SiteActivation a : h.activations()) {
        String f = base + "." + a.name() + ".npy";
        Npy.writeFloat32(work.resolve(f), a.shape(), a.values());
        files.put(a.name(), f);
      }
      index.get(index.size() - 1).put("activations", files);
      sites = h.activations().stream().map(SiteActivation::name).toList();
    }

    private List<String> sites;

    @Override
    public void accept(int i, TextExtraction t) throws IOException {
      if (kept == null) {
        kept = t.hiddenStates();
      }
      String base = String.format(Locale.ROOT, "text_%05d", i);
      int n = t.size();
      int d = t.width();
      float[] all = new float[t.hiddenStates().size() * n * d];
      int o = 0;
      for (TextExtraction.HiddenState h : t.hiddenStates()) {
        System.arraycopy(h.values(), 0, all, o, h.values().length);
        o += h.values().length;
      }
      Npy.writeFloat32(work.resolve(base + ".npy"), new int[] {t.hiddenStates().size(), n, d}, all);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", i);
      m.put("text", t.text());
      m.put("tokens", t.tokens());
      m.put("token_ids", t.tokenIds());
      m.put("special", t.special());
      m.put("hidden_states", base + ".npy");
      if (!t.attentions().isEmpty()) {
        int heads = t.attentions().get(0).heads();
        float[] p = new float[t.attentions().size() * heads * n * n];
        int q = 0;
        for (TextExtraction.AttentionPattern a : t.attentions()) {
          System.arraycopy(a.probabilities(), 0, p, q, a.probabilities().length);
          q += a.probabilities().length;
        }
        Npy.writeFloat32(work.resolve(base + ".attn.npy"), new int[] {t.attentions().size(), heads, n, n}, p);
        m.put("attentions", base + ".attn.npy");
        m.put("attention_sites", t.attentions().stream().map(TextExtraction.AttentionPattern::site).toList());
      }
      index.add(m);
    }

    /** Writes index.json and moves the finished directory to its name. */
    public void commit() throws IOException {
      if (kept == null) {
        throw new IllegalStateException("no text was written");
      }
      index.sort(Comparator.comparingInt(m -> (Integer) m.get("index")));
      Map<String, Object> root = header(info, kept);
      if (sites != null) {
        root.put("activation_sites", sites);
      }
      root.put("texts", index);
      Json.write(work.resolve("index.json"), root);
      folder.commit();
    }

    /** Removes the temporary directory unless committed. */
    @Override
    public void close() throws IOException {
      folder.close();
    }
  }
}
