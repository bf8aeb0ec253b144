package dev.tokendyn.sphere;

import java.util.Objects;

/**
 * Everything that defines a simulation of attention dynamics on the sphere. Validated on construction,
 * with the offending value in the message.
 *
 * @param dynamics SA, USA or Sinkformer
 * @param n number of tokens, &gt;= 1
 * @param d dimension of the ambient space, &gt;= 2 (the sphere is S^{d-1})
 * @param beta inverse temperature, finite and &gt;= 0
 * @param dt time step, finite and &gt; 0; with an adaptive step, the largest step
 * @param steps number of steps, &gt;= 0; with an adaptive step the run ends at steps * dt and takes as many
 *     steps as it needs
 * @param init initial positions
 * @param seed seed of every random choice (initial points, noise)
 * @param integrator Euler or RK4 (RK4 only without noise)
 * @param noise sigma of the diffusion term sigma dW in the tangent space, finite and &gt;= 0
 * @param recordEvery a frame is recorded every this many steps (and always the first and last), &gt;= 1; with an
 *     adaptive step, at the times k * recordEvery * dt
 * @param sinkhornIterations Sinkformer's normalisations (1 = row softmax), &gt;= 1; ignored by SA and USA
 * @param interaction Q, K and V
 * @param mask which tokens each token attends to (all, or causal: j &lt;= i)
 * @param geometry the sphere (projected, renormalised) or R^d (neither)
 * @param stepControl a fixed step dt, or an adaptive step of at most dt (deterministic runs only)
 */
public record SimulationParams(
    Dynamics dynamics,
    int n,
    int d,
    double beta,
    double dt,
    int steps,
    Init init,
    long seed,
    Integrator integrator,
    double noise,
    int recordEvery,
    int sinkhornIterations,
    Interaction interaction,
    Mask mask,
    Geometry geometry,
    StepControl stepControl) {

  public SimulationParams {
    Objects.requireNonNull(mask, "mask");
    Objects.requireNonNull(geometry, "geometry");
    Objects.requireNonNull(stepControl, "stepControl");
    Objects.requireNonNull(dynamics, "dynamics");
    Objects.requireNonNull(init, "init");
    Objects.requireNonNull(integrator, "integrator");
    Objects.requireNonNull(interaction, "interaction");
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1, found " + n);
    }
    if (d < 2) {
      throw new IllegalArgumentException("d must be >= 2 (the sphere S^{d-1}), found " + d);
    }
    if (!Double.isFinite(beta) || beta < 0) {
      throw new IllegalArgumentException("beta must be finite and >= 0, found " + beta);
    }
    if (!Double.isFinite(dt) || dt <= 0) {
      throw new IllegalArgumentException("dt must be finite and > 0, found " + dt);
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, found " + steps);
    }
    if (!Double.isFinite(noise) || noise < 0) {
      throw new IllegalArgumentException("noise must be finite and >= 0, found " + noise);
    }
    if (noise > 0 && integrator == Integrator.RK4) {
      throw new IllegalArgumentException("noise " + noise + " needs the Euler-Maruyama integrator; use --integrator"
          + " euler with --noise, or drop --noise for rk4");
    }
    if (recordEvery < 1) {
      throw new IllegalArgumentException("recordEvery must be >= 1, found " + recordEvery);
    }
    if (sinkhornIterations < 1) {
      throw new IllegalArgumentException("sinkhornIterations must be >= 1, found " + sinkhornIterations);
    }
    if (mask == Mask.CAUSAL && dynamics == Dynamics.SINKFORMER && sinkhornIterations > 1) {
      throw new IllegalArgumentException("a causal mask leaves no doubly stochastic attention matrix but the"
          + " identity, so the Sinkformer's column normalisations are undefined; use --mask none with the"
          + " sinkformer, or --sinkhorn-iterations 1 (SA)");
    }
    if (stepControl == StepControl.ADAPTIVE && noise > 0) {
      throw new IllegalArgumentException("an adaptive step needs a deterministic run, found noise " + noise
          + "; use --step fixed with --noise");
    }
    int side = interaction.dimension();
    if (side != -1 && side != d) {
      throw new IllegalArgumentException("Q, K and V are " + side + "x" + side + " but d=" + d);
    }
  }

  /** The unmasked dynamics on the sphere with a fixed step: the parameters before masks and geometries. */
  public SimulationParams(Dynamics dynamics, int n, int d, double beta, double dt, int steps, Init init, long seed,
      Integrator integrator, double noise, int recordEvery, int sinkhornIterations, Interaction interaction) {
    this(dynamics, n, d, beta, dt, steps, init, seed, integrator, noise, recordEvery, sinkhornIterations, interaction,
        Mask.NONE, Geometry.SPHERE, StepControl.FIXED);
  }

  /** SA with Euler steps, identity Q, K, V, no noise, every step recorded, uniform start. */
  public static SimulationParams of(Dynamics dynamics, int n, int d, double beta, double dt, int steps, long seed) {
    return new SimulationParams(dynamics, n, d, beta, dt, steps, Init.uniform(), seed, Integrator.EULER, 0.0, 1, 1,
        Interaction.IDENTITY);
  }

  public SimulationParams withInit(Init newInit) {
    return new SimulationParams(dynamics, n, d, beta, dt, steps, newInit, seed, integrator, noise, recordEvery,
        sinkhornIterations, interaction, mask, geometry, stepControl);
  }

  public SimulationParams withIntegrator(Integrator newIntegrator) {
    return new SimulationParams(dynamics, n, d, beta, dt, steps, init, seed, newIntegrator, noise, recordEvery,
        sinkhornIterations, interaction, mask, geometry, stepControl);
  }

  public SimulationParams withNoise(double sigma) {
    return new SimulationParams(dynamics, n, d, beta, dt, steps, init, seed, integrator, sigma, recordEvery,
        sinkhornIterations, interaction, mask, geometry, stepControl);
  }

  public SimulationParams withRecordEvery(int k) {
    return new SimulationParams(dynamics, n, d, beta, dt, steps, init, seed, integrator, noise, k,
        sinkhornIterations, interaction, mask, geometry, stepControl);
  }

  public SimulationParams withSinkhornIterations(int it) {
    return new SimulationParams(dynamics, n, d, beta, dt, steps, init, seed, integrator, noise, recordEvery, it,
        interaction, mask, geometry, stepControl);
  }

  public SimulationParams withInteraction(Interaction qkv) {
    return new SimulationParams(dynamics, n, d, beta, dt, steps, init, seed, integrator, noise, recordEvery,
        sinkhornIterations, qkv, mask, geometry, stepControl);
  }

  public SimulationParams withMask(Mask newMask) {
    return new SimulationParams(dynamics, n, d, beta, dt, steps, init, seed, integrator, noise, recordEvery,
        sinkhornIterations, interaction, newMask, geometry, stepControl);
  }

  public SimulationParams withGeometry(Geometry newGeometry) {
    return new SimulationParams(dynamics, n, d, beta, dt, steps, init, seed, integrator, noise, recordEvery,
        sinkhornIterations, interaction, mask, newGeometry, stepControl);
  }

  public SimulationParams withStepControl(StepControl newStep) {
    return new SimulationParams(dynamics, n, d, beta, dt, steps, init, seed, integrator, noise, recordEvery,
        sinkhornIterations, interaction, mask, geometry, newStep);
  }

  /** The final time, steps * dt. */
  public double endTime() {
    return steps * dt;
  }
}
