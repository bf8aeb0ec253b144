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
 * <p>Results: {@link Extraction#toSequence(int)} gives one text's hidden states as a
 * {@link dev.tokendyn.cloud.CloudSequence} over layers (labels are the sites, positions the layer
 * indices, clouds labelled with the tokens); {@link Extraction#sequences()} gives all of them and
 * {@link Extraction#pooledSequence()} pools every text's tokens into one cloud per layer.
 * {@link ExtractionFiles} writes {@code tokendyn.extraction/1} as JSON or as a directory of {@code .npy}.
 *
 * <p>Speed: each layer allocates and frees tensors of tens of MB. Run the JVM as the {@code tokendyn}
 * launcher does, with glibc told to keep freed memory ({@code MALLOC_ARENA_MAX=1},
 * {@code MALLOC_MMAP_THRESHOLD_=4294967296}, {@code MALLOC_TRIM_THRESHOLD_=68719476736}) and a fixed young
 * generation ({@code -Xmn256m}); otherwise page faults can cost more than the arithmetic. The launcher also
 * sets {@code OMP_WAIT_POLICY=PASSIVE}: the engine's OpenMP threads otherwise spin between operations and
 * hold cores that a measuring thread or another process needs (on two busy cores extraction then took five
 * times as long). Dense layers run
 * as 1x1 convolutions over a channels-last view, which the engine hands to oneDNN (AVX-512 where the CPU
 * has it) rather than to MKL (AVX2 only, on processors that are not Intel's); each layer checks at load
 * time that the two agree, and batches under 16 texts keep the matrix product.
 *
 * <p>Native tensors never leave this package: each batch runs in its own {@code NDManager} scope and
 * its results are copied into Java arrays before the scope closes. Activation sites carry
 * TransformerLens names ({@link Sites}).
 */
package dev.tokendyn.model;
