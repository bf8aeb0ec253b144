package dev.tokendyn.metrics;

/**
 * The measurements taken of each text of a corpus, one home for their JSON names, where they sit in a
 * report, and what they mean. Geometry is measured on the text's own tokens (special tokens left out by
 * default), since tokens interact only within their text.
 */
public enum TextMetric {
  MEAN_COSINE(Scope.LAYER, "mean_cosine",
      "Mean cosine between two distinct tokens of the text, (1/(n(n-1))) sum_{i!=j} cos(x_i, x_j)."),
  INTRA_TEXT_SIMILARITY(Scope.LAYER, "intra_text_similarity",
      "Mean cosine of each token to its text's mean vector (Ethayarajh 2019, intra-sentence similarity)."),
  CLUSTERS(Scope.LAYER, "clusters",
      "Connected components of the graph linking the text's tokens whose cosine exceeds the threshold."),
  CLUSTERED_FRACTION(Scope.LAYER, "clustered_fraction",
      "Fraction of the text's token pairs with cosine above 0.999."),
  EFFECTIVE_RANK(Scope.LAYER, "effective_rank",
      "exp of the entropy of the normalised singular values of the centred tokens (Roy and Vetterli 2007)."),
  STABLE_RANK(Scope.LAYER, "stable_rank", "|X - mean|_F^2 / sigma_max^2 of the centred tokens."),
  RANK_COLLAPSE(Scope.LAYER, "rank_collapse",
      "|X - 1 mean^T|_F / |X|_F: 0 when every token equals the mean (Dong, Cordonnier and Loukas 2021)."),
  INTRINSIC_DIMENSION(Scope.LAYER, "intrinsic_dimension",
      "TwoNN (Facco et al. 2017) over the text's distinct tokens, near-duplicates dropped; null below 1 or with"
          + " fewer than 20 tokens."),
  MEAN_NORM(Scope.LAYER, "mean_norm", "Mean Euclidean norm of the text's tokens."),
  MSD(Scope.LAYER, "msd", "Mean squared displacement from layer 0, (1/n) sum_i |x_i^l - x_i^0|^2."),
  MSD_SATURATION(Scope.LAYER, "msd_saturation",
      "MSD divided by its ceiling mean_i(|x_i^l|^2 + |x_i^0|^2), the MSD of uncorrelated states: near 1 the"
          + " displacement is bounded by the norms (confinement), not by the dynamics."),
  IDENTITY_COST(Scope.TRANSITION, "identity_cost",
      "Mean squared displacement of the text's tokens in one step, (1/n) sum_i |x_i^{l+1} - x_i^l|^2."),
  W2(Scope.TRANSITION, "w2",
      "Exact Wasserstein-2 distance between the text's token clouds at l and l+1 (uniform weights), in"
          + " embedding units."),
  ROTATIONAL_SHARE(Scope.TRANSITION, "rotational_share",
      "Share of the step's affine displacement field that is not a gradient: tr((A-S) Sigma (A-S)^T) /"
          + " tr(A Sigma A^T), S the symmetric solution of S Sigma + Sigma S = A Sigma + Sigma A^T, in the top k"
          + " principal components (Takatsu 2011; Castin et al. 2025); null for texts of fewer than 3k tokens."),
  AFFINE_R2(Scope.TRANSITION, "affine_r2",
      "Fraction of the step's displacement variance that the affine fit behind rotational_share explains."),
  PERSISTENCE(Scope.TRANSITION, "persistence",
      "Mean cosine between a token's previous step delta_{l-1} and this step delta_l: 1 straight, 0 a random"
          + " walk, below 0 back and forth; null for the first step."),
  DOUBLY_STOCHASTIC_DEFECT(Scope.TRANSITION, "doubly_stochastic_defect",
      "Mean over heads of block l's (1/n) sum_j |sum_i P_ij - 1|, all tokens: 0 when the attention is doubly"
          + " stochastic (Sander et al. 2022, Sinkformers); null without attention patterns."),
  DOUBLY_STOCHASTIC_DEFECT_PLAIN(Scope.TRANSITION, "doubly_stochastic_defect_plain",
      "The same over the tokens other than the special ones, each row renormalised over them."),
  GEODESIC_RATIO(Scope.SEQUENCE, "geodesic_ratio",
      "sum_l W2(mu_l, mu_{l+1}) / W2(mu_0, mu_L) over the text's token clouds, >= 1; 1 when the layers move"
          + " the cloud along a Wasserstein geodesic."),
  MSD_ALPHA(Scope.SEQUENCE, "msd_alpha",
      "Exponent of MSD ~ l^alpha (log-log least squares); read it with msd_saturation, since bounded norms"
          + " make it fall below 1 without any subdiffusion."),
  MEAN_PERSISTENCE(Scope.SEQUENCE, "mean_persistence", "The text's persistence averaged over its steps.");

  /** Where a measurement sits in a report. */
  public enum Scope {
    /** One value per layer, in {@code layers[]}. */
    LAYER,
    /** One value per step l -&gt; l+1, in {@code transitions[]}. */
    TRANSITION,
    /** One value per text, in {@code spreading}. */
    SEQUENCE
  }

  private final Scope scope;
  private final String jsonName;
  private final String description;

  TextMetric(Scope scope, String jsonName, String description) {
    this.scope = scope;
    this.jsonName = jsonName;
    this.description = description;
  }

  /** Where it sits. */
  public Scope scope() {
    return scope;
  }

  /** Its key in JSON. */
  public String jsonName() {
    return jsonName;
  }

  /** Its definition, for schemas and documentation. */
  public String description() {
    return description;
  }

  /** Whether it needs optimal transport (left out with transport off). */
  public boolean needsTransport() {
    return this == W2 || this == GEODESIC_RATIO;
  }
}
