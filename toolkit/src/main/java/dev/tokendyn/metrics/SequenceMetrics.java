package dev.tokendyn.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.Json;
import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.List;

/**
 * A full metrics pass over a cloud sequence: every {@link CloudMetrics} per cloud, a {@link Transition}
 * between each pair of consecutive clouds, and the {@link Spreading} of the whole sequence.
 *
 * <p>In a notebook:
 * <pre>{@code
 * CloudSequence seq = CloudFiles.readSequence(Path.of("layers.json"));
 * SequenceMetrics m = SequenceMetrics.of(seq, MetricsParams.defaults());
 * System.out.println(m.transitions().get(0).rotationalShare());
 * }</pre>
 *
 * @param labels the label of each cloud
 * @param positions the position of each cloud (layer index or time)
 * @param clouds the per-cloud measurements
 * @param transitions the steps l -&gt; l+1, one fewer than the clouds
 * @param spreading the spreading across the sequence
 * @param params what the pass used
 */
public record SequenceMetrics(
    List<String> labels,
    List<Double> positions,
    List<CloudMetrics> clouds,
    List<Transition> transitions,
    Spreading spreading,
    MetricsParams params) {

  public SequenceMetrics {
    labels = List.copyOf(labels);
    positions = List.copyOf(positions);
    clouds = List.copyOf(clouds);
    transitions = List.copyOf(transitions);
  }

  /**
   * Measures a sequence. Every check on the input runs before any measurement.
   *
   * @throws IllegalArgumentException when the clouds differ in shape or labels (transitions and
   *     spreading need the same tokens), or a cloud has a zero point; the message names the cloud. A cloud
   *     too small for a measurement is not refused: that measurement is NaN, with its reason.
   */
  public static SequenceMetrics of(CloudSequence sequence, MetricsParams params) {
    sequence.requireSameShape();
    for (int l = 0; l < sequence.size(); l++) {
      try {
        UnitRows.of(sequence.cloud(l));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("cloud " + l + " (" + sequence.label(l) + "): " + e.getMessage(), e);
      }
    }
    List<String> labels = new ArrayList<>();
    List<Double> positions = new ArrayList<>();
    List<CloudMetrics> clouds = new ArrayList<>();
    double[] entropy = new double[sequence.size()];
    for (int l = 0; l < sequence.size(); l++) {
      labels.add(sequence.label(l));
      positions.add(sequence.position(l));
      CloudMetrics m = CloudMetrics.of(sequence.cloud(l), params.threshold());
      clouds.add(m);
      entropy[l] = m.entropy();
    }
    List<Transition> transitions = new ArrayList<>();
    double[] w2 = new double[Math.max(0, sequence.size() - 1)];
    for (int l = 0; l + 1 < sequence.size(); l++) {
      TokenCloud x = sequence.cloud(l);
      TokenCloud y = sequence.cloud(l + 1);
      Transition t = Transition.between(l, l + 1, x, y, params.transitions());
      transitions.add(t);
      w2[l] = t.w2();
    }
    double geodesic = Double.NaN;
    if (params.transitions().transport() && sequence.size() >= 2) {
      geodesic = GeodesicRatio.of(w2, dev.tokendyn.transport.Transport.w2(sequence.cloud(0),
          sequence.cloud(sequence.size() - 1)));
    }
    Spreading spreading = Spreading.of(sequence, entropy, geodesic);
    return new SequenceMetrics(labels, positions, clouds, transitions, spreading, params);
  }

  /**
   * The report as JSON: {@code {"schema": "tokendyn.metrics/1", "params": {...}, "clouds": [...],
   * "transitions": [...], "spreading": {...}}}. Undefined values (NaN) are written as {@code null}; the
   * transport keys of a transition are left out when transport was off.
   */
  public ObjectNode toJson() {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("schema", Json.schema("metrics"));
    ObjectNode p = root.putObject("params");
    p.put("threshold", params.threshold());
    p.put("clustered_cosine", Clusters.CLUSTERED_COSINE);
    p.put("transport", params.transitions().transport());
    p.put("sinkhorn_scale", params.transitions().sinkhornScale());
    p.put("sliced_projections", params.transitions().slicedProjections());
    p.put("seed", params.transitions().seed());
    p.put("entropy_k", Entropy.DEFAULT_K);
    p.put("entropy_units", "nats");
    p.put("twonn_discard", IntrinsicDimension.DEFAULT_DISCARD);
    p.put("twonn_duplicate_ratio", IntrinsicDimension.DUPLICATE_RATIO);
    p.put("rotation_components", params.transitions().rotationComponents());
    p.put("entropy_points_per_dimension", CloudMetrics.ENTROPY_POINTS_PER_DIMENSION);
    ArrayNode cs = root.putArray("clouds");
    for (int l = 0; l < clouds.size(); l++) {
      CloudMetrics m = clouds.get(l);
      ObjectNode c = cs.addObject();
      c.put("index", l);
      c.put("label", labels.get(l));
      c.put("position", positions.get(l));
      number(c, "mean_cosine", m.meanCosine());
      c.put("clusters", m.clusters());
      ArrayNode sizes = c.putArray("cluster_sizes");
      for (int s : m.clusterSizes()) {
        sizes.add(s);
      }
      number(c, "clustered_fraction", m.clusteredFraction());
      number(c, "rank_collapse", m.rankCollapse());
      number(c, "effective_rank", m.effectiveRank());
      number(c, "stable_rank", m.stableRank());
      number(c, "intrinsic_dimension", m.intrinsicDimension().value());
      c.put("intrinsic_dimension_points", m.intrinsicDimension().points());
      c.put("intrinsic_dimension_dropped", m.intrinsicDimension().dropped());
      number(c, "entropy", m.entropy());
      ObjectNode why = c.putObject("undefined");
      m.undefined().forEach(why::put);
    }
    ArrayNode ts = root.putArray("transitions");
    for (Transition t : transitions) {
      ObjectNode o = ts.addObject();
      o.put("from", t.from());
      o.put("to", t.to());
      number(o, "identity_cost", t.identityCost());
      number(o, "rotational_share", t.rotationalShare());
      number(o, "affine_r2", t.affineR2());
      if (params.transitions().transport()) {
        number(o, "w2", t.w2());
        number(o, "sinkhorn_divergence", t.sinkhornDivergence());
        number(o, "sinkhorn_reg", t.sinkhornReg());
        number(o, "sliced", t.sliced());
      }
    }
    ObjectNode s = root.putObject("spreading");
    array(s, "depth", spreading.depth());
    array(s, "msd", spreading.msd());
    array(s, "msd_ceiling", spreading.msdCeiling());
    double[] sat = spreading.msd();
    double[] ceil = spreading.msdCeiling();
    for (int i = 0; i < sat.length; i++) {
      sat[i] = ceil[i] > 0 ? sat[i] / ceil[i] : Double.NaN;
    }
    array(s, "msd_saturation", sat);
    array(s, "persistence", spreading.persistence());
    number(s, "mean_persistence", spreading.meanPersistence());
    number(s, "geodesic_ratio", spreading.geodesicRatio());
    number(s, "msd_alpha", spreading.fit().alpha());
    number(s, "msd_prefactor", spreading.fit().prefactor());
    number(s, "msd_r_squared", spreading.fit().rSquared());
    s.put("msd_fit_points", spreading.fit().points());
    array(s, "variance", spreading.variance());
    array(s, "variance_growth", spreading.varianceGrowth());
    array(s, "entropy", spreading.entropy());
    return root;
  }

  private static void number(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  private static void array(ObjectNode o, String key, double[] v) {
    ArrayNode a = o.putArray(key);
    for (double x : v) {
      if (Double.isFinite(x)) {
        a.add(x);
      } else {
        a.addNull();
      }
    }
  }
}
