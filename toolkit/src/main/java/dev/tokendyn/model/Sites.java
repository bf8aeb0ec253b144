package dev.tokendyn.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Names of the activation sites that tokendyn extracts, as TransformerLens names its hooks.
 *
 * <p>Hidden state 0 (the embedding output, after BERT's embedding LayerNorm) is the residual stream
 * entering block 0, {@code blocks.0.hook_resid_pre}; hidden state l &gt;= 1 is the output of block l-1,
 * {@code blocks.(l-1).hook_resid_post}. For GPT-2 the last hidden state has the final LayerNorm applied
 * (as in Hugging Face's output_hidden_states), which TransformerLens calls
 * {@code ln_final.hook_normalized}. The attention probabilities of block l are
 * {@code blocks.l.attn.hook_pattern}.
 */
public final class Sites {
  private Sites() {}

  /** The site of hidden state {@code layer} (0..L) of a model with L blocks. */
  public static String hidden(Architecture arch, int layer, int layers) {
    if (layer < 0 || layer > layers) {
      throw new IllegalArgumentException("layer must lie in [0, " + layers + "], found " + layer);
    }
    if (layer == 0) {
      return "blocks.0.hook_resid_pre";
    }
    if (layer == layers && arch == Architecture.GPT2) {
      return "ln_final.hook_normalized";
    }
    return "blocks." + (layer - 1) + ".hook_resid_post";
  }

  /** The site of block {@code block}'s attention probabilities. */
  public static String pattern(int block) {
    if (block < 0) {
      throw new IllegalArgumentException("block must be >= 0, found " + block);
    }
    return "blocks." + block + ".attn.hook_pattern";
  }

  /**
   * Every activation site of a model with {@code layers} blocks, in the order of the forward pass: per
   * block, {@code hook_resid_pre}, {@code attn.hook_q}, {@code attn.hook_k}, {@code attn.hook_v},
   * {@code attn.hook_attn_scores}, {@code attn.hook_pattern}, {@code hook_attn_out}, {@code hook_resid_mid},
   * {@code hook_mlp_out}, {@code hook_resid_post}; for GPT-2 then {@code ln_final.hook_normalized}.
   * What each means for a post-LN (BERT) and a pre-LN (GPT-2) block is in {@link Site}.
   */
  public static List<String> all(Architecture arch, int layers) {
    List<String> out = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      for (Site s : Site.values()) {
        if (s.perBlock()) {
          out.add(s.name(l));
        }
      }
    }
    if (arch == Architecture.GPT2) {
      out.add(Site.LN_FINAL.name(-1));
    }
    return List.copyOf(out);
  }

  /** A site name resolved: what it is and in which block (-1 for the final LayerNorm). */
  public record Named(String name, Site kind, int block) {}

  /**
   * The sites that match any of the patterns, in the order of {@link #all}. A pattern is a site name in
   * which {@code *} matches any run of characters and {@code ?} one character ({@code blocks.*.hook_attn_out},
   * {@code blocks.3.attn.*}).
   *
   * @throws IllegalArgumentException naming a pattern that matches no site, with examples of the names
   */
  public static List<Named> select(Architecture arch, int layers, List<String> patterns) {
    List<String> names = all(arch, layers);
    boolean[] keep = new boolean[names.size()];
    for (String p : patterns) {
      java.util.regex.Pattern re = glob(p.strip());
      boolean any = false;
      for (int i = 0; i < names.size(); i++) {
        if (re.matcher(names.get(i)).matches()) {
          keep[i] = true;
          any = true;
        }
      }
      if (!any) {
        throw new IllegalArgumentException("site '" + p + "' matches none of the " + names.size() + " sites of this "
            + arch.modelType() + " model (blocks 0.." + (layers - 1) + "); names look like blocks.0.hook_attn_out or "
            + "blocks.*.attn.hook_pattern, and the full list is: " + String.join(", ", names.subList(0,
                Math.min(names.size(), 10))) + (names.size() > 10 ? ", ..." : ""));
      }
    }
    List<Named> out = new ArrayList<>();
    int per = 10;
    for (int i = 0; i < names.size(); i++) {
      if (keep[i]) {
        int block = i / per < layers ? i / per : -1;
        Site kind = block < 0 ? Site.LN_FINAL : blockSites()[i % per];
        out.add(new Named(names.get(i), kind, block));
      }
    }
    return List.copyOf(out);
  }

  private static Site[] blockSites() {
    return java.util.Arrays.stream(Site.values()).filter(Site::perBlock).toArray(Site[]::new);
  }

  private static java.util.regex.Pattern glob(String p) {
    StringBuilder re = new StringBuilder();
    for (char c : p.toCharArray()) {
      if (c == '*') {
        re.append(".*");
      } else if (c == '?') {
        re.append('.');
      } else {
        re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
      }
    }
    return java.util.regex.Pattern.compile(re.toString());
  }

  /** The sites of all L + 1 hidden states, in order. */
  public static List<String> hiddenStates(Architecture arch, int layers) {
    List<String> out = new ArrayList<>();
    for (int l = 0; l <= layers; l++) {
      out.add(hidden(arch, l, layers));
    }
    return List.copyOf(out);
  }
}
