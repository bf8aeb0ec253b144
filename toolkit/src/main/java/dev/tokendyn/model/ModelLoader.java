package dev.tokendyn.model;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a catalog entry or a Hugging Face directory into a configuration and canonically named weights. */
final class ModelLoader {
  private ModelLoader() {}

  /** Weights under the names that {@link BertEncoder} or {@link Gpt2Decoder} expect, with their shape. */
  record Loaded(ModelInfo info, Map<String, Tensor> weights) {}

  static Loaded catalog(Catalog.Entry e) throws ModelException {
    OnnxWeights w;
    try (InputStream in = resource(e.onnxResource(), e)) {
      w = OnnxWeights.read(new java.io.BufferedInputStream(in, 1 << 20), e.onnxResource());
    } catch (IOException ex) {
      throw new ModelException(e.onnxResource() + ": cannot read: " + ex.getMessage(), ex);
    }
    int heads = w.heads().orElse(e.heads());
    if (heads != e.heads()) {
      throw new ModelException(e.onnxResource() + ": the graph splits attention into " + heads
          + " heads but the catalog says " + e.heads());
    }
    return new Loaded(new ModelInfo(e.name(), e.coordinates(), bertConfig(w.tensors(), heads, w.layerNormEps(),
        Architecture.BERT, 0, e.onnxResource())), w.tensors());
  }

