package dev.tokendyn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head scaled dot-product attention, shared by the encoder and the decoder:
 * softmax(Q K^T / sqrt(d_h) + M) V per head, where M is 0 where a query may attend to a key and the
 * lowest float where it may not (padding, and for a causal model, later tokens). The 1/sqrt(d_h) is
 * folded into the query projection's weights when they are loaded.
 */
final class AttentionOps {
  private AttentionOps() {}

  /**
   * The additive mask [B, 1, T, T] (causal) or [B, 1, 1, T], created in {@code scope}; null when no
   * position is masked (a batch without padding in an encoder), so that the add is skipped.
   */
  static NDArray maskBias(NDManager scope, Batch batch, boolean causal) {
    int b = batch.size();
    int t = batch.width();
    float min = -Float.MAX_VALUE;
    if (!causal) {
      boolean padded = false;
      float[] m = new float[b * t];
      for (int i = 0; i < b; i++) {
        for (int j = batch.lengths()[i]; j < t; j++) {
          m[i * t + j] = min;
          padded = true;
        }
      }
      return padded ? scope.create(m, new Shape(b, 1, 1, t)) : null;
    }
    float[] m = new float[b * t * t];
    for (int i = 0; i < b; i++) {
      int len = batch.lengths()[i];
      for (int q = 0; q < t; q++) {
        for (int k = 0; k < t; k++) {
          if (k > q || k >= len) {
            m[(i * t + q) * t + k] = min;
          }
        }
      }
    }
    return scope.create(m, new Shape(b, 1, t, t));
  }

  /**
   * The attention output [B, T, d] and, when asked, the probabilities [B, H, T, T].
   *
   * @param qkv the fused projection [B, T, 3d]: queries (already scaled by 1/sqrt(d_h)), keys, values
   * @param mask from {@link #maskBias}, or null
   * @param probsOut receives the probabilities [B, H, T, T] while they exist, when non-null
   * @param scoresOut receives the masked scores [B, H, T, T] while they exist, when non-null
   */
  static NDArray attend(NDArray qkv, NDArray mask, int heads, java.util.function.Consumer<java.nio.FloatBuffer> probsOut,
      java.util.function.Consumer<java.nio.FloatBuffer> scoresOut) {
    Shape s = qkv.getShape();
    long b = s.get(0);
    long t = s.get(1);
    long d = s.get(2) / 3;
    NDArray split = qkv.reshape(b, t, 3, heads, d / heads).transpose(2, 0, 3, 1, 4);
    NDArray q = split.get(0);
    NDArray k = split.get(1);
    NDArray v = split.get(2);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
    if (mask != null) {
      scores.addi(mask);
    }
    if (scoresOut != null) {
      scoresOut.accept(StateSink.view(scores));
    }
    NDArray probs = scores.softmax(-1);
    scores.close();
    if (probsOut != null) {
      probsOut.accept(StateSink.view(probs));
    }
    NDArray ctx = probs.matMul(v);
    probs.close();
    NDArray out = ctx.transpose(0, 2, 1, 3).reshape(b, t, d);
    ctx.close();
    split.close();
    q.close();
    k.close();
    v.close();
    return out;
  }

  /**
   * The attention output [B, T, d] after the plan's edit of this block, or {@code out} itself when the plan
   * edits another block. Padding rows keep the model's values.
   *
   * @param h the block's input [B, T, d]; not modified
   * @param out the attention output [B, T, d]; closed when replaced
   */
  static NDArray edit(NDManager scope, Batch batch, int block, NDArray h, NDArray out, Plan plan) {
    if (plan.edit() == null || plan.editBlock() != block) {
      return out;
    }
    Shape s = out.getShape();
    int t = batch.width();
    int d = Math.toIntExact(s.get(2));
    float[] all = out.toFloatArray();
    float[] in = h.toFloatArray();
    for (int b = 0; b < batch.size(); b++) {
      int n = batch.lengths()[b];
      float[] mine = java.util.Arrays.copyOfRange(all, b * t * d, (b * t + n) * d);
      float[] input = java.util.Arrays.copyOfRange(in, b * t * d, (b * t + n) * d);
      float[] replaced = plan.edit().replace(plan.firstText() + b, input, mine, n, d);
      if (replaced.length != n * d) {
        throw new IllegalArgumentException("the attention edit of block " + block + " returned " + replaced.length
            + " values for " + n + " tokens of width " + d + "; expected " + n * d);
      }
      System.arraycopy(replaced, 0, all, b * t * d, n * d);
    }
    out.close();
    return scope.create(all, s);
  }

  /** The weights of a fused projection and an output projection, the queries' 1/sqrt(d_h) taken back out. */
  static AttentionWeights weights(Dense qkv, Dense o, int d, int heads, float[][] norm, double eps, boolean causal) {
    float[] w = qkv.weightValues();
    float[] b = qkv.biasValues();
    double unscale = Math.sqrt(d / heads);
    float[] wq = new float[d * d];
    float[] bq = new float[d];
    for (int i = 0; i < d * d; i++) {
      wq[i] = (float) (w[i] * unscale);
    }
    for (int i = 0; i < d; i++) {
      bq[i] = (float) (b[i] * unscale);
    }
    return new AttentionWeights(d, heads, wq, bq, java.util.Arrays.copyOfRange(w, d * d, 2 * d * d),
        java.util.Arrays.copyOfRange(b, d, 2 * d), java.util.Arrays.copyOfRange(w, 2 * d * d, 3 * d * d),
        java.util.Arrays.copyOfRange(b, 2 * d, 3 * d), o.weightValues(), o.biasValues(), norm, eps, causal);
  }

  /** The attention of block {@code block}, handing the plan's scores, probabilities, q, k and v to the sink. */
  static NDArray attend(NDArray qkv, NDArray mask, int heads, int block, Plan plan, StateSink sink) {
    for (Site s : new Site[] {Site.Q, Site.K, Site.V}) {
      if (plan.site(block, s)) {
        sink.site(s, block, StateSink.view(qkv));
      }
    }
    boolean keep = plan.keepAttention()[block];
    boolean pattern = plan.site(block, Site.PATTERN);
    return attend(qkv, mask, heads, keep || pattern ? p -> {
      if (keep) {
        sink.attention(block, p);
      }
      if (pattern) {
        sink.site(Site.PATTERN, block, p);
      }
    } : null, plan.site(block, Site.ATTN_SCORES) ? p -> sink.site(Site.ATTN_SCORES, block, p) : null);
  }

  static int checkBlock(int block, int blocks) {
    if (block < 0 || block >= blocks) {
      throw new IllegalArgumentException("block must lie in [0, " + (blocks - 1) + "], found " + block);
    }
    return block;
  }
}
