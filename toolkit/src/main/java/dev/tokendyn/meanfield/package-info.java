/**
 * The Eulerian side of attention dynamics: equations for the distribution of the tokens rather than for
 * the tokens themselves. The Gaussian closure of the Euclidean dynamics (moments of N(m, Sigma), Castin,
 * Ablin, Carrillo, Peyr&eacute; 2025) and the continuity equation of SA on the circle (Geshkovski,
 * Letrouit, Polyanskiy, Rigollet, section 3; Rigollet, "The mean-field dynamics of Transformers", 2025).
 * The particle simulator of {@code sphere} is the Lagrangian side of the same equations.
 */
package dev.tokendyn.meanfield;