  static InputStream resource(String name, Catalog.Entry e) throws ModelException {
    InputStream in = ModelLoader.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new ModelException(name + " is not on the class path; the jar " + e.coordinates()
          + " must be a dependency (build with Maven)");
    }
    return in;
  }

  /** The shape of a BERT-family model from its weights, for ONNX files that carry no config.json. */
  static TransformerConfig bertConfig(Map<String, Tensor> t, int heads, double eps, Architecture arch,
      int positionOffset, String source) throws ModelException {
    Tensor word = t.get("embeddings.word_embeddings.weight");
    Tensor pos = t.get("embeddings.position_embeddings.weight");
    Tensor inter = t.get("encoder.layer.0.intermediate.dense.weight");
    if (word == null || pos == null || inter == null || word.rank() != 2 || pos.rank() != 2 || inter.rank() != 2) {
      throw new ModelException(source + ": not a BERT encoder: the embeddings or the first feed-forward"
          + " weight are missing; tokendyn supports: " + Architecture.supported());
    }
    int layers = 0;
    while (t.containsKey("encoder.layer." + layers + ".output.dense.weight")) {
      layers++;
    }
    try {
      return new TransformerConfig(arch, layers, word.dim(1), heads, inter.dim(1), pos.dim(0), word.dim(0), eps,
          positionOffset);
    } catch (IllegalArgumentException ex) {
      throw new ModelException(source + ": " + ex.getMessage(), ex);
    }
  }

  /** How to turn a PyTorch checkpoint into safetensors, with the Hugging Face tools. */
  static final String CONVERT_BIN = "convert it once with transformers: python3 -c \"from transformers import"
      + " AutoModel; AutoModel.from_pretrained('DIR').save_pretrained('DIR', safe_serialization=True)\"";

  /**
   * A Hugging Face directory: config.json, tokenizer.json and the weights, model.safetensors or a sharded
   * checkpoint (model.safetensors.index.json and its shards). A directory of the Hugging Face cache
   * ({@code models--org--name/snapshots/<hash>/}) works as it is.
   */
  static Loaded directory(Path dir) throws ModelException {
    Path configFile = dir.resolve("config.json");
    Path weightsFile = dir.resolve("model.safetensors");
    Path index = dir.resolve("model.safetensors.index.json");
    if (!Files.isRegularFile(weightsFile) && !Files.isRegularFile(index)) {
      for (String bin : new String[] {"pytorch_model.bin", "pytorch_model.bin.index.json"}) {
        if (Files.exists(dir.resolve(bin))) {
          throw new ModelException(dir.resolve(bin) + ": PyTorch pickle checkpoints are not loaded (unpickling runs"
              + " code, and there is no Python here); " + CONVERT_BIN.replace("DIR", dir.toString())
              + ", or download model.safetensors instead");
        }
      }
      throw new ModelException(weightsFile + ": no such file; a Hugging Face model directory holds config.json,"
          + " model.safetensors (or model.safetensors.index.json and its shards) and tokenizer.json");
    }
    for (Path p : new Path[] {configFile, dir.resolve("tokenizer.json")}) {
      if (!Files.isRegularFile(p)) {
        throw new ModelException(p + ": no such file; a Hugging Face model directory holds config.json,"
            + " model.safetensors and tokenizer.json");
      }
    }
    JsonNode c = readConfig(configFile);
    Map<String, Tensor> raw = Files.isRegularFile(weightsFile) ? Safetensors.read(weightsFile)
        : Safetensors.readSharded(index);
    String name = directoryName(dir, c);
    String source = dir.toAbsolutePath().normalize().toString();
    return fromConfig(configFile, c, raw, name, source);
  }

  /**
   * Reads {@code config.json}: a JSON object whose {@code model_type} is supported.
   *
   * @throws ModelException naming the file when it is not such an object
   */
  static JsonNode readConfig(Path configFile) throws ModelException {
    JsonNode c;
    try {
      c = Json.readTree(configFile);
    } catch (IOException e) {
      throw new ModelException(configFile + ": not readable JSON: " + e.getMessage(), e);
    }
    if (!c.isObject()) {
      throw new ModelException(configFile + ": expected a JSON object with \"model_type\" and the model's sizes");
    }
    try {
      Architecture.ofModelType(c.path("model_type").asText(null));
    } catch (IllegalArgumentException e) {
      throw new ModelException(configFile + ": " + e.getMessage(), e);
    }
    return c;
  }

  /**
   * The configuration that {@code config.json} ({@link #readConfig}) describes, with the weights renamed
   * for it.
   *
   * @throws ModelException naming the file when it lacks or misstates a size
   */
  static Loaded fromConfig(Path configFile, JsonNode c, Map<String, Tensor> raw, String name, String source)
      throws ModelException {
    try {
      Architecture arch = Architecture.ofModelType(c.path("model_type").asText(null));
      return switch (arch) {
        case BERT, ROBERTA -> bertDirectory(c, raw, arch, name, source, configFile);
        case DISTILBERT -> distilbertDirectory(c, raw, name, source, configFile);
        case GPT2 -> gpt2Directory(c, raw, name, source, configFile);
      };
    } catch (IllegalArgumentException e) {
      throw new ModelException(configFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * The model's name: config.json's {@code _name_or_path} when it names a Hub repository; else, in the
   * Hugging Face cache, the repository of {@code models--org--name/snapshots/<hash>/} as {@code org/name};
   * else the last element of a local {@code _name_or_path}, or the directory's name. Never the snapshot hash.
   */
  static String directoryName(Path dir, JsonNode config) {
    String given = config.path("_name_or_path").asText("").strip();
    boolean local = given.startsWith("/") || given.startsWith(".") || given.startsWith("~") || given.contains("\\");
    if (!given.isEmpty() && !local) {
      return given;
    }
    Path abs = dir.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent != null && parent.getFileName() != null && parent.getFileName().toString().equals("snapshots")
        && parent.getParent() != null && parent.getParent().getFileName() != null) {
      String repo = parent.getParent().getFileName().toString();
      return repo.startsWith("models--") ? repo.substring("models--".length()).replace("--", "/") : repo;
    }
    Path last = given.isEmpty() ? null : Path.of(given).normalize().getFileName();
    return last != null && !last.toString().isEmpty() ? last.toString() : abs.getFileName().toString();
  }

  private static int required(JsonNode c, String key, Path file) {
    JsonNode v = c.get(key);
    if (v == null || !v.canConvertToInt()) {
      throw new IllegalArgumentException("missing or non-integer \"" + key + "\"");
    }
    return v.asInt();
  }

  private static Loaded bertDirectory(JsonNode c, Map<String, Tensor> raw, Architecture arch, String name,
      String source, Path file) throws ModelException {
    String act = c.path("hidden_act").asText("gelu");
    if (!act.equals("gelu")) {
      throw new ModelException(file + ": hidden_act '" + act + "' is not supported; BERT-family models need 'gelu'");
    }
    String prefix = arch == Architecture.ROBERTA ? "roberta." : "bert.";
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (Tensor t : raw.values()) {
      String n = t.name().startsWith(prefix) ? t.name().substring(prefix.length()) : t.name();
      // PyTorch's Linear keeps weight [out, in]; the encoder multiplies by [in, out]
      if (n.startsWith("encoder.") && n.endsWith(".weight") && t.rank() == 2) {
        t = t.transposed();
      }
      w.put(n, t.renamed(n));
    }
    int offset = arch == Architecture.ROBERTA ? c.path("pad_token_id").asInt(1) + 1 : 0;
    TransformerConfig cfg = new TransformerConfig(arch, required(c, "num_hidden_layers", file),
        required(c, "hidden_size", file), required(c, "num_attention_heads", file),
        required(c, "intermediate_size", file), required(c, "max_position_embeddings", file),
        required(c, "vocab_size", file), c.path("layer_norm_eps").asDouble(1e-12), offset);
    return new Loaded(new ModelInfo(name, source, cfg), w);
  }

  /** DistilBERT's module names inside a block, and the BERT names that {@link BertEncoder} reads for them. */
  private static final Map<String, String> DISTILBERT_NAMES = Map.of(
      "attention.q_lin", "attention.self.query",
      "attention.k_lin", "attention.self.key",
      "attention.v_lin", "attention.self.value",
      "attention.out_lin", "attention.output.dense",
      "sa_layer_norm", "attention.output.LayerNorm",
      "ffn.lin1", "intermediate.dense",
      "ffn.lin2", "output.dense",
      "output_layer_norm", "output.LayerNorm");

  private static final Pattern DISTILBERT_BLOCK =
      Pattern.compile("transformer\\.layer\\.(\\d+)\\.(.+)\\.(weight|bias)");

  /**
   * A DistilBERT directory, renamed onto BERT: {@code transformer.layer.i.attention.q_lin.weight} becomes
   * {@code encoder.layer.i.attention.self.query.weight}, and so on; the embeddings keep their names and
   * there is no token type table. Names outside the encoder (task heads) pass through unread.
   */
  private static Loaded distilbertDirectory(JsonNode c, Map<String, Tensor> raw, String name, String source,
      Path file) throws ModelException {
    String act = c.path("activation").asText("gelu");
    if (!act.equals("gelu")) {
      throw new ModelException(file + ": activation '" + act + "' is not supported; DistilBERT models need 'gelu'");
    }
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (Tensor t : raw.values()) {
      String n = t.name().startsWith("distilbert.") ? t.name().substring("distilbert.".length()) : t.name();
      Matcher m = DISTILBERT_BLOCK.matcher(n);
      if (m.matches() && DISTILBERT_NAMES.containsKey(m.group(2))) {
        n = "encoder.layer." + m.group(1) + "." + DISTILBERT_NAMES.get(m.group(2)) + "." + m.group(3);
        // PyTorch's Linear keeps weight [out, in]; the encoder multiplies by [in, out]
        if (m.group(3).equals("weight") && t.rank() == 2) {
          t = t.transposed();
        }
      }
      if (w.put(n, t.renamed(n)) != null) {
        throw new ModelException(source + ": the weight " + n + " appears both with and without the prefix"
            + " 'distilbert.'");
      }
    }
    TransformerConfig cfg = new TransformerConfig(Architecture.DISTILBERT, required(c, "n_layers", file),
        required(c, "dim", file), required(c, "n_heads", file), required(c, "hidden_dim", file),
        required(c, "max_position_embeddings", file), required(c, "vocab_size", file), 1e-12, 0);
    return new Loaded(new ModelInfo(name, source, cfg), w);
  }

  private static Loaded gpt2Directory(JsonNode c, Map<String, Tensor> raw, String name, String source, Path file)
      throws ModelException {
    String act = c.path("activation_function").asText("gelu_new");
    if (!act.equals("gelu_new")) {
      throw new ModelException(file + ": activation_function '" + act
          + "' is not supported; GPT-2 models need 'gelu_new'");
    }
    Map<String, Tensor> w = new LinkedHashMap<>();
    for (Tensor t : raw.values()) {
      String n = t.name().startsWith("transformer.") ? t.name().substring("transformer.".length()) : t.name();
      w.put(n, t.renamed(n));
    }
    int d = required(c, "n_embd", file);
    JsonNode inner = c.get("n_inner");
    int ff = inner == null || inner.isNull() ? 4 * d : inner.asInt();
    TransformerConfig cfg = new TransformerConfig(Architecture.GPT2, required(c, "n_layer", file), d,
        required(c, "n_head", file), ff, required(c, "n_positions", file), required(c, "vocab_size", file),
        c.path("layer_norm_epsilon").asDouble(1e-5), 0);
    return new Loaded(new ModelInfo(name, source, cfg), w);
  }

  /** The forward pass for the loaded weights; its arrays live in a sub-manager of {@code base}. */
  static Transformer transformer(Loaded l, NDManager base) throws ModelException {
    return switch (l.info().config().architecture()) {
      case BERT, ROBERTA, DISTILBERT -> new BertEncoder(l.info().config(), l.weights(), l.info().source(), base);
      case GPT2 -> new Gpt2Decoder(l.info().config(), l.weights(), l.info().source(), base);
    };
  }
}
