package dev.tokendyn.model;

import java.nio.FloatBuffer;

/** Copies one text's rows of a batch activation ({@link StateSink#site}) into its own array. */
final class SiteCopy {
  private SiteCopy() {}

  /** The per-text shape of a site (see {@link Site}). */
  static int[] shape(Site kind, int n, int d, int heads) {
    if (kind.perPair()) {
      return new int[] {heads, n, n};
    }
    if (kind.perHead()) {
      return new int[] {n, heads, d / heads};
    }
    return new int[] {n, d};
  }

  /**
   * Text {@code b}'s values: its first n rows of [B, T, d]; its slice of the fused [B, T, 3d] projection
   * for q, k and v (queries multiplied back by sqrt(d_h)); its n x n block of each head of [B, H, T, T].
   */
  static float[] text(Site kind, FloatBuffer v, int b, int n, int width, int d, int heads) {
    if (kind.perPair()) {
      float[] mine = new float[heads * n * n];
      for (int h = 0; h < heads; h++) {
        for (int q = 0; q < n; q++) {
          v.get(((b * heads + h) * width + q) * width, mine, (h * n + q) * n, n);
        }
      }
      return mine;
    }
    float[] mine = new float[n * d];
    if (kind.perHead()) {
      int part = kind == Site.Q ? 0 : kind == Site.K ? 1 : 2;
      for (int i = 0; i < n; i++) {
        v.get((b * width + i) * 3 * d + part * d, mine, i * d, d);
      }
      if (kind == Site.Q) {
        float unscale = (float) Math.sqrt(d / heads);
        for (int i = 0; i < mine.length; i++) {
          mine[i] *= unscale;
        }
      }
      return mine;
    }
    v.get(b * width * d, mine);
    return mine;
  }
}
