package dev.tokendyn.analysis;

import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.model.AttentionEdit;
import dev.tokendyn.model.ExtractOptions;
import dev.tokendyn.model.Extractor;
import dev.tokendyn.model.HookedText;
import dev.tokendyn.model.Hooks;
import dev.tokendyn.model.ModelException;
import dev.tokendyn.model.TextExtraction;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Integrator;
import dev.tokendyn.sphere.Interaction;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import dev.tokendyn.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Puts the idealised dynamics inside a real model: block {@code block}'s attention sublayer is replaced,
 * and the model runs onward from there.
 *
 * <p>For a flow (SA, USA, Sinkformer), each text's input tokens h_i of the block are put on the sphere,
 * x_i = h_i / |h_i|, moved by the flow (Q = K = V = I) for time T with {@code steps} RK4 steps, and put
 * back at their own radius: the residual stream after the sublayer is |h_i| x_i(T), so the sublayer's
 * output is
 * <pre>  out_i = |h_i| x_i(T) - h_i</pre>
 * which the model then treats as its own attention output (post-LN BERT: LN_1(h + out); GPT-2: h + out).
 * {@code ablate} sets out_i = 0, {@code mean} sets out_i to the mean of the model's own outputs over the
 * text's tokens, {@code identity} keeps the model's output (a check).
 *
 * <p>The cost is two forward passes: the plain one (which also records the attention probabilities for
 * the doubly stochastic defect) and the intervened one.
 */
public final class Intervention {
  private Intervention() {}

  /**
   * What to replace.
   *
   * @param block the block (0-based) whose attention sublayer is replaced
   * @param replace by what
   * @param beta the flow's inverse temperature, finite and &gt;= 0 (ignored unless a flow)
   * @param time the flow's time, finite and &gt;= 0 (ignored unless a flow)
   * @param steps RK4 steps over that time, &gt;= 1
   * @param sinkhornIterations the Sinkformer's normalisations, &gt;= 1
   */
  public record Params(int block, Replacement replace, double beta, double time, int steps, int sinkhornIterations) {
    public Params {
      Objects.requireNonNull(replace, "replace");
      if (block < 0) {
        throw new IllegalArgumentException("block must be >= 0, found " + block);
      }
      if (replace.isFlow()) {
        if (!Double.isFinite(beta) || beta < 0) {
          throw new IllegalArgumentException("beta must be finite and >= 0, found " + beta);
        }
        if (!Double.isFinite(time) || time < 0) {
          throw new IllegalArgumentException("time must be finite and >= 0, found " + time);
        }
      }
      if (steps < 1) {
        throw new IllegalArgumentException("steps must be >= 1, found " + steps);
      }
      if (sinkhornIterations < 1) {
        throw new IllegalArgumentException("sinkhorn iterations must be >= 1, found " + sinkhornIterations);
      }
    }

    /** A replacement that is not a flow. */
    public static Params of(int block, Replacement replace) {
      return new Params(block, replace, 0, 0, 10, 5);
    }

    /** A flow for time T, 10 RK4 steps, 5 Sinkhorn iterations. */
    public static Params flow(int block, Replacement replace, double beta, double time) {
      return new Params(block, replace, beta, time, 10, 5);
    }
  }

  /**
   * The effect at one hidden state.
   *
   * @param layer hidden state index 0..L
   * @param tokenCosine mean over every token of every text of cos(h_int, h), 1 before the block
   * @param w2Change mean over texts of W2 between the intervened and the unmodified cloud (raw states)
   */
  public record LayerEffect(int layer, String site, double tokenCosine, double w2Change) {}

  /**
   * The whole result.
   *
   * @param sentenceCosine mean over texts of the cosine between the mean-pooled last hidden states,
   *     intervened and unmodified
   * @param neighbourOverlap mean over texts of |N_int ∩ N| / k, with N the text's k nearest texts by the
   *     cosine of their sentence embeddings; NaN with fewer than 2 texts
   * @param neighbours k = min(10, texts - 1)
   * @param defect the doubly stochastic defect of the unmodified model's attention
   * @param plain the unmodified run
   * @param intervened the intervened run (every hidden state)
   */
  public record Result(String model, Params params, List<LayerEffect> layers, double sentenceCosine,
      double neighbourOverlap, int neighbours, AttentionDefect defect, List<TextExtraction> plain,
      List<TextExtraction> intervened) {}

