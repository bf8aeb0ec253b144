package dev.tokendyn.analysis;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.metrics.Anisotropy;
import dev.tokendyn.metrics.MeanCosine;
import dev.tokendyn.metrics.MetricsParams;
import dev.tokendyn.metrics.SequenceMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Every metric, layer by layer, of the token clouds of several texts: what {@code tokendyn analyze}
 * reports for a model.
 *
 * <p>The texts' tokens at each layer are pooled into one cloud (text after text, so a token keeps its
 * place across layers), and the pooled sequence gets the whole metrics pass: per cloud, transitions
 * with optimal transport, spreading. Two measures are kept per text because tokens interact only
 * within their text: {@code withinTextMeanCosine} averages each text's own mean cosine, and
 * {@code anisotropy} pools cosines between tokens of different texts (Ethayarajh 2019).
 *
 * @param name the model or source name
 * @param texts the sequences, one per text, as given
 * @param pooled the pooled sequence that {@code metrics} measured
 * @param metrics the metrics of the pooled sequence
 * @param withinTextMeanCosine [layer]: mean over texts of the text's mean cosine (texts of one token skipped)
 * @param anisotropy [layer]: the expected cosine between tokens of different texts; NaN for one text
 */
public record LayerAnalysis(String name, List<CloudSequence> texts, CloudSequence pooled, SequenceMetrics metrics,
                            double[] withinTextMeanCosine, double[] anisotropy) {

  /**
   * Analyses the texts' sequences.
   *
   * @throws IllegalArgumentException when the texts have different numbers of layers or dimensions, or
   *     the pooled clouds are too small to measure (fewer than 4 tokens)
   */
  public static LayerAnalysis of(String name, List<CloudSequence> texts, MetricsParams params) {
    CloudSequence pooled = pool(texts);
    SequenceMetrics m = SequenceMetrics.of(pooled, params);
    int layers = pooled.size();
    double[] within = new double[layers];
    double[] aniso = new double[layers];
    for (int l = 0; l < layers; l++) {
      double s = 0;
      int count = 0;
      List<TokenCloud> clouds = new ArrayList<>();
      for (CloudSequence t : texts) {
        TokenCloud c = t.cloud(l);
        clouds.add(c);
        if (c.size() > 1) {
          s += MeanCosine.of(c);
          count++;
        }
      }
      within[l] = count == 0 ? Double.NaN : s / count;
      aniso[l] = texts.size() > 1 ? Anisotropy.pooled(clouds) : Double.NaN;
    }
    return new LayerAnalysis(name, List.copyOf(texts), pooled, m, within, aniso);
  }

  /** The texts' clouds at each layer, concatenated in text order ({@link CloudSequence#pool}). */
  public static CloudSequence pool(List<CloudSequence> texts) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("the analysis needs at least one text, found none");
    }
    if (texts.size() == 1) {
      texts.get(0).requireSameShape();
    }
    return CloudSequence.pool(texts);
  }
}
