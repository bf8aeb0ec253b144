package dev.tokendyn.analysis;

import dev.tokendyn.sphere.Dynamics;

/** What replaces a block's attention sublayer in an {@link Intervention}. */
public enum Replacement {
  /** The idealised SA flow (Q = K = V = I) for the given time, from the block's input tokens. */
  SA(Dynamics.SA),
  /** The unnormalised attention flow. */
  USA(Dynamics.USA),
  /** The Sinkformer flow (doubly stochastic attention). */
  SINKFORMER(Dynamics.SINKFORMER),
  /** No attention sublayer: its output is zero. */
  ABLATE(null),
  /** Every token's attention output replaced by the mean over the text's tokens. */
  MEAN(null),
  /** The model's own output, unchanged: a check that the intervention path reproduces the plain pass. */
  IDENTITY(null);

  private final Dynamics dynamics;

  Replacement(Dynamics dynamics) {
    this.dynamics = dynamics;
  }

  /** The flow, or null for the replacements that are not one. */
  public Dynamics dynamics() {
    return dynamics;
  }

  /** Whether this replacement needs beta and a time. */
  public boolean isFlow() {
    return dynamics != null;
  }
}
