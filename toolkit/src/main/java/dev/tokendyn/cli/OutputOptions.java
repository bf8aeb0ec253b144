package dev.tokendyn.cli;

import picocli.CommandLine.Option;

/** The option shared by every command that writes files. */
final class OutputOptions {
  @Option(names = "--parents", description = "Create the output's missing parent folders (default: refuse).")
  boolean parents;
}
