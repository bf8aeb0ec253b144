package dev.tokendyn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Multi-head scaled dot-product attention, shared by the encoder and the decoder:
 * softmax(Q K^T / sqrt(d_h) + M) V per head, where M is 0 where a query may attend to a key and the
 * lowest float where it may not (padding, and for a causal model, later tokens).
 */
final class AttentionOps {
  private AttentionOps() {}

  /** The additive mask [B, 1, T, T] (causal) or [B, 1, 1, T], created in {@code scope}. */
  static NDArray maskBias(NDManager scope, Batch batch, boolean causal) {
    int b = batch.size();
    int t = batch.width();
    float min = -Float.MAX_VALUE;
    if (!causal) {
      float[] m = new float[b * t];
      for (int i = 0; i < b; i++) {
        for (int j = batch.lengths()[i]; j < t; j++) {
          m[i * t + j] = min;
        }
      }
      return scope.create(m, new Shape(b, 1, 1, t));
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

  /** [B, T, d] to [B, H, T, d/H]. */
  static NDArray splitHeads(NDArray x, int heads) {
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);
    long d = s.get(2);
    return x.reshape(b, t, heads, d / heads).transpose(0, 2, 1, 3);
  }

  /**
   * The attention output [B, T, d] and, when asked, the probabilities [B, H, T, T].
   *
   * @param q queries [B, T, d], k keys, v values, all in the batch's scope
   * @param mask from {@link #maskBias}
   * @param probsOut one slot; receives the probabilities' values when non-null
   */
  static NDArray attend(NDArray q, NDArray k, NDArray v, NDArray mask, int heads, float[][] probsOut) {
    Shape s = q.getShape();
    long b = s.get(0);
    long t = s.get(1);
    long d = s.get(2);
    NDArray qh = splitHeads(q, heads);
    NDArray kh = splitHeads(k, heads);
    NDArray vh = splitHeads(v, heads);
    NDArray scores = qh.matMul(kh.transpose(0, 1, 3, 2)).div((float) Math.sqrt((double) d / heads)).add(mask);
    NDArray probs = scores.softmax(-1);
    if (probsOut != null) {
      probsOut[0] = probs.toFloatArray();
    }
    return probs.matMul(vh).transpose(0, 2, 1, 3).reshape(b, t, d);
  }
}
