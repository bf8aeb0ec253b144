/**
 * The numeric kernels of the project, each written once and tested against a plain scalar loop, on the
 * JDK's Vector API: the register-blocked matrix product ({@link dev.tokendyn.kernel.MatrixProduct}),
 * squared distances as |x|^2 + |y|^2 - 2 X Y^T tiles ({@link dev.tokendyn.kernel.SquaredDistances}, and in
 * single precision {@link dev.tokendyn.kernel.SingleDistances}), projections on fixed directions in single
 * precision ({@link dev.tokendyn.kernel.SingleProjections}),
 * kernels on stretches of arrays (dot products, four-row dots, axpy, minima, rows of a Gibbs kernel;
 * {@link dev.tokendyn.kernel.ArrayOps}), log-sum-exp and Gibbs rows and columns of logits
 * ({@link dev.tokendyn.kernel.LogSumExp}), and the exponential and lane sums whose results are the same bit
 * for bit whether the code runs interpreted or compiled ({@link dev.tokendyn.kernel.VectorMath}). A process
 * runs the scalar twins of the transport kernels, with the same bits, until it has done enough work for the
 * Vector API's warm-up to pay ({@link dev.tokendyn.kernel.Warmth}). Every float kernel uses one species, that
 * of {@code ArrayOps}: the Vector API's shared methods compiled for two float shapes lose their intrinsics.
 * Used by sphere, transport and metrics;
 * depends on nothing else in the project.
 */
package dev.tokendyn.kernel;
