package dev.tokendyn.analysis;

import dev.tokendyn.model.AttentionWeights;
import dev.tokendyn.model.HookedText;
import dev.tokendyn.model.TextExtraction;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's own attention sublayer run as a particle step, against the layer it belongs to: how much of
 * each layer's displacement the attention explains, and how much is left to the MLP.
 *
 * <p>For the block that makes hidden state l from h = hidden state l-1, with a the residual stream after
 * the attention sublayer ({@code hook_resid_mid}: LN_1(h + attn_out) post-LN, h + attn_out pre-LN) and y
 * the block's output, all on the unit sphere (x / |x|):
 * <pre>
 *   attention_explained = 1 - sum_i |y_i - a_i|^2 / sum_i |y_i - h_i|^2      (the step h -&gt; a alone)
 *   mlp_left            = sum_i |y_i - a_i|^2 / sum_i |y_i - h_i|^2            (what the MLP must still do)
 * </pre>
 * summed over every token of every text. The particle step itself is computed outside the engine, from the
 * block's multi-head W_Q, W_K, W_V, W_O and biases ({@link AttentionWeights#apply}), and
 * {@code flow_error} = ||step(h) - attn_out||_F / ||attn_out||_F against the extracted
 * {@code hook_attn_out}, so that the numbers are about the model's own attention.
 *
 * @param layers hidden states 1..L
 */
public record AttentionFlow(List<Layer> layers) {
  /** The sites a run must record for {@link #of}. */
  public static final List<String> SITES = List.of("blocks.*.hook_attn_out", "blocks.*.hook_resid_mid");

  /** One block, by the hidden state it makes. */
  public record Layer(int layer, double attentionExplained, double mlpLeft, double flowError) {}

  /**
   * @param run every hidden state and the {@link #SITES} of every block
   * @param weights block b's attention weights at index b
   */
  public static AttentionFlow of(List<HookedText> run, List<AttentionWeights> weights) {
    List<Layer> out = new ArrayList<>();
    for (int b = 0; b < weights.size(); b++) {
      double left = 0;
      double whole = 0;
      double err = 0;
      double size = 0;
      for (HookedText t : run) {
        TextExtraction x = t.text();
        int n = x.size();
        int d = x.width();
        float[] h = x.state(b).values();
        float[] y = x.state(b + 1).values();
        float[] a = t.activation("blocks." + b + ".hook_resid_mid").values();
        float[] o = t.activation("blocks." + b + ".hook_attn_out").values();
        double[] hd = new double[h.length];
        for (int i = 0; i < h.length; i++) {
          hd[i] = h[i];
        }
        double[] step = weights.get(b).apply(hd, n);
        for (int i = 0; i < n * d; i++) {
          err += (step[i] - o[i]) * (step[i] - o[i]);
          size += (double) o[i] * o[i];
        }
        for (int i = 0; i < n; i++) {
          double nh = norm(h, i, d);
          double ny = norm(y, i, d);
          double na = norm(a, i, d);
          for (int k = 0; k < d; k++) {
            double yk = y[i * d + k] / ny;
            double ak = a[i * d + k] / na;
            double hk = h[i * d + k] / nh;
            left += (yk - ak) * (yk - ak);
            whole += (yk - hk) * (yk - hk);
          }
        }
      }
      out.add(new Layer(b + 1, 1 - left / whole, left / whole, Math.sqrt(err / size)));
    }
    return new AttentionFlow(List.copyOf(out));
  }

  private static double norm(float[] v, int i, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      s += (double) v[i * d + k] * v[i * d + k];
    }
    return Math.sqrt(s);
  }
}
