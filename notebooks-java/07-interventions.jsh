// Interventions: a block's attention sublayer replaced by the idealised flow, ablated or averaged, and the model
// run onward. Run: notebooks-java/run 07-interventions
import dev.tokendyn.analysis.*;
import dev.tokendyn.export.*;
import dev.tokendyn.model.*;
import java.nio.file.*;
import java.util.*;

Path out = Path.of("results/07-interventions");
Files.createDirectories(out);
List<String> texts = Files.readAllLines(Path.of("toolkit/src/main/resources/dev/tokendyn/demo/texts.txt")).stream().filter(s -> !s.isBlank()).toList();
List<String> models = List.of("all-minilm-l6-v2", "bge-small-en-v1.5", "e5-small-v2");

// For each model: the first, a middle and the last block; each replaced by SA with the parameters of the
// per-layer Gram fit of notebook 06 where they are identifiable (beta 1, time 0.3 otherwise), by the Sinkformer
// with the same parameters, ablated, and by its mean over the text.
double[] fitted(String model, int block) throws Exception {
  var doc = dev.tokendyn.cloud.Json.readTree(Path.of("results/06-fit/" + model + "-gram-per-layer.json"));
  var l = doc.path("layers").get(block);
  return l.path("beta").isNumber() && l.path("time").isNumber()
      ? new double[] {l.path("beta").asDouble(), l.path("time").asDouble(), 1} : new double[] {1, 0.3, 0};
}

StringBuilder table = new StringBuilder("| model | block | replaced by | beta, time | token cosine, next layer | token cosine, last layer | W2 to the unmodified last layer | sentence cosine |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n");
StringBuilder defects = new StringBuilder("| model | doubly stochastic defect per block, all tokens | without [CLS] and [SEP] |\n| --- | --- | --- |\n");
for (String model : models) {
  try (Extractor ex = Extractor.open(model)) {
    int blocks = ex.info().config().layers();
    AttentionDefect defect = null;
    for (int block : new int[] {0, blocks / 2, blocks - 1}) {
      double[] bt = fitted(model, block);
      for (Replacement rep : List.of(Replacement.SA, Replacement.SINKFORMER, Replacement.ABLATE, Replacement.MEAN)) {
        var p = rep.isFlow() ? Intervention.Params.flow(block, rep, bt[0], bt[1]) : Intervention.Params.of(block, rep);
        var r = Intervention.run(ex, texts, p, false);
        defect = r.defect();
        String name = model + "-block" + block + "-" + rep.name().toLowerCase(Locale.ROOT);
        Path dir = out.resolve(name);
        Files.createDirectories(dir);
        InterventionReport.write(dir, r, rep.isFlow() && bt[2] == 1 ? model + "-gram-per-layer.json" : null);
        var last = r.layers().get(blocks);
        table.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.4f | %.4f | %.3f | %.4f |%n", model, block,
            rep.name().toLowerCase(Locale.ROOT), rep.isFlow() ? String.format(Locale.ROOT, "%.3g, %.3g%s", bt[0], bt[1],
            bt[2] == 1 ? " (fit)" : " (fixed)") : "", r.layers().get(block + 1).tokenCosine(), last.tokenCosine(),
            last.w2Change(), r.sentenceCosine()));
      }
    }
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < defect.blocks().length; i++) {
      a.append(String.format(Locale.ROOT, "%s%.2f", i == 0 ? "" : ", ", defect.meanOverHeads(i, true)));
      b.append(String.format(Locale.ROOT, "%s%.2f", i == 0 ? "" : ", ", defect.meanOverHeads(i, false)));
    }
    defects.append("| " + model + " | " + a + " | " + b + " |\n");
  }
}
System.out.println(table);
System.out.println(defects);

Files.writeString(out.resolve("README.md"), """
# 07 The idealised flow inside the real model

`tokendyn intervene` on the 8 sample texts: block L's attention sublayer is replaced, and the model runs
onward from there. For a flow, each text's input tokens of the block are put on the sphere, moved by the
flow (Q = K = V = I, 10 RK4 steps) and put back at their own radius, so that the residual stream after
the sublayer is |h_i| x_i(T) (post-LN: LN_1 of it); `ablate` removes the sublayer's output, `mean`
replaces each token's output by its mean over the text. Beta and the time come from the per-layer Gram fit
of notebook 06 where both are identifiable, and are beta = 1, time 0.3 otherwise. Effects against the
unmodified model: the mean cosine of each token's state to its unmodified state, W2 between the modified
and the unmodified cloud of the last layer (mean over texts), the cosine of the mean-pooled sentence
embeddings, and the overlap of each text's 7 nearest texts (all the others but one) by that embedding.

%s

The doubly stochastic defect of the unmodified attention (mean over heads of mean |column sum - 1|; 0 is
doubly stochastic, as Sinkformers would have it; without the special tokens each row is renormalised over
the others):

%s

Each run's `report.json` (`tokendyn.intervention/1`), `effect.png` and `defect.png` are in the folder
named after the model, the block and the replacement.

![MiniLM, block 0 by SA](all-minilm-l6-v2-block0-sa/effect.png)

![MiniLM, defect](all-minilm-l6-v2-block0-sa/defect.png)
""".formatted(table, defects));
/exit
