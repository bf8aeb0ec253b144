package dev.tokendyn.cloud;

import java.util.ArrayList;
import java.util.List;

/**
 * A sequence of token clouds indexed by layer (a model's hidden states) or by time (a simulation's
 * frames). Entry l carries a label (such as {@code "blocks.3.hook_resid_post"} or {@code "t=1.5"})
 * and a position: the layer index or the time.
 *
 * <p>Clouds may differ in size; consumers that compare the same tokens across entries (transitions,
 * trajectories) check that sizes agree. Immutable.
 */
public final class CloudSequence {

  /** What the positions of a sequence count. */
  public enum Axis {
    LAYER,
    TIME;

    /** The lower-case name used in JSON. */
    public String jsonName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One entry: a cloud, its label and its position on the axis. */
  public record Entry(String label, double position, TokenCloud cloud) {
    public Entry {
      java.util.Objects.requireNonNull(label, "label");
      java.util.Objects.requireNonNull(cloud, "cloud");
      if (!Double.isFinite(position)) {
        throw new IllegalArgumentException("position must be finite, found " + position);
      }
    }
  }

  private final Axis axis;
  private final List<Entry> entries;

  /**
   * @param axis what the positions count
   * @param entries at least one entry; copied
   */
  public CloudSequence(Axis axis, List<Entry> entries) {
    java.util.Objects.requireNonNull(axis, "axis");
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a cloud sequence needs at least one cloud, found none");
    }
    this.axis = axis;
    this.entries = List.copyOf(entries);
  }

  /** Clouds indexed by layer 0, 1, 2, ... with labels "0", "1", ... */
  public static CloudSequence ofLayers(List<TokenCloud> clouds) {
    List<Entry> e = new ArrayList<>();
    for (int l = 0; l < clouds.size(); l++) {
      e.add(new Entry(Integer.toString(l), l, clouds.get(l)));
    }
    return new CloudSequence(Axis.LAYER, e);
  }

  public Axis axis() {
    return axis;
  }

  public List<Entry> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  public TokenCloud cloud(int l) {
    return entries.get(l).cloud();
  }

  public String label(int l) {
    return entries.get(l).label();
  }

  public double position(int l) {
    return entries.get(l).position();
  }

  /** All clouds, in order. */
  public List<TokenCloud> clouds() {
    return entries.stream().map(Entry::cloud).toList();
  }

  /**
   * Several sequences of equal length (one per text) pooled into one: cloud l holds the tokens of every
   * sequence's cloud l, sequence after sequence, so each token keeps its place across entries. Token
   * labels become {@code "t:label"} (or {@code "t:i"}), t the sequence's index; weights are dropped.
   *
   * @throws IllegalArgumentException when the sequences differ in length or dimension, naming the first
   */
  public static CloudSequence pool(List<CloudSequence> sequences) {
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("pooling needs at least one sequence, found none");
    }
    CloudSequence first = sequences.get(0);
    if (sequences.size() == 1) {
      return first;
    }
    int layers = first.size();
    int d = first.cloud(0).dimension();
    for (int t = 0; t < sequences.size(); t++) {
      CloudSequence s = sequences.get(t);
      s.requireSameShape();
      if (s.size() != layers || s.cloud(0).dimension() != d) {
        throw new IllegalArgumentException("sequence " + t + " has " + s.size() + " clouds of dimension "
            + s.cloud(0).dimension() + " but sequence 0 has " + layers + " of dimension " + d);
      }
    }
    List<Entry> pooled = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      int n = 0;
      for (CloudSequence s : sequences) {
        n += s.cloud(l).size();
      }
      double[] flat = new double[n * d];
      List<String> tokens = new ArrayList<>(n);
      int off = 0;
      for (int t = 0; t < sequences.size(); t++) {
        TokenCloud c = sequences.get(t).cloud(l);
        System.arraycopy(c.toFlatArray(), 0, flat, off, c.size() * d);
        off += c.size() * d;
        List<String> labels = c.tokens().orElse(null);
        for (int i = 0; i < c.size(); i++) {
          tokens.add(t + ":" + (labels == null ? Integer.toString(i) : labels.get(i)));
        }
      }
      pooled.add(new Entry(first.label(l), first.position(l), new TokenCloud(n, d, flat, null, tokens)));
    }
    return new CloudSequence(first.axis(), pooled);
  }

  /**
   * Checks that every cloud holds the same tokens count and dimension, as a trajectory needs.
   *
   * @throws IllegalArgumentException naming the first entry that differs
   */
  public void requireSameShape() {
    TokenCloud first = cloud(0);
    for (int l = 1; l < size(); l++) {
      TokenCloud c = cloud(l);
      if (c.size() != first.size() || c.dimension() != first.dimension()) {
        throw new IllegalArgumentException("cloud " + l + " (" + label(l) + ") has shape " + c.size() + "x"
            + c.dimension() + " but cloud 0 (" + label(0) + ") has " + first.size() + "x" + first.dimension()
            + "; transitions and trajectories need the same tokens in every cloud");
      }
    }
  }
}
