package dev.tokendyn.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.TokenCloud;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The reference problems made by make_pot_reference.py with POT 0.8.2 (committed beside the script). */
record PotReference(String name, TokenCloud xs, TokenCloud xt, double[] a, double[] b, double medianCost,
    double emd2, List<SinkhornCase> sinkhorn, double slicedValue, double slicedStandardError) {

  record SinkhornCase(double reg, double regOverMedian, double value) {}

  static List<PotReference> load() {
    try (InputStream in = PotReference.class.getResourceAsStream("/transport/pot_reference.json")) {
      JsonNode root = Json.mapper().readTree(in);
      List<PotReference> out = new ArrayList<>();
      for (JsonNode p : root.get("problems")) {
        List<SinkhornCase> sk = new ArrayList<>();
        for (JsonNode s : p.get("sinkhorn")) {
          sk.add(new SinkhornCase(s.get("reg").asDouble(), s.get("reg_over_median").asDouble(), s.get("value").asDouble()));
        }
        double[] a = vector(p.get("a"));
        double[] b = vector(p.get("b"));
        out.add(new PotReference(p.get("name").asText(), cloud(p.get("xs")).withWeights(a), cloud(p.get("xt")).withWeights(b),
            a, b, p.get("median_cost").asDouble(), p.get("emd2").asDouble(), sk,
            p.get("sliced").get("value").asDouble(), p.get("sliced").get("standard_error").asDouble()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double[] vector(JsonNode arr) {
    double[] v = new double[arr.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = arr.get(i).asDouble();
    }
    return v;
  }

  private static TokenCloud cloud(JsonNode rows) {
    double[][] r = new double[rows.size()][];
    for (int i = 0; i < r.length; i++) {
      r[i] = vector(rows.get(i));
    }
    return TokenCloud.of(r);
  }

  @Override
  public String toString() {
    return name;
  }
}
