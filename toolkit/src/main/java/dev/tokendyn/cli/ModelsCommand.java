package dev.tokendyn.cli;

import dev.tokendyn.model.Catalog;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code tokendyn models}: the catalog of pretrained models that load without internet. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {
      "List the pretrained models that tokendyn loads without internet (their weights come from Maven Central",
      "at build time). A Hugging Face directory (config.json, model.safetensors, tokenizer.json) of a bert,",
      "roberta, distilbert or gpt2 model can be given to --model as well."})
final class ModelsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%-20s %-6s %6s %6s %5s  %s%n", "name", "arch", "layers", "width", "heads", "weights (Maven Central)");
    for (Catalog.Entry e : Catalog.entries()) {
      out.printf(Locale.ROOT, "%-20s %-6s %6d %6d %5d  %s%n", e.name(), e.architecture().modelType(), e.layers(),
          e.hidden(), e.heads(), e.coordinates());
    }
    return Main.OK;
  }
}
