package dev.tokendyn.analysis;

import dev.tokendyn.meanfield.CircleDensity;
import dev.tokendyn.meanfield.CircleWasserstein;
import dev.tokendyn.meanfield.MeanField;
import dev.tokendyn.meanfield.MeanFieldParams;
import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Integrator;
import dev.tokendyn.sphere.Interaction;
import dev.tokendyn.sphere.SimulationParams;
import dev.tokendyn.sphere.Simulator;
import java.util.ArrayList;
import java.util.List;

/**
 * The Lagrangian-Eulerian pairing on the circle: the mean-field density of SA (Eulerian) and, optionally,
 * n particles started from samples of the same initial density (Lagrangian, the sphere simulator in
 * d = 2 with RK4 steps of at most {@value #PARTICLE_DT}), compared frame by frame through the mean cosine
 * and the W2 distance on the circle.
 *
 * <pre>{@code
 * var frames = MeanFieldRun.run(InitialDensity.vonMises(0, 1).on(1024), MeanFieldParams.of(1, 5, 10), 1000, 7);
 * frames.get(10).w2();   // about 1.5 / sqrt(1000)
 * }</pre>
 */
public final class MeanFieldRun {
  private MeanFieldRun() {}

  /** The largest RK4 step of the particles. */
  public static final double PARTICLE_DT = 0.05;

  /**
   * One frame.
   *
   * @param particleMeanCosine |(1/n) sum e^{i theta_j}|^2 of the particles, NaN without particles
   * @param w2 W2 on the circle between the particles and the density, NaN without particles
   * @param particleAngles the particles' angles in [0, 2 pi), or null
   */
  public record Frame(double time, CircleDensity density, double meanCosine, double particleMeanCosine, double w2,
      double[] particleAngles) {}

  /**
   * Solves the mean-field equation and, when {@code particles > 0}, runs the particles from samples of the
   * start drawn with {@code seed}.
   */
  public static List<Frame> run(CircleDensity start, MeanFieldParams p, int particles, long seed) {
    if (particles < 0) {
      throw new IllegalArgumentException("particles must be >= 0, found " + particles);
    }
    List<MeanField.Frame> eulerian = MeanField.solve(start, p);
    List<double[]> lagrangian = new ArrayList<>();
    if (particles > 0) {
      double interval = p.time() / p.frames();
      int perFrame = Math.max(1, (int) Math.ceil(interval / PARTICLE_DT - 1e-9));
      double[] angles = start.sample(particles, seed);
      SimulationParams sp = new SimulationParams(Dynamics.SA, particles, 2, p.beta(),
          interval > 0 ? interval / perFrame : 1, perFrame * p.frames(), Init.of(CircleDensity.onCircle(angles)), seed,
          Integrator.RK4, 0, perFrame, 1, Interaction.IDENTITY);
      if (interval > 0) {
        Simulator.run(sp, Runtime.getRuntime().availableProcessors(),
            f -> lagrangian.add(CircleDensity.angles(f.cloud())));
      } else {
        for (int k = 0; k <= p.frames(); k++) {
          lagrangian.add(angles);
        }
      }
    }
    List<Frame> out = new ArrayList<>();
    for (int k = 0; k < eulerian.size(); k++) {
      MeanField.Frame e = eulerian.get(k);
      double[] a = particles > 0 ? lagrangian.get(k) : null;
      out.add(new Frame(e.time(), e.density(), e.density().meanCosine(),
          a == null ? Double.NaN : CircleDensity.meanCosine(a),
          a == null ? Double.NaN : CircleWasserstein.w2(a, e.density()), a));
    }
    return out;
  }
}
