package dev.tokendyn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.util.Map;

/**
 * The GPT-2 decoder (Radford et al. 2019, "Language models are unsupervised multitask learners"):
 * pre-LayerNorm blocks with a causal mask and learned absolute positions.
 *
 * <pre>
 *   h_0 = E_tok[x] + E_pos[p]
 *   r_l = h_{l-1} + Attn(LN_1(h_{l-1})) W_proj + b_proj
 *   h_l = r_l + GELU_tanh(LN_2(r_l) W_fc + b_fc) W_out + b_out        l = 1..L
 * </pre>
 * As in Hugging Face's {@code output_hidden_states}, the last hidden state is LN_f(h_L). Weights are the
 * Conv1D weights of the checkpoint, stored [in, out], under names without the {@code transformer.} prefix
 * ({@code h.0.attn.c_attn.weight}).
 */
final class Gpt2Decoder implements Transformer {
  private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

  private final TransformerConfig config;
  private final NDManager manager;
  private final float[] token;
  private final float[] position;
  private final NDArray lnfG;
  private final NDArray lnfB;
  private final Block[] blocks;

  /** One block. */
  private record Block(NDArray ln1g, NDArray ln1b, Dense qkv, Dense proj, NDArray ln2g, NDArray ln2b, Dense fc,
      Dense out) {}

  Gpt2Decoder(TransformerConfig config, Map<String, Tensor> weights, String source, NDManager base)
      throws ModelException {
    this.config = config;
    this.manager = base.newSubManager();
    try {
      long d = config.hidden();
      long ff = config.intermediate();
      WeightSet w = new WeightSet(weights, source, manager);
      Tensor tok = w.tensor("wte.weight", config.vocabSize(), d);
      Tensor pos = w.tensor("wpe.weight", config.maxPositions(), d);
      this.token = tok == null ? null : tok.data();
      this.position = pos == null ? null : pos.data();
      this.lnfG = w.array("ln_f.weight", d);
      this.lnfB = w.array("ln_f.bias", d);
      this.blocks = new Block[config.layers()];
      for (int l = 0; l < blocks.length; l++) {
        String p = "h." + l + ".";
        double scale = 1 / Math.sqrt(config.headDim());
        blocks[l] = new Block(w.array(p + "ln_1.weight", d), w.array(p + "ln_1.bias", d),
            w.linear(p + "attn.c_attn.weight", p + "attn.c_attn.bias", d, 3 * d, scale, d),
            w.linear(p + "attn.c_proj.weight", p + "attn.c_proj.bias", d, d, 1, 0),
            w.array(p + "ln_2.weight", d), w.array(p + "ln_2.bias", d),
            w.linear(p + "mlp.c_fc.weight", p + "mlp.c_fc.bias", d, ff, 1, 0),
            w.linear(p + "mlp.c_proj.weight", p + "mlp.c_proj.bias", ff, d, 1, 0));
      }
      w.check();
    } catch (ModelException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public TransformerConfig config() {
    return config;
  }

  @Override
  public void forward(NDManager scope, Batch batch, Plan plan, StateSink sink) {
    int b = batch.size();
    int t = batch.width();
    int d = config.hidden();
    int n = config.layers();
    int last = plan.blocksToRun();
    boolean[] keepHidden = plan.keepHidden();
    float[] emb = new float[b * t * d];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        int id = Math.toIntExact(batch.ids()[i][j]);
        if (id < 0 || id >= config.vocabSize()) {
          throw new IllegalArgumentException("token id " + id + " at position " + j
              + " is outside the model's vocabulary of " + config.vocabSize());
        }
        int o = (i * t + j) * d;
        int pos = j + config.positionOffset();
        for (int k = 0; k < d; k++) {
          emb[o + k] = token[id * d + k] + position[pos * d + k];
        }
      }
    }
    Shape norm = new Shape(d);
    float eps = (float) config.layerNormEps();
    NDArray h = scope.create(emb, new Shape(b, t, d));
    if (keepHidden[0]) {
      sink.hidden(0, StateSink.view(h));
    }
    NDArray mask = AttentionOps.maskBias(scope, batch, true);
    for (int l = 0; l < last; l++) {
      Block w = blocks[l];
      if (plan.site(l, Site.RESID_PRE)) {
        sink.site(Site.RESID_PRE, l, StateSink.view(h));
      }
      NDArray a = LayerNorm.layerNorm(h, norm, w.ln1g, w.ln1b, eps).get(0);
      NDArray qkv = w.qkv.apply(a);
      a.close();
      NDArray ctx = AttentionOps.attend(qkv, mask, config.heads(), l, plan, sink);
      qkv.close();
      NDArray attnOut = AttentionOps.edit(scope, batch, l, h, w.proj.apply(ctx), plan);
      ctx.close();
      if (plan.site(l, Site.ATTN_OUT)) {
        sink.site(Site.ATTN_OUT, l, StateSink.view(attnOut));
      }
      NDArray r = attnOut.addi(h);
      h.close();
      if (plan.site(l, Site.RESID_MID)) {
        sink.site(Site.RESID_MID, l, StateSink.view(r));
      }
      NDArray m = LayerNorm.layerNorm(r, norm, w.ln2g, w.ln2b, eps).get(0);
      NDArray up = w.fc.apply(m);
      m.close();
      NDArray act = geluTanh(up);
      up.close();
      NDArray mlpOut = w.out.apply(act);
      act.close();
      if (plan.site(l, Site.MLP_OUT)) {
        sink.site(Site.MLP_OUT, l, StateSink.view(mlpOut));
      }
      h = mlpOut.addi(r);
      r.close();
      if (l + 1 < n && keepHidden[l + 1]) {
        sink.hidden(l + 1, StateSink.view(h));
      }
      if (plan.site(l, Site.RESID_POST)) {
        sink.site(Site.RESID_POST, l, StateSink.view(h));
      }
    }
    if (last == n && (keepHidden[n] || plan.lnFinal())) {
      NDArray f = LayerNorm.layerNorm(h, norm, lnfG, lnfB, eps).get(0);
      if (keepHidden[n]) {
        sink.hidden(n, StateSink.view(f));
      }
      if (plan.lnFinal()) {
        sink.site(Site.LN_FINAL, -1, StateSink.view(f));
      }
    }
  }

  @Override
  public AttentionWeights attentionWeights(int block) {
    Block w = blocks[AttentionOps.checkBlock(block, blocks.length)];
    return AttentionOps.weights(w.qkv, w.proj, config.hidden(), config.heads(),
        new float[][] {w.ln1g.toFloatArray(), w.ln1b.toFloatArray()}, config.layerNormEps(), true);
  }

  @Override
  public float[][] outputNorm(int state) {
    return null;
  }

  /** GELU with the tanh approximation of GPT-2: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
  private static NDArray geluTanh(NDArray x) {
    NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul(SQRT_2_OVER_PI);
    return x.mul(0.5f).mul(inner.tanh().add(1f));
  }

  @Override
  public void close() {
    manager.close();
  }
}
