package dev.tokendyn.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A model and the texts to run it over: the input of {@code analyze} and {@code fit}. */
final class ModelTexts {
  @Option(names = "--model", required = true, paramLabel = "NAME|DIR",
      description = "A catalog model (see 'tokendyn models') or a Hugging Face model folder.")
  String model;

  @Option(names = "--input", required = true, paramLabel = "FILE.txt", description = "Texts, one a line.")
  Path input;

  @Option(names = "--truncate", description = "Cut texts longer than the model's positions instead of failing.")
  boolean truncate;
}
