package dev.tokendyn.sphere;

/**
 * Where the tokens live. On the sphere each velocity is projected onto the tangent space and each step
 * ends by renormalising (Geshkovski, Letrouit, Polyanskiy, Rigollet); in Euclidean space neither
 * happens, x_i' = sum_j A_ij V x_j, the setting in which a Gaussian measure stays Gaussian (Castin, Ablin,
 * Carrillo, Peyr&eacute;, "A unified perspective on the dynamics of deep Transformers", 2025).
 */
public enum Geometry {
  /** Tokens on S^{d-1}: velocities projected by P_x, points renormalised after every step. */
  SPHERE,
  /** Tokens in R^d: no projection, no renormalisation. */
  EUCLIDEAN
}
