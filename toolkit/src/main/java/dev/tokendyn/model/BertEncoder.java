package dev.tokendyn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import java.util.Map;

/**
 * The BERT encoder (Devlin et al. 2019, "BERT: Pre-training of deep bidirectional transformers"),
 * RoBERTa, whose only difference here is where positions start, and DistilBERT, which has no token
 * type table (E_type drops out of h_0) and whose weights the loader renames onto BERT's.
 *
 * <pre>
 *   h_0     = LN(E_word[x] + E_type[s] + E_pos[p])
 *   a_l     = LN(h_{l-1} + Attn(h_{l-1}) W_o + b_o)
 *   h_l     = LN(a_l + GELU(a_l W_i + b_i) W_2 + b_2)          l = 1..L
 * </pre>
 * with exact (erf) GELU, post-LayerNorm, and weights stored [in, out] under Hugging Face names
 * ({@code encoder.layer.3.attention.self.query.weight}).
 */
final class BertEncoder implements Transformer {
  private final TransformerConfig config;
  private final NDManager manager;
  private final float[] word;
  private final float[] position;
  private final float[] type;
  private final int typeVocab;
  private final NDArray embGamma;
  private final NDArray embBeta;
  private final Layer[] layers;

  /** One block; queries, keys and values fused into one projection. */
  private record Layer(Dense qkv, Dense o, NDArray ln1g, NDArray ln1b, Dense in, Dense out, NDArray ln2g,
      NDArray ln2b) {}

  BertEncoder(TransformerConfig config, Map<String, Tensor> weights, String source, NDManager base)
      throws ModelException {
    this.config = config;
    this.manager = base.newSubManager();
    try {
      long d = config.hidden();
      long ff = config.intermediate();
      WeightSet w = new WeightSet(weights, source, manager);
      Tensor wordT = w.tensor("embeddings.word_embeddings.weight", config.vocabSize(), d);
      Tensor posT = w.tensor("embeddings.position_embeddings.weight", config.maxPositions(), d);
      Tensor typeT = weights.get("embeddings.token_type_embeddings.weight");
      this.typeVocab = typeT == null ? 0 : typeT.dim(0);
      if (typeT != null) {
        w.tensor("embeddings.token_type_embeddings.weight", typeVocab, d);
      }
      this.word = wordT == null ? null : wordT.data();
      this.position = posT == null ? null : posT.data();
      this.type = typeT == null ? null : typeT.data();
      this.embGamma = w.array("embeddings.LayerNorm.weight", d);
      this.embBeta = w.array("embeddings.LayerNorm.bias", d);
      this.layers = new Layer[config.layers()];
      for (int l = 0; l < layers.length; l++) {
        String p = "encoder.layer." + l + ".";
        double scale = 1 / Math.sqrt(config.headDim());
        layers[l] = new Layer(
            w.stackedLinear(d, d, scale, d, p + "attention.self.query", p + "attention.self.key", p + "attention.self.value"),
            w.stackedLinear(d, d, 1, 0, p + "attention.output.dense"),
            w.array(p + "attention.output.LayerNorm.weight", d), w.array(p + "attention.output.LayerNorm.bias", d),
            w.stackedLinear(d, ff, 1, 0, p + "intermediate.dense"),
            w.stackedLinear(ff, d, 1, 0, p + "output.dense"),
            w.array(p + "output.LayerNorm.weight", d), w.array(p + "output.LayerNorm.bias", d));
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
    int last = plan.blocksToRun();
    boolean[] keepHidden = plan.keepHidden();
    boolean[] keepAttention = plan.keepAttention();

    // the embedding sum in the order of the reference graph: (word + type) + position
    float[] emb = new float[b * t * d];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        int id = Math.toIntExact(batch.ids()[i][j]);
        int tt = type == null ? 0 : Math.toIntExact(batch.typeIds()[i][j]);
        if (id < 0 || id >= config.vocabSize() || (type != null && (tt < 0 || tt >= typeVocab))) {
          throw new IllegalArgumentException("token id " + id + " (type " + tt + ") at position " + j
              + " is outside the model's vocabulary of " + config.vocabSize());
        }
        int pos = j + config.positionOffset();
        int o = (i * t + j) * d;
        for (int k = 0; k < d; k++) {
          float x = word[id * d + k];
          if (type != null) {
            x += type[tt * d + k];
          }
          emb[o + k] = x + position[pos * d + k];
        }
      }
    }
    Shape norm = new Shape(d);
    float eps = (float) config.layerNormEps();
    NDArray h = LayerNorm.layerNorm(scope.create(emb, new Shape(b, t, d)), norm, embGamma, embBeta, eps).get(0);
    if (keepHidden[0]) {
      sink.hidden(0, StateSink.view(h));
    }
    NDArray mask = AttentionOps.maskBias(scope, batch, false);
    for (int l = 0; l < last; l++) {
      Layer w = layers[l];
      if (plan.site(l, Site.RESID_PRE)) {
        sink.site(Site.RESID_PRE, l, StateSink.view(h));
      }
      NDArray qkv = w.qkv.apply(h);
      NDArray ctx = AttentionOps.attend(qkv, mask, config.heads(), l, plan, sink);
      qkv.close();
      NDArray attnOut = AttentionOps.edit(scope, batch, l, h, w.o.apply(ctx), plan);
      ctx.close();
      if (plan.site(l, Site.ATTN_OUT)) {
        sink.site(Site.ATTN_OUT, l, StateSink.view(attnOut));
      }
      NDArray proj = attnOut.addi(h);
      NDArray a = LayerNorm.layerNorm(proj, norm, w.ln1g, w.ln1b, eps).get(0);
      proj.close();
      if (plan.site(l, Site.RESID_MID)) {
        sink.site(Site.RESID_MID, l, StateSink.view(a));
      }
      NDArray up = w.in.apply(a);
      NDArray act = Activation.gelu(up);
      up.close();
      NDArray down = w.out.apply(act);
      act.close();
      if (plan.site(l, Site.MLP_OUT)) {
        sink.site(Site.MLP_OUT, l, StateSink.view(down));
      }
      down.addi(a);
      a.close();
      h.close();
      h = LayerNorm.layerNorm(down, norm, w.ln2g, w.ln2b, eps).get(0);
      down.close();
      if (keepHidden[l + 1]) {
        sink.hidden(l + 1, StateSink.view(h));
      }
      if (plan.site(l, Site.RESID_POST)) {
        sink.site(Site.RESID_POST, l, StateSink.view(h));
      }
    }
  }

  @Override
  public AttentionWeights attentionWeights(int block) {
    Layer w = layers[AttentionOps.checkBlock(block, layers.length)];
    return AttentionOps.weights(w.qkv, w.o, config.hidden(), config.heads(), null, config.layerNormEps(), false);
  }

  @Override
  public float[][] outputNorm(int state) {
    if (state < 0 || state > layers.length) {
      throw new IllegalArgumentException("hidden state must lie in [0, " + layers.length + "], found " + state);
    }
    if (state == 0) {
      return new float[][] {embGamma.toFloatArray(), embBeta.toFloatArray()};
    }
    Layer w = layers[state - 1];
    return new float[][] {w.ln2g.toFloatArray(), w.ln2b.toFloatArray()};
  }

  @Override
  public void close() {
    manager.close();
  }
}
