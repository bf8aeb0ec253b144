package dev.tokendyn.model;

import java.io.InputStream;
import java.util.Map;

/**
 * all-MiniLM-L6-v2's blocks written out in float64 from the ONNX file's weights, independently of the
 * engine's forward pass: the reference for the sites and for interventions.
 */
public final class MiniLmReference {
  private static final int D = 384;
  private static final int H = 12;
  private static final int DH = 32;
  private static final double EPS = 1e-12;

  private final Map<String, Tensor> w;

  private MiniLmReference(Map<String, Tensor> w) {
    this.w = w;
  }

  /** Reads the catalog's ONNX file. */
  public static MiniLmReference load() throws Exception {
    Catalog.Entry e = Catalog.find("all-minilm-l6-v2").orElseThrow();
    try (InputStream in = MiniLmReference.class.getClassLoader().getResourceAsStream(e.onnxResource())) {
      return new MiniLmReference(OnnxWeights.read(in, e.onnxResource()).tensors());
    }
  }

  /** x W + b with W stored [in, out], as in the ONNX file. */
  public double[] linear(double[] x, int n, String prefix) {
    Tensor wt = w.get(prefix + ".weight");
    float[] b = w.get(prefix + ".bias").data();
    int in = wt.dim(0);
    int out = wt.dim(1);
    double[] y = new double[n * out];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < out; o++) {
        double s = b[o];
        for (int c = 0; c < in; c++) {
          s += x[i * in + c] * wt.data()[c * out + o];
        }
        y[i * out + o] = s;
      }
    }
    return y;
  }

  public double[] layerNorm(double[] x, int n, String prefix) {
    float[] g = w.get(prefix + ".weight").data();
    float[] b = w.get(prefix + ".bias").data();
    double[] y = new double[x.length];
    for (int i = 0; i < n; i++) {
      double m = 0;
      for (int c = 0; c < D; c++) {
        m += x[i * D + c];
      }
      m /= D;
      double v = 0;
      for (int c = 0; c < D; c++) {
        v += (x[i * D + c] - m) * (x[i * D + c] - m);
      }
      v /= D;
      for (int c = 0; c < D; c++) {
        y[i * D + c] = (x[i * D + c] - m) / Math.sqrt(v + EPS) * g[c] + b[c];
      }
    }
    return y;
  }

  /** erf by Abramowitz and Stegun 7.1.26 (|error| <= 1.5e-7). */
  private static double erf(double x) {
    double t = 1 / (1 + 0.3275911 * Math.abs(x));
    double y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
        * Math.exp(-x * x);
    return x >= 0 ? y : -y;
  }

  /** The attention sublayer of block l: softmax(q k^T / sqrt(d_h)) v per head, then the output projection. */
  public double[] attention(double[] h, int n, int l, double[] scoresOut) {
    String p = "encoder.layer." + l + ".attention.";
    double[] q = linear(h, n, p + "self.query");
    double[] k = linear(h, n, p + "self.key");
    double[] v = linear(h, n, p + "self.value");
    double[] ctx = new double[n * D];
    for (int hd = 0; hd < H; hd++) {
      for (int i = 0; i < n; i++) {
        double[] s = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
          for (int c = 0; c < DH; c++) {
            s[j] += q[i * D + hd * DH + c] * k[j * D + hd * DH + c];
          }
          s[j] /= Math.sqrt(DH);
          scoresOut[(hd * n + i) * n + j] = s[j];
          max = Math.max(max, s[j]);
        }
        double z = 0;
        for (int j = 0; j < n; j++) {
          s[j] = Math.exp(s[j] - max);
          z += s[j];
        }
        for (int j = 0; j < n; j++) {
          for (int c = 0; c < DH; c++) {
            ctx[i * D + hd * DH + c] += s[j] / z * v[j * D + hd * DH + c];
          }
        }
      }
    }
    return linear(ctx, n, p + "output.dense");
  }

  /** The MLP of block l applied to its input a, before the residual add. */
  public double[] mlp(double[] a, int n, int l) {
    double[] up = linear(a, n, "encoder.layer." + l + ".intermediate.dense");
    for (int i = 0; i < up.length; i++) {
      up[i] = 0.5 * up[i] * (1 + erf(up[i] / Math.sqrt(2)));
    }
    return linear(up, n, "encoder.layer." + l + ".output.dense");
  }

  public static double[] plus(double[] a, double[] b) {
    double[] c = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i] + b[i];
    }
    return c;
  }


  /** Block l's output from its input h when its attention output is zero: LN_2(a + MLP(a)), a = LN_1(h). */
  public double[] blockWithoutAttention(double[] h, int n, int l) {
    double[] mid = layerNorm(h, n, "encoder.layer." + l + ".attention.output.LayerNorm");
    return layerNorm(plus(mid, mlp(mid, n, l)), n, "encoder.layer." + l + ".output.LayerNorm");
  }
}
