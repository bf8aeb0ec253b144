package dev.tokendyn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import java.util.Random;

/**
 * A dense layer over the last axis, y = x W^T + b, for x of shape [B, T, in] and y of shape [B, T, out].
 *
 * <p>Where it can, it runs as a 1x1 convolution over the channels-last view [B, in, T, 1] of x, which
 * shares x's memory; the result [B, out, T, 1] comes back channels-last, so that it is already
 * [B, T, out] in memory. The engine hands such convolutions to oneDNN, which picks its kernels by the
 * instructions that the CPU has (AVX-512 where present), whereas its matrix product goes to MKL, which
 * runs only AVX2 kernels on processors that are not Intel's. On an AMD EPYC with AVX-512 the MiniLM
 * projections of a batch of 32 x 128 tokens ran at about 240 GFLOP/s this way against 160 as a matrix
 * product. The sums agree up to float32 rounding in another order.
 *
 * <p>Two cases keep the matrix product. Batches of fewer than {@value #MIN_IMAGES} texts: the engine runs
 * a convolution of so few images with its own slower loops. And layers whose convolution does not give
 * the matrix product's sums on this CPU: the AVX-512 1x1 convolution of the engine's oneDNN returns wrong
 * sums for some output widths on some processors (on an AMD EPYC, 40, 80 and 512 among others, whatever
 * the batch and the input width), so each layer checks once, when it is built, that both agree on a probe
 * batch.
 */
final class Dense {
  /** The fewest texts in a batch for which the convolution is used. */
  static final int MIN_IMAGES = 16;

  private static final int PROBE_TOKENS = 3;
  private static final Shape ONE = new Shape(1, 1);
  private static final Shape NONE = new Shape(0, 0);

  private final NDArray weight;
  private final NDArray kernel;
  private final NDArray bias;
  private final boolean convolve;

  /**
   * @param weight [out, in], not modified; the layer keeps it and a [out, in, 1, 1] view of it
   * @param bias [out], not modified
   * @throws IllegalArgumentException when the shapes do not fit
   */
  Dense(NDArray weight, NDArray bias) {
    Shape w = weight.getShape();
    Shape b = bias.getShape();
    if (w.dimension() != 2 || b.dimension() != 1 || w.get(0) != b.get(0)) {
      throw new IllegalArgumentException("a dense layer needs weight [out, in] and bias [out], found " + w + " and " + b);
    }
    this.weight = weight;
    this.kernel = weight.reshape(w.get(0), w.get(1), 1, 1);
    this.bias = bias;
    this.convolve = convolutionAgrees();
  }

  /** W as [out, in], row-major, copied. */
  float[] weightValues() {
    return weight.toFloatArray();
  }

  /** b, copied. */
  float[] biasValues() {
    return bias.toFloatArray();
  }

  /** Whether this layer runs as a convolution on batches of at least {@value #MIN_IMAGES} texts. */
  boolean convolves() {
    return convolve;
  }

  /**
   * x W^T + b.
   *
   * @param x [B, T, in], row-major contiguous; not modified
   * @return [B, T, out], row-major contiguous, in x's manager
   */
  NDArray apply(NDArray x) {
    Shape s = x.getShape();
    if (s.dimension() != 3 || s.get(2) != weight.getShape().get(1)) {
      throw new IllegalArgumentException("input " + s + " does not fit the dense layer " + weight.getShape());
    }
    if (!convolve || s.get(0) < MIN_IMAGES) {
      return Linear.linear(x, weight, bias).get(0);
    }
    return convolution(x);
  }

  private NDArray convolution(NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);
    try (NDArray rows = x.reshape(b, t, 1, s.get(2));
        NDArray image = rows.transpose(0, 3, 1, 2);
        NDArray y = Conv2d.conv2d(image, kernel, bias, ONE, NONE, ONE, 1).get(0);
        NDArray back = y.transpose(0, 2, 3, 1)) {
      return back.reshape(b, t, weight.getShape().get(0));
    }
  }

  /** Both ways on a batch of {@value #MIN_IMAGES} seeded Gaussian texts, to a relative 1e-4. */
  private boolean convolutionAgrees() {
    long in = weight.getShape().get(1);
    Random r = new Random(345);
    float[] v = new float[Math.toIntExact(MIN_IMAGES * PROBE_TOKENS * in)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    try (NDManager probe = weight.getManager().newSubManager()) {
      NDArray x = probe.create(v, new Shape(MIN_IMAGES, PROBE_TOKENS, in));
      NDArray exact = Linear.linear(x, weight, bias).get(0);
      float size = exact.abs().max().getFloat();
      float diff = convolution(x).sub(exact).abs().max().getFloat();
      return diff <= 1e-4f * Math.max(1, size);
    }
  }
}
