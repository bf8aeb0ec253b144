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
   */
  static NDArray attend(NDArray qkv, NDArray mask, int heads, java.util.function.Consumer<java.nio.FloatBuffer> probsOut) {
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
}
