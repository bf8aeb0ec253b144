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

  /** A view of a contiguous float32 array's memory (a copy only where the engine cannot share it). */
  static FloatBuffer view(ai.djl.ndarray.NDArray a) {
    return a.toByteBuffer(true).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
  }
}
