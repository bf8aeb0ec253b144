package dev.tokendyn.model;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A loaded transformer with its tokenizer: turns texts into per-layer token representations.
 *
 * <pre>{@code
 * try (Extractor ex = Extractor.open("all-minilm-l6-v2")) {
 *   Extraction r = ex.extract(texts, ExtractOptions.defaults());
 * }
 * }</pre>
 *
 * <p>Texts are tokenised with the model's Hugging Face tokenizer (special tokens added, no padding),
 * grouped into batches of {@link ExtractOptions#batchSize()}, right-padded and masked, and run with
 * DJL's PyTorch engine in float32, one NDManager scope per batch. Every text is checked before the first
 * batch runs, so a bad text fails the call before any result is produced. DJL runs offline: the
 * engine's native library comes from the class path and is unpacked once into DJL's cache folder
 * ({@code DJL_CACHE_DIR}, default {@code ~/.djl.ai}).
 *
 * <p>Not thread-safe: use one extractor per thread.
 */
public final class Extractor implements AutoCloseable {
  static {
    // the natives are on the class path; never let DJL try the network
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
  }

  private final ModelInfo info;
  private final NDManager base;
  private final Transformer transformer;
  private final HuggingFaceTokenizer tokenizer;
  private final HuggingFaceTokenizer truncating;

  private Extractor(ModelInfo info, NDManager base, Transformer transformer, HuggingFaceTokenizer tokenizer,
      HuggingFaceTokenizer truncating) {
    this.info = info;
    this.base = base;
    this.transformer = transformer;
    this.tokenizer = tokenizer;
    this.truncating = truncating;
  }

  /** Receives each text's result as soon as its batch is done. */
  @FunctionalInterface
  public interface TextSink {
    /** @param index the text's position in the input list */
    void accept(int index, TextExtraction result) throws IOException;
  }

  /**
   * Opens a catalog model by name, or a local Hugging Face directory by path.
   *
   * @throws IllegalArgumentException when the name is neither in the catalog nor an existing directory;
   *     the message lists the catalog
   * @throws ModelException when the weights cannot be read or do not fit a supported architecture
   */
  public static Extractor open(String nameOrDirectory) throws ModelException {
    if (nameOrDirectory == null || nameOrDirectory.isBlank()) {
      throw new IllegalArgumentException("no model given; the catalog has: " + Catalog.names());
    }
    var entry = Catalog.find(nameOrDirectory);
    if (entry.isPresent()) {
      return open(entry.get());
    }
    Path dir = Path.of(nameOrDirectory);
    if (Files.isDirectory(dir)) {
      return open(dir);
    }
    throw new IllegalArgumentException("unknown model '" + nameOrDirectory + "': not in the catalog ("
        + Catalog.names() + ") and not a directory; give a catalog name or a Hugging Face model directory"
        + " (config.json, model.safetensors, tokenizer.json)");
  }

  /** Opens a catalog model. */
  public static Extractor open(Catalog.Entry entry) throws ModelException {
    ModelLoader.Loaded loaded = ModelLoader.catalog(entry);
    return assemble(loaded, () -> ModelLoader.resource(entry.tokenizerResource(), entry), entry.tokenizerResource());
  }

  /** Opens a Hugging Face model directory: config.json, model.safetensors and tokenizer.json. */
  public static Extractor open(Path directory) throws ModelException {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException(directory + " is not a directory");
    }
    ModelLoader.Loaded loaded = ModelLoader.directory(directory);
    Path tok = directory.resolve("tokenizer.json");
    return assemble(loaded, () -> Files.newInputStream(tok), tok.toString());
  }

  private interface Opener {
    InputStream open() throws IOException, ModelException;
  }

  private static Extractor assemble(ModelLoader.Loaded loaded, Opener tokenizerFile, String tokenizerName)
      throws ModelException {
    int maxTokens = loaded.info().config().maxTokens();
    HuggingFaceTokenizer plain = null;
    HuggingFaceTokenizer cut = null;
    NDManager base = null;
    try {
      try (InputStream in = tokenizerFile.open()) {
        plain = HuggingFaceTokenizer.newInstance(in, Map.of("addSpecialTokens", "true", "truncation", "false",
            "padding", "false", "modelMaxLength", Integer.toString(1 << 20)));
      } catch (RuntimeException e) {
        throw unreadableTokenizer(tokenizerName, e);
      }
      try (InputStream in = tokenizerFile.open()) {
        cut = HuggingFaceTokenizer.newInstance(in, Map.of("addSpecialTokens", "true", "truncation", "true",
            "padding", "false", "maxLength", Integer.toString(maxTokens), "modelMaxLength",
            Integer.toString(maxTokens)));
      } catch (RuntimeException e) {
        throw unreadableTokenizer(tokenizerName, e);
      }
      base = NDManager.newBaseManager(Device.cpu(), "PyTorch");
      Transformer t = ModelLoader.transformer(loaded, base);
      return new Extractor(loaded.info(), base, t, plain, cut);
    } catch (IOException | EngineException e) {
      closeQuietly(plain, cut, base);
      throw new ModelException(tokenizerName + ": cannot start the tokenizer or the engine: " + e.getMessage(), e);
    } catch (ModelException | RuntimeException e) {
      closeQuietly(plain, cut, base);
      throw e;
    }
  }

  /** The tokenizers library (Rust) says what is wrong but not with which file. */
  private static ModelException unreadableTokenizer(String file, RuntimeException e) {
    return new ModelException(file + ": not a readable Hugging Face tokenizer.json (" + e.getMessage()
        + "); give the tokenizer.json saved with the model", e);
  }

  private static void closeQuietly(HuggingFaceTokenizer a, HuggingFaceTokenizer b, NDManager m) {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (m != null) {
      m.close();
    }
  }

  /** What was loaded. */
  public ModelInfo info() {
    return info;
  }

  /** A text's tokens and ids, special tokens included. */
  record Tokens(List<String> tokens, long[] ids, long[] typeIds, boolean[] special) {}

  /**
   * Tokenises one text.
   *
   * @throws IllegalArgumentException when the text is empty, or longer than the model's maximum positions
   *     and {@code truncate} is false
   */
  Tokens tokenize(int index, String text, boolean truncate) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("text " + index + " is empty; every text needs at least one word");
    }
    Encoding e = (truncate ? truncating : tokenizer).encode(text);
    long[] ids = e.getIds();
    int max = info.config().maxTokens();
    if (ids.length > max) {
      throw new IllegalArgumentException("text " + index + " has " + ids.length + " tokens but " + info.name()
          + " takes at most " + max + " positions; shorten it or pass --truncate"
          + " (ExtractOptions.withTruncate(true)) to keep its first " + max + " tokens");
    }
    if (ids.length == 0) {
      throw new IllegalArgumentException("text " + index + " gives no tokens");
    }
    long[] mask = e.getSpecialTokenMask();
    boolean[] special = new boolean[ids.length];
    for (int i = 0; i < ids.length; i++) {
      special[i] = mask != null && i < mask.length && mask[i] != 0;
    }
    return new Tokens(Arrays.asList(e.getTokens()), ids, e.getTypeIds(), special);
  }

  /**
   * A text's token ids and special-tokens mask, as the model will see it.
   *
   * @param ids the token ids, special tokens included
   * @param special entry i is true when token i was added by the tokenizer
   */
  public record Tokenized(long[] ids, boolean[] special) {}

  /**
   * Tokenises the texts without running the model: what a corpus analysis plans with.
   *
   * @throws IllegalArgumentException on an empty text, or a text too long without truncate; the message
   *     names the text
   */
  public List<Tokenized> tokenize(List<String> texts, boolean truncate) {
    List<Tokenized> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      Tokens t = tokenize(i, texts.get(i), truncate);
      out.add(new Tokenized(t.ids(), t.special()));
    }
    return out;
  }

  /**
   * Runs the model over the texts and keeps everything in memory.
   *
   * @param texts at least one non-empty text; not modified
   * @throws IllegalArgumentException on an empty text, a text too long, or a layer that does not exist
   * @throws ModelException when the engine fails
   */
  public Extraction extract(List<String> texts, ExtractOptions options) throws ModelException {
    TextExtraction[] out = new TextExtraction[texts.size()];
    try {
      extract(texts, options, (i, r) -> out[i] = r);
    } catch (IOException e) {
      throw new IllegalStateException("collecting in memory cannot fail", e);
    }
    return new Extraction(info, Arrays.asList(out));
  }

  /**
   * Runs the model over the texts and hands each text's result to {@code sink} as soon as its batch is
   * done, so that memory stays bounded by one batch however many texts there are.
   *
   * @throws IOException when the sink fails; extraction stops there
   */
  public void extract(List<String> texts, ExtractOptions options, TextSink sink) throws ModelException, IOException {
    run(texts, options, Hooks.none(), (i, r) -> sink.accept(i, r.text()));
  }

  /** Receives each text's hooked result as soon as its batch is done. */
  @FunctionalInterface
  public interface HookedSink {
    /** @param index the text's position in the input list */
    void accept(int index, HookedText result) throws IOException;
  }

  /**
   * Runs the model with hooks and keeps everything in memory: the hidden states of {@code options}, the
   * sites of {@code hooks}, and the attention output of one block replaced when {@code hooks} has an edit.
   *
   * @throws IllegalArgumentException on a bad text, a layer or block that does not exist, or a site pattern
   *     that matches nothing
   */
  public List<HookedText> run(List<String> texts, ExtractOptions options, Hooks hooks) throws ModelException {
    HookedText[] out = new HookedText[texts.size()];
    try {
      run(texts, options, hooks, (i, r) -> out[i] = r);
    } catch (IOException e) {
      throw new IllegalStateException("collecting in memory cannot fail", e);
    }
    return Arrays.asList(out);
  }

  /** As {@link #run(List, ExtractOptions, Hooks)}, handing each text to {@code sink} when its batch is done. */
  public void run(List<String> texts, ExtractOptions options, Hooks hooks, HookedSink sink)
      throws ModelException, IOException {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("no texts given; give at least one");
    }
    TransformerConfig cfg = info.config();
    int[] kept = options.resolve(cfg.layers());
    boolean[] keepHidden = new boolean[cfg.layers() + 1];
    boolean[] keepAttention = new boolean[cfg.layers()];
    for (int l : kept) {
      keepHidden[l] = true;
      if (options.attentions() && l >= 1) {
        keepAttention[l - 1] = true;
      }
    }
    List<Sites.Named> sites = hooks.sites().isEmpty() ? List.of()
        : Sites.select(cfg.architecture(), cfg.layers(), hooks.sites());
    boolean[][] keepSite = new boolean[cfg.layers()][Site.values().length];
    boolean lnFinal = false;
    for (Sites.Named n : sites) {
      if (n.block() < 0) {
        lnFinal = true;
      } else {
        keepSite[n.block()][n.kind().ordinal()] = true;
      }
    }
    if (hooks.edit() != null && hooks.editBlock() >= cfg.layers()) {
      throw new IllegalArgumentException("block " + hooks.editBlock() + " does not exist: " + info.name()
          + " has blocks 0.." + (cfg.layers() - 1));
    }
    // every text is tokenised, and so checked, before the model runs, so that a bad one fails at once; the
    // tokens (with their strings, a few KB a text) are then made again batch by batch rather than kept for
    // the whole corpus, so that memory does not grow with the number of texts
    for (int i = 0; i < texts.size(); i++) {
      tokenize(i, texts.get(i), options.truncate());
    }
    for (int start = 0; start < texts.size(); start += options.batchSize()) {
      int end = Math.min(texts.size(), start + options.batchSize());
      List<Tokens> part = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        part.add(tokenize(i, texts.get(i), options.truncate()));
      }
      Plan plan = new Plan(keepHidden, keepAttention, keepSite, lnFinal, hooks.edit() == null ? -1 : hooks.editBlock(),
          hooks.edit(), start);
      List<HookedText> done = run(texts.subList(start, end), part, kept, plan, sites);
      for (int b = 0; b < done.size(); b++) {
        sink.accept(start + b, done.get(b));
      }
    }
  }

  /** The weights of block {@code block}'s attention sublayer, in plain Java arrays. */
  public AttentionWeights attentionWeights(int block) {
    return transformer.attentionWeights(block);
  }

  /**
   * The gain and bias {@code [gain, bias]} of the LayerNorm that produces hidden state {@code state} of a
   * post-LN model (BERT, RoBERTa, DistilBERT); null for GPT-2, whose hidden states are not normalised.
   */
  public float[][] outputNorm(int state) {
    return transformer.outputNorm(state);
  }

  /** One padded batch; each text's rows go straight from native memory into its own arrays. */
  private List<HookedText> run(List<String> texts, List<Tokens> part, int[] kept, Plan plan, List<Sites.Named> sites)
      throws ModelException {
    TransformerConfig cfg = info.config();
    int d = cfg.hidden();
    int heads = cfg.heads();
    int width = part.stream().mapToInt(t -> t.ids().length).max().orElseThrow();
    long[][] ids = new long[part.size()][width];
    long[][] types = new long[part.size()][width];
    int[] lengths = new int[part.size()];
    for (int b = 0; b < part.size(); b++) {
      Tokens t = part.get(b);
      System.arraycopy(t.ids(), 0, ids[b], 0, t.ids().length);
      System.arraycopy(t.typeIds(), 0, types[b], 0, t.typeIds().length);
      lengths[b] = t.ids().length;
    }
    // hidden[b][l] and attention[b][l] for text b and hidden-state index l
    float[][][] hidden = new float[part.size()][cfg.layers() + 1][];
    float[][][] attention = new float[part.size()][cfg.layers() + 1][];
    java.util.Map<String, float[][]> recorded = new java.util.HashMap<>();
    StateSink copy = new StateSink() {
      @Override
      public void site(Site kind, int block, FloatBuffer v) {
        float[][] per = new float[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
          per[b] = SiteCopy.text(kind, v, b, lengths[b], width, d, heads);
        }
        recorded.put(kind.name(block), per);
      }

      @Override
      public void hidden(int layer, FloatBuffer v) {
        for (int b = 0; b < lengths.length; b++) {
          float[] mine = new float[lengths[b] * d];
          v.get(b * width * d, mine);
          hidden[b][layer] = mine;
        }
      }

      @Override
      public void attention(int block, FloatBuffer p) {
        for (int b = 0; b < lengths.length; b++) {
          int n = lengths[b];
          float[] mine = new float[heads * n * n];
          for (int h = 0; h < heads; h++) {
            for (int q = 0; q < n; q++) {
              p.get(((b * heads + h) * width + q) * width, mine, (h * n + q) * n, n);
            }
          }
          attention[b][block + 1] = mine;
        }
      }
    };
    try (NDManager scope = base.newSubManager()) {
      transformer.forward(scope, new Batch(ids, types, lengths), plan, copy);
    } catch (EngineException e) {
      throw new ModelException(info.name() + ": the engine failed: " + e.getMessage(), e);
    }
    List<HookedText> out = new ArrayList<>();
    for (int b = 0; b < part.size(); b++) {
      Tokens t = part.get(b);
      List<TextExtraction.HiddenState> hs = new ArrayList<>();
      List<TextExtraction.AttentionPattern> ap = new ArrayList<>();
      for (int l : kept) {
        hs.add(new TextExtraction.HiddenState(l, Sites.hidden(cfg.architecture(), l, cfg.layers()), hidden[b][l]));
        if (attention[b][l] != null) {
          ap.add(new TextExtraction.AttentionPattern(l - 1, Sites.pattern(l - 1), heads, attention[b][l]));
        }
      }
      List<SiteActivation> acts = new ArrayList<>();
      for (Sites.Named n : sites) {
        acts.add(new SiteActivation(n.name(), n.kind(), n.block(),
            SiteCopy.shape(n.kind(), lengths[b], d, heads), recorded.get(n.name())[b]));
      }
      out.add(new HookedText(new TextExtraction(texts.get(b), t.tokens(), t.ids(), t.special(), d, hs, ap), acts));
    }
    return out;
  }

  /** Frees the weights and the tokenizers. */
  @Override
  public void close() {
    transformer.close();
    closeQuietly(tokenizer, truncating, base);
  }
}
