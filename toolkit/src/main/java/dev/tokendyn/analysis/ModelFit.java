package dev.tokendyn.analysis;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.model.AttentionWeights;
import dev.tokendyn.model.ExtractOptions;
import dev.tokendyn.model.Extractor;
import dev.tokendyn.model.HookedText;
import dev.tokendyn.model.Hooks;
import dev.tokendyn.model.ModelException;
import dev.tokendyn.model.TextExtraction;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link DynamicsFit} on a model: one forward pass records every hidden state and, for
 * {@link AttentionFlow}, each block's attention output and residual stream after it; the hidden states are
 * put in the chosen {@link Coordinates} and fitted.
 *
 * <pre>{@code
 * ModelFit f = ModelFit.run("all-minilm-l6-v2", texts, false, Coordinates.SPHERE,
 *     DynamicsFit.Options.defaults().withObjective(DynamicsFit.Objective.GRAM).withPerLayer(true));
 * double explained = f.fit().explained();
 * }</pre>
 *
 * @param name the model's name
 * @param fit the fit of the idealised flow
 * @param attention the model's own attention sublayers as particle steps
 */
public record ModelFit(String name, Coordinates coordinates, DynamicsFit.Result fit, AttentionFlow attention) {

  /**
   * @throws IllegalArgumentException on an unknown model or a bad text, or {@link Coordinates#UNNORMALISED}
   *     for a model that is not post-LN
   */
  public static ModelFit run(String model, List<String> texts, boolean truncate, Coordinates coordinates,
      DynamicsFit.Options options) throws ModelException {
    return run(model, texts, truncate, List.of(new Setting(coordinates, options))).get(0);
  }

  /** One fit's coordinates and options. */
  public record Setting(Coordinates coordinates, DynamicsFit.Options options) {}

  /** Several fits of the same model and texts from one forward pass, in the order of the settings. */
  public static List<ModelFit> run(String model, List<String> texts, boolean truncate, List<Setting> settings)
      throws ModelException {
    try (Extractor ex = Extractor.open(model)) {
      List<HookedText> run = ex.run(texts, ExtractOptions.defaults().withTruncate(truncate),
          Hooks.sites(AttentionFlow.SITES));
      int blocks = ex.info().config().layers();
      List<AttentionWeights> weights = new ArrayList<>();
      for (int b = 0; b < blocks; b++) {
        weights.add(ex.attentionWeights(b));
      }
      AttentionFlow attention = AttentionFlow.of(run, weights);
      float[][][] norms = null;
      List<ModelFit> out = new ArrayList<>();
      for (Setting st : settings) {
        if (st.coordinates() == Coordinates.UNNORMALISED && norms == null) {
          norms = new float[blocks + 1][][];
          for (int l = 0; l <= blocks; l++) {
            norms[l] = ex.outputNorm(l);
            if (norms[l] == null) {
              throw new IllegalArgumentException("--coordinates unnormalised undoes the last LayerNorm of a post-LN"
                  + " model (bert, roberta, distilbert); " + ex.info().name() + " is "
                  + ex.info().config().architecture().modelType() + ", whose hidden states are not normalised: use"
                  + " --coordinates sphere");
            }
          }
        }
        List<CloudSequence> seqs = new ArrayList<>();
        for (HookedText t : run) {
          seqs.add(sequence(t.text(), st.coordinates() == Coordinates.UNNORMALISED ? norms : null));
        }
        out.add(new ModelFit(ex.info().name(), st.coordinates(), DynamicsFit.fit(seqs, st.options()), attention));
      }
      return List.copyOf(out);
    }
  }

  /** A text's hidden states, with (h - bias) / gain of each state's LayerNorm when norms are given. */
  static CloudSequence sequence(TextExtraction t, float[][][] norms) {
    if (norms == null) {
      return t.toSequence();
    }
    List<CloudSequence.Entry> e = new ArrayList<>();
    int d = t.width();
    for (TextExtraction.HiddenState h : t.hiddenStates()) {
      float[] g = norms[h.layer()][0];
      float[] b = norms[h.layer()][1];
      double[] u = new double[h.values().length];
      for (int i = 0; i < u.length; i++) {
        u[i] = (h.values()[i] - b[i % d]) / g[i % d];
      }
      e.add(new CloudSequence.Entry(h.site(), h.layer(), new TokenCloud(t.size(), d, u, null, t.tokens())));
    }
    return new CloudSequence(CloudSequence.Axis.LAYER, e);
  }
}
