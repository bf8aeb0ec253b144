/**
 * Idealised attention as interacting particles on the unit sphere: SA, USA and Sinkformer dynamics,
 * their integrators, initial conditions and interaction energy (Geshkovski, Letrouit, Polyanskiy,
 * Rigollet, "A mathematical perspective on Transformers"; Sander et al., "Sinkformers"). A simulation
 * produces frames of token clouds; it knows nothing of metrics.
 */
package dev.tokendyn.sphere;
