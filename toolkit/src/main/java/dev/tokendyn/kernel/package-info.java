/**
 * SIMD building blocks shared by the numerical packages (sphere, transport, metrics): operations on
 * the JDK's Vector API whose results are the same bit for bit whether the code runs interpreted or
 * compiled. Depends on nothing else in the project.
 */
package dev.tokendyn.kernel;
