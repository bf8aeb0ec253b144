package dev.tokendyn.model;

import java.nio.FloatBuffer;

/**
 * Receives a batch's activations while they are still in native memory, so that each text's rows are
 * copied out once, straight into its own arrays. The buffers are valid only during the call.
 */
interface StateSink {
  /** Hidden state {@code layer} of the batch, [B, T, d] row-major. */
  void hidden(int layer, FloatBuffer values);

  /** The attention probabilities of block {@code block}, [B, H, T, T] row-major. */
  void attention(int block, FloatBuffer probabilities);

  /**
   * An activation of block {@code block} (-1 for the final LayerNorm), in the batch's layout: [B, T, d] for
   * per-token sites, the fused projection [B, T, 3d] for {@link Site#Q}, {@link Site#K} and {@link Site#V}
   * (queries scaled by 1/sqrt(d_h)), [B, H, T, T] for scores and probabilities.
   */
  default void site(Site kind, int block, FloatBuffer values) {}

  /** A view of a contiguous float32 array's memory (a copy only where the engine cannot share it). */
  static FloatBuffer view(ai.djl.ndarray.NDArray a) {
    return a.toByteBuffer(true).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
  }
}
