package dev.tokendyn.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny GPT-2 checkpoint (2 layers, width 8, 2 heads, a 12-word vocabulary) written by the test itself:
 * config.json, model.safetensors with the deterministic weights of reference/make_gpt2_reference.py,
 * and a word-level tokenizer.json.
 */
final class TinyGpt2 {
  private TinyGpt2() {}

  static JsonNode reference() throws IOException {
    try (InputStream in = TinyGpt2.class.getResourceAsStream("reference/gpt2-tiny.json")) {
      return Json.mapper().readTree(in);
    }
  }

  private static long hash32(long x) {
    x &= 0xFFFFFFFFL;
    x ^= x >>> 15;
    x = (x * 0x2C1B3C6DL) & 0xFFFFFFFFL;
    x ^= x >>> 12;
    x = (x * 0x297A2D39L) & 0xFFFFFFFFL;
    x ^= x >>> 15;
    return x;
  }

  private static Tensor make(int k, String name, String kind, long... shape) {
    int n = 1;
    for (long s : shape) {
      n *= (int) s;
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      double u = hash32(i * 0x9E3779B1L + k * 0x85EBCA77L + 0x165667B1L) / 4294967296.0 - 0.5;
      double x = switch (kind) {
        case "e" -> u;
        case "w" -> 0.6 * u;
        case "g" -> 1 + 0.4 * u;
        default -> 0.2 * u;
      };
      v[i] = (float) x;
    }
    return new Tensor(name, shape, v);
  }

  /** The weights in the order (and so with the seeds) of the reference script. */
  static List<Tensor> weights(JsonNode config) {
    int d = config.path("n_embd").asInt();
    int ff = 4 * d;
    List<Tensor> t = new ArrayList<>();
    t.add(make(t.size(), "wte.weight", "e", config.path("vocab_size").asInt(), d));
    t.add(make(t.size(), "wpe.weight", "e", config.path("n_positions").asInt(), d));
    for (int l = 0; l < config.path("n_layer").asInt(); l++) {
      String h = "h." + l + ".";
      t.add(make(t.size(), h + "ln_1.weight", "g", d));
      t.add(make(t.size(), h + "ln_1.bias", "b", d));
      t.add(make(t.size(), h + "attn.c_attn.weight", "w", d, 3 * d));
      t.add(make(t.size(), h + "attn.c_attn.bias", "b", 3 * d));
      t.add(make(t.size(), h + "attn.c_proj.weight", "w", d, d));
      t.add(make(t.size(), h + "attn.c_proj.bias", "b", d));
      t.add(make(t.size(), h + "ln_2.weight", "g", d));
      t.add(make(t.size(), h + "ln_2.bias", "b", d));
      t.add(make(t.size(), h + "mlp.c_fc.weight", "w", d, ff));
      t.add(make(t.size(), h + "mlp.c_fc.bias", "b", ff));
      t.add(make(t.size(), h + "mlp.c_proj.weight", "w", ff, d));
      t.add(make(t.size(), h + "mlp.c_proj.bias", "b", d));
    }
    t.add(make(t.size(), "ln_f.weight", "g", d));
    t.add(make(t.size(), "ln_f.bias", "b", d));
    return t;
  }

  /** A word-level tokenizer.json over the vocabulary, splitting on white space, no special tokens. */
  static Map<String, Object> tokenizer(JsonNode vocabList) {
    Map<String, Integer> vocab = new LinkedHashMap<>();
    for (int i = 0; i < vocabList.size(); i++) {
      vocab.put(vocabList.get(i).asText(), i);
    }
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("type", "WordLevel");
    model.put("vocab", vocab);
    model.put("unk_token", "[UNK]");
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("version", "1.0");
    t.put("truncation", null);
    t.put("padding", null);
    t.put("added_tokens", List.of());
    t.put("normalizer", null);
    t.put("pre_tokenizer", Map.of("type", "WhitespaceSplit"));
    t.put("post_processor", null);
    t.put("decoder", null);
    t.put("model", model);
    return t;
  }

  /** Writes the checkpoint into {@code dir} (created) and returns it. */
  static Path write(Path dir) throws IOException {
    JsonNode ref = reference();
    Files.createDirectories(dir);
    Json.write(dir.resolve("config.json"), ref.path("config"));
    SafetensorsWriter.write(dir.resolve("model.safetensors"), weights(ref.path("config")));
    Json.write(dir.resolve("tokenizer.json"), tokenizer(ref.path("vocab")));
    return dir;
  }
}
