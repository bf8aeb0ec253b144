// Real models layer by layer: all-minilm-l6-v2, bge-small-en-v1.5 and e5-small-v2 over the sample texts.
// Each text's own tokens are measured (special tokens left out) and aggregated over texts; distribution-level
// values come from the pooled tokens. Run: notebooks-java/run 04-real-models
import dev.tokendyn.analysis.*;
import dev.tokendyn.cloud.*;
import dev.tokendyn.export.*;
import dev.tokendyn.metrics.*;
import java.nio.file.*;
import java.util.*;

Path out = Path.of("results/04-real-models");
List<String> texts = Files.readAllLines(Path.of("toolkit/src/main/resources/dev/tokendyn/demo/texts.txt")).stream().filter(s -> !s.isBlank()).toList();

// 1. Run each model over the texts and measure them, text by text.
List<CorpusAnalysis.Result> analyses = new ArrayList<>();
Map<String, Map<String, Object>> info = new LinkedHashMap<>();
for (String model : List.of("all-minilm-l6-v2", "bge-small-en-v1.5", "e5-small-v2")) {
  var run = ModelCorpus.analyze(model, texts, false, CorpusParams.defaults(), i -> { });
  analyses.add(run.result());
  info.put(run.result().name(), run.info());
}

// 2. Key numbers per model, first layer -> last layer.
String f(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "n/a"; }
StringBuilder table = new StringBuilder("| model | layers | mean cosine within texts | minus baseline | anisotropy baseline | top-3-dimension share | self-similarity minus baseline | pooled rotational share (mean over steps) | pooled intrinsic dimension | persistence | MSD saturation at the last layer | geodesic ratio |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
for (var a : analyses) {
  int L = a.sites().size() - 1;
  var mc = a.summaries().get(TextMetric.MEAN_COSINE);
  var adj = a.adjusted(TextMetric.MEAN_COSINE);
  var p0 = a.pooled().get(0);
  var pL = a.pooled().get(L);
  double rot = a.transitions().stream().mapToDouble(t -> t.rotation().share()).average().orElse(Double.NaN);
  var sat = a.summaries().get(TextMetric.MSD_SATURATION)[L];
  var pers = a.summaries().get(TextMetric.MEAN_PERSISTENCE)[0];
  table.append(String.format(Locale.ROOT, "| %s | %d | %s -> %s | %s -> %s | %s -> %s | %s -> %s | %s -> %s | %s | %s -> %s | %s [%s, %s] | %s | %s (%s per text) |%n",
      a.name(), L, f(mc[0].mean()), f(mc[L].mean()), f(adj[0].mean()), f(adj[L].mean()),
      f(p0.anisotropyBaseline()), f(pL.anisotropyBaseline()), f(p0.topDimensionShare()), f(pL.topDimensionShare()),
      f(p0.selfSimilarity() - p0.anisotropyBaseline()), f(pL.selfSimilarity() - pL.anisotropyBaseline()), f(rot),
      f(p0.intrinsicDimension().value()), f(pL.intrinsicDimension().value()),
      f(pers.mean()), f(pers.ciLow()), f(pers.ciHigh()), f(sat.mean()), f(a.pooledGeodesicRatio()),
      f(a.summaries().get(TextMetric.GEODESIC_RATIO)[0].mean())));
}
System.out.println(table);
for (var a : analyses) {
  System.out.println(a.name() + " per layer: adjusted mean cosine, baseline, pooled rotational share of the step to the next layer");
  var adj = a.adjusted(TextMetric.MEAN_COSINE);
  for (int l = 0; l < a.sites().size(); l++) {
    System.out.println(String.format(Locale.ROOT, "  %2d  %s [%s, %s]  %s  %s", l, f(adj[l].mean()), f(adj[l].ciLow()), f(adj[l].ciHigh()),
        f(a.pooled().get(l).anisotropyBaseline()), l < a.transitions().size() ? f(a.transitions().get(l).rotation().share()) : ""));
  }
}

String readme = """
# 04 Real models layer by layer

The 8 sample texts (`toolkit/src/main/resources/dev/tokendyn/demo/texts.txt`) through the three catalog
models, every hidden state from the embeddings (layer 0) to the last block. The text is the unit: each
text's own tokens are measured, with [CLS] and [SEP] left out, and the values are averaged over the
texts with a 95% bootstrap interval (`report.json`, `tokendyn.report/2`). Distribution-level values
(the anisotropy baseline, self-similarity, the rotational share and W2 of the pooled tokens) come from
all 110 measured tokens pooled. Eight texts of 12 to 16 tokens are a small corpus: the per-text
intrinsic dimension (20 tokens at least) and rotational share (30 at least) are null for every text here,
and the pooled intrinsic dimension rests on 110 points; run `tokendyn analyze` on a larger corpus for those.

![mean cosine](mean-cosine.png)

![intra-text similarity minus the baseline](intra-text-similarity-adjusted.png)

![anisotropy baseline](anisotropy.png)

![rotational share](rotational-share.png)

![persistence](persistence.png)

![MSD saturation](msd-saturation.png)

![W2](w2.png)

![intrinsic dimension](intrinsic-dimension.png)

Histograms of the cosine between two tokens of one text at layers 0, 6 and 12 (MiniLM has 6):

![inner products, MiniLM](inner-products-all-minilm-l6-v2.png)

![inner products, bge](inner-products-bge-small-en-v1.5.png)

![inner products, e5](inner-products-e5-small-v2.png)

First layer -> last layer:

TABLE
What the corrected numbers say, beside the papers:

- **Tokens of one text draw together only late, and less than the raw cosine says.** The raw mean
  cosine within a text rises from 0.06 to 0.38 (MiniLM), 0.79 (bge) and 0.75 (e5), but most of that is
  the whole distribution narrowing: the anisotropy baseline, the expected cosine between tokens of
  *different* texts, rises too (to 0.30 in bge and 0.54 in e5). Minus the baseline, a text's tokens agree
  no more than chance at the embeddings (-0.001 in all three), by 0.02 to 0.09 through the middle layers,
  and clearly only in the last one to three layers (0.34, 0.49, 0.21). This is Ethayarajh's (2019) finding
  that contextual representations are anisotropic and that the anisotropy grows with depth; the
  clustering of Geshkovski et al. shows, if at all, in the last layers.
- **A few dimensions carry the shared direction.** The 3 largest of 384 dimensions carry 47 to 53% of the
  across-text mean cosine at the embeddings (Timkey and van Schijndel 2021's rogue dimensions), less after
  the last block.
- **The same word drifts apart across contexts.** Self-similarity minus the baseline falls from about
  0.87 at the embeddings to 0.40 (MiniLM), 0.24 (bge) and 0.22 (e5) at the last layer, as Ethayarajh
  reports for BERT and GPT-2: upper layers are more context-specific.
- **The layers are mostly gradient-like steps, with a rotational part that comes and goes.** The
  rotational share of each step's displacement field on the pooled tokens (top 10 principal components)
  is 0.01 to 0.28, about 0.1 on average, largest in early and middle layers (0.20 to 0.28 at some steps of
  bge and e5) and near 0 in the last steps. Simulated attention with identity Q, K, V gives about 0.002
  and with Gaussian Q, K, V about 0.5 (`RotationalShareTest`), so real layers sit much closer to the
  gradient flow of the idealised model than to a generic attention field, in this sense.
- **Tokens do not travel straight, and their displacement saturates.** The pooled geodesic ratio
  sum W2(l, l+1) / W2(0, L) is 3.6 (MiniLM), 5.5 (bge) and 5.2 (e5): the layers move the distribution far
  more than the net change between the first and the last. Persistence, the cosine between a token's
  consecutive steps, is close to 0 (-0.04 to 0.03): successive layers move a token in nearly unrelated
  directions. The MSD from the embeddings reaches 0.62 to 0.79 of its ceiling |x^l|^2 + |x^0|^2 by the last
  layer, so the MSD exponent (about 0.6) reflects bounded, post-LayerNorm norms, not subdiffusion.
- **Trained attention is far from doubly stochastic.** Sinkformers (Sander et al. 2022) observe that
  trained attention matrices come close to doubly stochastic. Here each block's mean over heads of
  (1/n) sum_j |column sum - 1| is 0.5 in the first block and 0.7 to 1.3 after it with [CLS] and
  [SEP] included, since those attention sinks draw whole columns; over the other tokens, rows
  renormalised, it is lower, 0.3 in the first block rising to 0.8 to 1.2 in the last, and nowhere
  near 0.
- **Intrinsic dimension is low and rises with depth** on the pooled tokens (3.2 to 3.6 at the embeddings,
  5.2 to 7.3 at the last layer; TwoNN on 110 points, near-duplicates dropped, never below 1).
""".replace("TABLE", table);

// 3. The report, the plots (every model on the same axes; histograms at the first, middle and last layer)
// and this README, written as one folder.
AtomicFiles.writeFolder(out, true, dir -> {
  AnalysisReport.write(dir, analyses, info, new int[] {0, 6, 12});
  Files.writeString(dir.resolve("README.md"), readme);
});
/exit
