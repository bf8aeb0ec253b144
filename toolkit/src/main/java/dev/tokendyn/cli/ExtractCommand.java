package dev.tokendyn.cli;

import dev.tokendyn.model.ExtractOptions;
import dev.tokendyn.model.Hooks;
import dev.tokendyn.model.ExtractionFiles;
import dev.tokendyn.model.Extractor;
import dev.tokendyn.model.ModelException;
import dev.tokendyn.model.TextExtraction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tokendyn extract}: every layer's token representations from a pretrained transformer. */
@Command(
    name = "extract",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a pretrained transformer over texts and write each layer's token representations.",
      "Hidden states 0..L as in Hugging Face's output_hidden_states, optionally the attention probabilities;",
      "one JSON file (tokendyn.extraction/1) or a directory of float32 .npy files with index.json.",
      "Example: tokendyn extract --model all-minilm-l6-v2 --text \"The cat sat on the mat.\" --out cat.json"})
final class ExtractCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin ThreadsOption threads;

  @Option(names = "--model", required = true, paramLabel = "NAME|DIR",
      description = "A catalog name (see 'tokendyn models') or a Hugging Face directory with config.json,"
          + " model.safetensors and tokenizer.json.")
  String model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--text", description = "A text to run; repeat for several.")
    List<String> texts;

    @Option(names = "--input", paramLabel = "FILE.txt", description = "A UTF-8 file with one text a line; blank lines are skipped.")
    Path input;
  }

  @Option(names = "--layers", split = ",", paramLabel = "L",
      description = "Hidden states to keep, 0 (embeddings) to L (default: all). Blocks after the last one asked for are not run.")
  List<Integer> layers = List.of();

  @Option(names = "--attentions", description = "Also keep the attention probabilities of the blocks that produce the kept layers.")
  boolean attentions;

  @Option(names = "--sites", split = ",", paramLabel = "SITE",
      description = "Also record these activation sites, by TransformerLens name; * and ? are globs"
          + " (blocks.*.hook_attn_out, blocks.3.attn.*). See README for the list and what each is.")
  List<String> sites = List.of();

  @Option(names = "--batch-size", defaultValue = "16", description = "Texts per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--truncate", description = "Cut texts longer than the model's maximum positions instead of failing.")
  boolean truncate;

  @Option(names = "--out", required = true, paramLabel = "FILE.json|DIR",
      description = "A .json file, or a directory (created; must be new or empty) for .npy files and index.json.")
  Path out;

  @picocli.CommandLine.Mixin OutputOptions output;

  @Override
  public Integer call() throws Exception {
    PrintWriter pw = Outputs.status(spec, out);
    ExtractOptions options = new ExtractOptions(layers, attentions, batchSize, truncate);
    boolean json = Outputs.isStdout(out) || out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    Outputs.In[] inputs = {Outputs.in("--input", source.input), Outputs.in("--model", Path.of(model))};
    Path target;
    if (json) {
      target = Outputs.file(spec, out, "--out", output.parents, inputs);
    } else if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException("--out " + out + " is a file; give a .json file name or a new directory");
    } else {
      target = Outputs.folder(spec, out, "--out", false, output.parents, inputs);
    }
    List<String> texts = texts();
    try (Extractor ex = Extractor.open(model)) {
      long t0 = System.nanoTime();
      Hooks hooks = Hooks.sites(sites);
      if (json) {
        try (Stages bar = Stages.elapsed("extract")) {
          ExtractionFiles.writeJson(target, ex.info(), ex.run(texts, options, hooks));
        }
      } else {
        try (ExtractionFiles.NpyDirectory dir = new ExtractionFiles.NpyDirectory(target, ex.info());
            Stages bar = new Stages("extract", texts.size(), texts.size() > options.batchSize())) {
          ex.run(texts, options, hooks, (i, r) -> {
            dir.accept(i, r);
            bar.step();
          });
          dir.commit();
        }
      }
      pw.printf(Locale.ROOT, "%s: %d text(s), %d layer(s) of width %d, in %.1f s -> %s%n", ex.info().name(),
          texts.size(), options.layers().isEmpty() ? ex.info().hiddenStates() : options.layers().size(),
          ex.info().config().hidden(), (System.nanoTime() - t0) * 1e-9, out);
      return Main.OK;
    } catch (ModelException e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("tokendyn extract: error: " + e.getMessage());
      err.flush();
      return Main.FAILURE;
    }
  }

  private List<String> texts() {
    if (source.texts != null) {
      return source.texts;
    }
    return Inputs.texts(source.input);
  }
}