  /**
   * Runs the intervention over the texts.
   *
   * @throws IllegalArgumentException when the block does not exist (the message names the range), or a
   *     text is bad
   */
  public static Result run(Extractor ex, List<String> texts, Params p, boolean truncate) throws ModelException {
    int blocks = ex.info().config().layers();
    if (p.block() >= blocks) {
      throw new IllegalArgumentException("--layer " + p.block() + " does not exist: " + ex.info().name() + " has blocks 0.."
          + (blocks - 1));
    }
    ExtractOptions o = ExtractOptions.defaults().withTruncate(truncate);
    List<TextExtraction> plain = ex.run(texts, o.withAttentions(true), Hooks.none()).stream()
        .map(HookedText::text).toList();
    List<TextExtraction> edited = ex.run(texts, o, Hooks.none().withEdit(p.block(), edit(p))).stream()
        .map(HookedText::text).toList();
    List<LayerEffect> effects = new ArrayList<>();
    for (int l = 0; l <= blocks; l++) {
      double cos = 0;
      int tokens = 0;
      double w2 = 0;
      for (int i = 0; i < texts.size(); i++) {
        float[] a = plain.get(i).state(l).values();
        float[] b = edited.get(i).state(l).values();
        int n = plain.get(i).size();
        int d = plain.get(i).width();
        for (int t = 0; t < n; t++) {
          cos += cosine(a, b, t * d, d);
        }
        tokens += n;
        w2 += l <= p.block() && java.util.Arrays.equals(a, b) ? 0
            : Transport.w2(plain.get(i).cloud(l), edited.get(i).cloud(l));
      }
      effects.add(new LayerEffect(l, plain.get(0).state(l).site(), cos / tokens, w2 / texts.size()));
    }
    int k = Math.min(10, texts.size() - 1);
    double[][] e0 = new double[texts.size()][];
    double[][] e1 = new double[texts.size()][];
    double sentence = 0;
    for (int i = 0; i < texts.size(); i++) {
      e0[i] = plain.get(i).meanPooled(blocks);
      e1[i] = edited.get(i).meanPooled(blocks);
      sentence += cosine(e0[i], e1[i]) / texts.size();
    }
    double overlap = Double.NaN;
    if (k >= 1) {
      overlap = 0;
      for (int i = 0; i < texts.size(); i++) {
        java.util.Set<Integer> a = nearest(e0, i, k);
        java.util.Set<Integer> b = nearest(e1, i, k);
        a.retainAll(b);
        overlap += a.size() / (double) k / texts.size();
      }
    }
    return new Result(ex.info().name(), p, effects, sentence, overlap, k, AttentionDefect.of(plain), plain, edited);
  }

  /** The attention edit of the parameters. */
  static AttentionEdit edit(Params p) {
    return switch (p.replace()) {
      case IDENTITY -> (i, in, out, n, d) -> out;
      case ABLATE -> (i, in, out, n, d) -> new float[n * d];
      case MEAN -> (i, in, out, n, d) -> {
        float[] m = new float[n * d];
        for (int k = 0; k < d; k++) {
          double s = 0;
          for (int t = 0; t < n; t++) {
            s += out[t * d + k];
          }
          for (int t = 0; t < n; t++) {
            m[t * d + k] = (float) (s / n);
          }
        }
        return m;
      };
      case SA, USA, SINKFORMER -> (i, in, out, n, d) -> flowOutput(p, in, n, d);
    };
  }

  /** out_i = |h_i| x_i(T) - h_i, with x(0) = h / |h| moved by the flow. */
  static float[] flowOutput(Params p, float[] in, int n, int d) {
    double[] h = new double[n * d];
    double[] r = new double[n];
    for (int t = 0; t < n; t++) {
      double s = 0;
      for (int k = 0; k < d; k++) {
        h[t * d + k] = in[t * d + k];
        s += h[t * d + k] * h[t * d + k];
      }
      r[t] = Math.sqrt(s);
    }
    float[] out = new float[n * d];
    if (p.time() == 0) {
      return out;
    }
    TokenCloud start = TokenCloud.ofFlat(n, d, h);
    SimulationParams sp = new SimulationParams(p.replace().dynamics(), n, d, p.beta(), p.time() / p.steps(), p.steps(),
        Init.of(start), 0, Integrator.RK4, 0, p.steps(), p.sinkhornIterations(), Interaction.IDENTITY);
    TokenCloud[] end = new TokenCloud[1];
    Simulator.run(sp, 1, f -> end[0] = f.cloud());
    for (int t = 0; t < n; t++) {
      for (int k = 0; k < d; k++) {
        out[t * d + k] = (float) (r[t] * end[0].get(t, k) - h[t * d + k]);
      }
    }
    return out;
  }

  private static java.util.Set<Integer> nearest(double[][] e, int i, int k) {
    List<Integer> others = new ArrayList<>();
    for (int j = 0; j < e.length; j++) {
      if (j != i) {
        others.add(j);
      }
    }
    others.sort((a, b) -> {
      int c = Double.compare(cosine(e[i], e[b]), cosine(e[i], e[a]));
      return c != 0 ? c : Integer.compare(a, b);
    });
    return new java.util.HashSet<>(others.subList(0, k));
  }

  private static double cosine(float[] a, float[] b, int o, int d) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int k = o; k < o + d; k++) {
      ab += (double) a[k] * b[k];
      aa += (double) a[k] * a[k];
      bb += (double) b[k] * b[k];
    }
    return aa == 0 || bb == 0 ? (aa == bb ? 1 : 0) : ab / Math.sqrt(aa * bb);
  }

  private static double cosine(double[] a, double[] b) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int k = 0; k < a.length; k++) {
      ab += a[k] * b[k];
      aa += a[k] * a[k];
      bb += b[k] * b[k];
    }
    return ab / Math.sqrt(aa * bb);
  }
}
