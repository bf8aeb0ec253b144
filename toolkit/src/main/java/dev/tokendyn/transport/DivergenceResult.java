package dev.tokendyn.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * The debiased Sinkhorn divergence S = OT(a, b) - (OT(a, a) + OT(b, b)) / 2, where OT is the entropic
 * objective ({@link SinkhornResult#regularizedValue()}), with the three solves it came from.
 *
 * @param value S
 * @param xy the solve between the two clouds
 * @param xx the solve of the first cloud with itself
 * @param yy the solve of the second cloud with itself
 */
public record DivergenceResult(double value, SinkhornResult xy, SinkhornResult xx, SinkhornResult yy)
    implements TransportResult {
  @Override
  public long iterations() {
    return xy.iterations() + xx.iterations() + yy.iterations();
  }

  @Override
  public boolean converged() {
    return xy.converged() && xx.converged() && yy.converged();
  }

  @Override
  public List<String> warnings() {
    List<String> w = new ArrayList<>();
    for (String s : xy.warnings()) {
      w.add("OT(a, b): " + s);
    }
    for (String s : xx.warnings()) {
      w.add("OT(a, a): " + s);
    }
    for (String s : yy.warnings()) {
      w.add("OT(b, b): " + s);
    }
    return List.copyOf(w);
  }
}
