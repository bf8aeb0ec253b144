package dev.tokendyn.sphere;

/**
 * The attention dynamics on the sphere S^{d-1}, with P_x(y) = y - &lt;x,y&gt; x the projection onto the
 * tangent space at x (Geshkovski, Letrouit, Polyanskiy, Rigollet, "A mathematical perspective on
 * Transformers", 2023; Sander, Ablin, Blondel, Peyr&eacute;, "Sinkformers", 2022).
 */
public enum Dynamics {
  /** Softmax self-attention: dx_i/dt = P_{x_i}( sum_j softmax_j(beta &lt;Q x_i, K x_j&gt;) V x_j ). */
  SA,
  /** Unnormalised self-attention: dx_i/dt = P_{x_i}( (1/n) sum_j exp(beta &lt;Q x_i, K x_j&gt;) V x_j ). */
  USA,
  /**
   * Sinkformer: the matrix exp(beta &lt;Q x_i, K x_j&gt;) scaled by alternating row and column
   * normalisations (Sinkhorn iterations, rows first), so that it tends to a doubly stochastic matrix;
   * one iteration is the row softmax of SA.
   */
  SINKFORMER
}
