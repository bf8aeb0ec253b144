/**
 * Compositions that a command or a notebook runs: a producer of cloud sequences (the simulator, later
 * a model) followed by the metrics. The library's three-line entry points live here; the CLI only
 * parses options and calls them.
 */
package dev.tokendyn.analysis;
