/**
 * The {@code tokendyn} command line (picocli): a thin skin that parses options, calls the library and
 * prints. Each command implements {@code Callable<Integer>} and writes to its own streams.
 */
package dev.tokendyn.cli;
