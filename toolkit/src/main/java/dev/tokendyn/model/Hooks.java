package dev.tokendyn.model;

import java.util.List;

/**
 * What a run records beyond the hidden states, and what it changes: activation sites chosen by name or
 * glob ({@link Sites#select}), and at most one block whose attention output an {@link AttentionEdit}
 * replaces.
 *
 * @param sites site names or globs, such as {@code blocks.*.hook_attn_out}; empty for none
 * @param editBlock the block (0-based) whose attention output {@code edit} replaces; ignored without an edit
 * @param edit the replacement, or null for the plain forward pass
 */
public record Hooks(List<String> sites, int editBlock, AttentionEdit edit) {
  public Hooks {
    sites = List.copyOf(sites);
    if (edit != null && editBlock < 0) {
      throw new IllegalArgumentException("the edited block must be >= 0, found " + editBlock);
    }
  }

  /** No sites and no edit. */
  public static Hooks none() {
    return new Hooks(List.of(), -1, null);
  }

  /** Record these sites. */
  public static Hooks sites(List<String> patterns) {
    return new Hooks(patterns, -1, null);
  }

  /** The same sites, and replace block {@code block}'s attention output. */
  public Hooks withEdit(int block, AttentionEdit replacement) {
    return new Hooks(sites, block, replacement);
  }
}
