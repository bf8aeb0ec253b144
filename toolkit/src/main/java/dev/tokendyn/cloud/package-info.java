/**
 * The common language of tokendyn: a {@link dev.tokendyn.cloud.TokenCloud} of n points in R^d, and a
 * {@link dev.tokendyn.cloud.CloudSequence} of clouds indexed by layer or time, with their JSON and
 * NumPy {@code .npy} files. This package depends on no other package of the project.
 */
package dev.tokendyn.cloud;
