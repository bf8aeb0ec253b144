package dev.tokendyn.cli;

import dev.tokendyn.sphere.Dynamics;
import dev.tokendyn.sphere.Init;
import dev.tokendyn.sphere.Integrator;
import dev.tokendyn.sphere.Interaction;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options that define a simulation, shared by {@code simulate} and {@code sweep}. */
final class SimulationOptions {
  @Option(names = "--dynamics", defaultValue = "sa", description = "sa, usa or sinkformer (default: ${DEFAULT-VALUE}).")
  Dynamics dynamics;

  @Option(names = "--dt", defaultValue = "0.1", description = "Time step (default: ${DEFAULT-VALUE}).")
  double dt;

  @Option(names = "--integrator", defaultValue = "euler",
      description = "euler (projected Euler; Euler-Maruyama with --noise) or rk4 (default: ${DEFAULT-VALUE}).")
  Integrator integrator;

  @Option(names = "--noise", defaultValue = "0", description = "Diffusion strength sigma >= 0 (default: ${DEFAULT-VALUE}).")
  double noise;

  @Option(names = "--sinkhorn-iterations", defaultValue = "5",
      description = "Sinkformer's row/column normalisations, 1 = softmax (default: ${DEFAULT-VALUE}).")
  int sinkhornIterations;

  @Option(names = "--qkv", defaultValue = "identity", paramLabel = "identity|gaussian|FILE",
      description = "Q, K, V: identity, Gaussian N(0,1/d) from --seed, or a JSON file {\"q\":[[..]],\"k\":..,\"v\":..}"
          + " (default: ${DEFAULT-VALUE}).")
  String qkv;

  @Option(names = "--cluster-eps", defaultValue = "1e-3",
      description = "Tokens i, j are in one cluster when <x_i,x_j> > 1 - eps (default: ${DEFAULT-VALUE}).")
  double clusterEps;

  @Option(names = "--threads", description = "Threads (default: all cores).")
  Integer threads;

  /** The --qkv file, or null for identity and gaussian. */
  Path qkvFile() {
    String s = qkv.strip();
    return s.equalsIgnoreCase("identity") || s.equalsIgnoreCase("gaussian") || s.equalsIgnoreCase("random")
        ? null : Path.of(s);
  }

  /** The --init file, or null for uniform and equiangular:RHO. */
  static Path initFile(String spec) {
    String s = spec.strip().toLowerCase(Locale.ROOT);
    return s.equals("uniform") || s.startsWith("equiangular") ? null : Path.of(spec.strip());
  }

  int threads() {
    int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (t < 1) {
      throw new UsageException("--threads must be >= 1, found " + t);
    }
    return t;
  }

  void checkClusterEps() {
    if (!(clusterEps > 0 && clusterEps <= 2)) {
      throw new UsageException("--cluster-eps must be in (0, 2], found " + clusterEps);
    }
  }

  Interaction interaction(int d, long seed) {
    String s = qkv.strip();
    if (s.equalsIgnoreCase("identity")) {
      return Interaction.IDENTITY;
    }
    if (s.equalsIgnoreCase("gaussian") || s.equalsIgnoreCase("random")) {
      return Interaction.gaussian(d, seed);
    }
    try {
      return Interaction.read(Path.of(s));
    } catch (IOException e) {
      throw new UsageException("cannot read --qkv file: " + e.getMessage()
          + " (or give --qkv identity or --qkv gaussian)", e);
    }
  }

  /** Parses {@code uniform}, {@code gaussian}, {@code equiangular:RHO} or a cloud file. */
  static Init init(String spec) {
    String s = spec.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.equals("uniform")) {
      return Init.uniform();
    }
    if (lower.equals("gaussian")) {
      return Init.gaussian();
    }
    if (lower.startsWith("equiangular")) {
      int colon = s.indexOf(':');
      if (colon < 0) {
        throw new UsageException("--init equiangular needs the inner product: equiangular:RHO, such as equiangular:0.2");
      }
      try {
        return Init.equiangular(Double.parseDouble(s.substring(colon + 1)));
      } catch (NumberFormatException e) {
        throw new UsageException("--init " + s + ": RHO is not a number; write equiangular:0.2", e);
      }
    }
    return Init.of(Inputs.cloud(Path.of(s), "--init file (expected uniform, gaussian, equiangular:RHO or a cloud file)"));
  }
}
