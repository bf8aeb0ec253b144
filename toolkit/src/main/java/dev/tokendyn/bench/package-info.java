/**
 * Benchmarks that time tokendyn's hot paths and run the peers (numpy, PyTorch, POT) side by side in
 * one process tree, so that ratios, not lone absolute times, are reported.
 */
package dev.tokendyn.bench;
