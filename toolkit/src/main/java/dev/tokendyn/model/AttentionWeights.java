package dev.tokendyn.model;

/**
 * One block's multi-head attention sublayer in plain Java arrays: what {@link Site#ATTN_OUT} is a function
 * of, so that the sublayer can be run as a particle step outside the engine.
 *
 * <pre>
 *   z      = LN_1(h) (pre-LN, GPT-2) or h (post-LN, BERT)
 *   q, k, v = z W_q^T + b_q, z W_k^T + b_k, z W_v^T + b_v        per head: columns [h d_h, (h+1) d_h)
 *   out    = concat_h( softmax(q_h k_h^T / sqrt(d_h) + M) v_h ) W_o^T + b_o
 * </pre>
 * with M the causal mask for GPT-2. Every matrix is [out, in] row-major (y = W x + b), d x d.
 *
 * @param d width
 * @param heads H
 * @param wq queries (not scaled by 1/sqrt(d_h))
 * @param norm pre-LN gain and bias {@code [gain, bias]}, or null (post-LN)
 * @param eps the LayerNorm epsilon
 * @param causal whether a token sees only itself and earlier tokens
 */
public record AttentionWeights(int d, int heads, float[] wq, float[] bq, float[] wk, float[] bk, float[] wv, float[] bv,
    float[] wo, float[] bo, float[][] norm, double eps, boolean causal) {

  public AttentionWeights {
    if (heads < 1 || d % heads != 0) {
      throw new IllegalArgumentException("width " + d + " is not a multiple of " + heads + " heads");
    }
    for (float[] m : new float[][] {wq, wk, wv, wo}) {
      if (m.length != d * d) {
        throw new IllegalArgumentException("attention weights must be " + d + "x" + d + ", found " + m.length + " values");
      }
    }
    for (float[] b : new float[][] {bq, bk, bv, bo}) {
      if (b.length != d) {
        throw new IllegalArgumentException("attention biases must have " + d + " values, found " + b.length);
      }
    }
  }

  /**
   * The sublayer's output for one text, in float64.
   *
   * @param h the block's input, n x d row-major; not modified
   * @return n x d
   */
  public double[] apply(double[] h, int n) {
    if (h.length != n * d) {
      throw new IllegalArgumentException("input of " + h.length + " values is not n x d = " + n + " x " + d);
    }
    double[] z = norm == null ? h : layerNorm(h, n);
    double[] q = linear(z, n, wq, bq);
    double[] k = linear(z, n, wk, bk);
    double[] v = linear(z, n, wv, bv);
    int dh = d / heads;
    double scale = 1 / Math.sqrt(dh);
    double[] ctx = new double[n * d];
    double[] row = new double[n];
    for (int hd = 0; hd < heads; hd++) {
      int o = hd * dh;
      for (int i = 0; i < n; i++) {
        int seen = causal ? i + 1 : n;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < seen; j++) {
          double s = 0;
          for (int c = 0; c < dh; c++) {
            s += q[i * d + o + c] * k[j * d + o + c];
          }
          row[j] = s * scale;
          max = Math.max(max, row[j]);
        }
        double sum = 0;
        for (int j = 0; j < seen; j++) {
          row[j] = Math.exp(row[j] - max);
          sum += row[j];
        }
        for (int j = 0; j < seen; j++) {
          double p = row[j] / sum;
          for (int c = 0; c < dh; c++) {
            ctx[i * d + o + c] += p * v[j * d + o + c];
          }
        }
      }
    }
    return linear(ctx, n, wo, bo);
  }

  private double[] linear(double[] x, int n, float[] w, float[] b) {
    double[] y = new double[n * d];
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < d; r++) {
        double s = b[r];
        for (int c = 0; c < d; c++) {
          s += w[r * d + c] * x[i * d + c];
        }
        y[i * d + r] = s;
      }
    }
    return y;
  }

  private double[] layerNorm(double[] h, int n) {
    double[] z = new double[n * d];
    for (int i = 0; i < n; i++) {
      double mean = 0;
      for (int c = 0; c < d; c++) {
        mean += h[i * d + c];
      }
      mean /= d;
      double var = 0;
      for (int c = 0; c < d; c++) {
        double e = h[i * d + c] - mean;
        var += e * e;
      }
      var /= d;
      double inv = 1 / Math.sqrt(var + eps);
      for (int c = 0; c < d; c++) {
        z[i * d + c] = (h[i * d + c] - mean) * inv * norm[0][c] + norm[1][c];
      }
    }
    return z;
  }
}
