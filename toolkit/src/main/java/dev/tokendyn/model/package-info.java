/**
 * Real transformers: load pretrained weights offline (the catalog's ONNX files, or a local Hugging Face
 * directory), run the forward pass with DJL's PyTorch engine, and return every layer's token
 * representations as plain Java arrays and {@link dev.tokendyn.cloud.CloudSequence}s.
 *
 * <p>Entry point, in three lines:
 * <pre>{@code
 * try (Extractor ex = Extractor.open("all-minilm-l6-v2")) {
 *   Extraction r = ex.extract(List.of("The cat sat on the mat."), ExtractOptions.defaults());
 *   CloudSequence layers = r.toSequence(0);   // hidden_states[0..L] of text 0
 * }
 * }</pre>
 *
 * <p>Native tensors never leave this package: each batch runs in its own {@code NDManager} scope and
 * its results are copied into Java arrays before the scope closes. Activation sites carry
 * TransformerLens names ({@link Sites}).
 */
package dev.tokendyn.model;
