package dev.tokendyn.model;

import java.util.List;

/**
 * One text's result of a run with {@link Hooks}: the hidden states (and attention patterns) that
 * {@link Extractor#extract} gives, and the recorded sites in the order of {@link Sites#all}.
 */
public record HookedText(TextExtraction text, List<SiteActivation> activations) {
  public HookedText {
    java.util.Objects.requireNonNull(text, "text");
    activations = List.copyOf(activations);
  }

  /** The activation of a site by its full name. */
  public SiteActivation activation(String name) {
    for (SiteActivation a : activations) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    throw new IllegalArgumentException("site " + name + " was not recorded; recorded: "
        + activations.stream().map(SiteActivation::name).toList());
  }
}
