package dev.tokendyn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dense layer against a hand-worked case and against a plain triple loop in double precision. */
class DenseTest {
  static {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void handWorkedCase() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      // W = [[1, 2], [0, -1], [3, 0]], b = [0.5, 0, -1]; x = [1, 1] and [2, -1]
      Dense layer = new Dense(m.create(new float[] {1, 2, 0, -1, 3, 0}, new Shape(3, 2)),
          m.create(new float[] {0.5f, 0, -1}));
      NDArray y = layer.apply(m.create(new float[] {1, 1, 2, -1}, new Shape(1, 2, 2)));
      assertThat(y.getShape()).isEqualTo(new Shape(1, 2, 3));
      assertThat(y.toFloatArray()).containsExactly(3.5f, -1, 2, 0.5f, 1, 5);
    }
  }

  /**
   * Batches below and above {@link Dense#MIN_IMAGES}, and widths for which the engine's AVX-512 convolution
   * is wrong on some processors (48 to 40, 64 to 80 and 512) beside widths for which it is right.
   */
  @Test
  void matchesLoopsInDoublePrecision() {
    Random r = new Random(345);
    for (int[] io : new int[][] {{48, 40}, {64, 80}, {64, 512}, {96, 96}, {64, 192}}) {
      for (int b : new int[] {1, Dense.MIN_IMAGES, 32}) {
        assertThat(worstError(r, b, 21, io[0], io[1])).as("%d to %d, batch of %d", io[0], io[1], b).isLessThan(1e-4);
      }
    }
  }

  /** The largest difference between the layer and loops in double precision, on Gaussian x, W and b. */
  private static double worstError(Random r, int b, int t, int in, int out) {
    float[] x = gaussian(r, b * t * in);
    float[] w = gaussian(r, out * in);
    float[] bias = gaussian(r, out);
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      Dense layer = new Dense(m.create(w, new Shape(out, in)), m.create(bias));
      float[] y = layer.apply(m.create(x, new Shape(b, t, in))).toFloatArray();
      assertThat(y).hasSize(b * t * out);
      double worst = 0;
      for (int row = 0; row < b * t; row++) {
        for (int o = 0; o < out; o++) {
          double s = bias[o];
          for (int i = 0; i < in; i++) {
            s += (double) x[row * in + i] * w[o * in + i];
          }
          worst = Math.max(worst, Math.abs(s - y[row * out + o]));
        }
      }
      return worst;
    }
  }

  @Test
  void rejectsShapesThatDoNotFit() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
      assertThatThrownBy(() -> new Dense(m.zeros(new Shape(3, 2)), m.zeros(new Shape(4))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(3, 2)").hasMessageContaining("(4)");
      Dense layer = new Dense(m.zeros(new Shape(3, 2)), m.zeros(new Shape(3)));
      assertThatThrownBy(() -> layer.apply(m.zeros(new Shape(1, 4, 5))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(1, 4, 5)").hasMessageContaining("(3, 2)");
    }
  }

  private static float[] gaussian(Random r, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }
}
