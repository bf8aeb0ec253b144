package dev.tokendyn.analysis;

import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextMeasures;
import dev.tokendyn.metrics.TextMetric;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-text values of a corpus analysis as rows of primitive doubles, in blocks of {@link #BLOCK} texts:
 * row t holds every metric's entries of text t (metrics in declaration order, each over its layers, steps
 * or one entry), and three ints (index, tokens, kept). A million texts of 7 layers take about 1 GB here,
 * against about twice that as one {@link TextMeasures} object per text, and the bootstrap reads the rows
 * in place ({@link Summary.Rows}).
 */
final class TextTable implements Summary.Rows, java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** Texts per block. */
  static final int BLOCK = 1 << 12;
  private final int layers;
  private final int width;
  private final int[] offset;
  private final List<double[]> blocks = new ArrayList<>();
  private final List<int[]> counts = new ArrayList<>();
  private int size;

  TextTable(int layers) {
    this.layers = layers;
    offset = new int[TextMetric.values().length + 1];
    for (TextMetric m : TextMetric.values()) {
      offset[m.ordinal() + 1] = offset[m.ordinal()] + TextMeasures.length(m.scope(), layers);
    }
    width = offset[offset.length - 1];
  }

  int size() {
    return size;
  }

  /** The column of entry {@code j} of metric {@code m}. */
  int column(TextMetric m, int j) {
    return offset[m.ordinal()] + j;
  }

  @Override
  public int width() {
    return width;
  }

  @Override
  public double[] block(int text) {
    return blocks.get(text / BLOCK);
  }

  @Override
  public int start(int text) {
    return (text % BLOCK) * width;
  }

  /** Appends a text's values. @throws IllegalArgumentException when it has another number of layers */
  void add(TextMeasures m) {
    double[][] v = m.values();
    add(m.index(), m.tokens(), m.kept(), v);
  }

  private void add(int index, int tokens, int kept, double[][] v) {
    if (size % BLOCK == 0) {
      blocks.add(new double[BLOCK * width]);
      counts.add(new int[BLOCK * 3]);
    }
    double[] b = blocks.get(blocks.size() - 1);
    int s = (size % BLOCK) * width;
    for (int i = 0; i < v.length; i++) {
      if (v[i].length != offset[i + 1] - offset[i]) {
        throw new IllegalArgumentException("text " + index + " has " + v[i].length + " entries of "
            + TextMetric.values()[i].jsonName() + ", expected " + (offset[i + 1] - offset[i]) + " for " + layers
            + " layers");
      }
      System.arraycopy(v[i], 0, b, s + offset[i], v[i].length);
    }
    int[] c = counts.get(counts.size() - 1);
    int r = (size % BLOCK) * 3;
    c[r] = index;
    c[r + 1] = tokens;
    c[r + 2] = kept;
    size++;
  }

  /** Appends the rows of {@code next}. */
  void addAll(TextTable next) {
    if (next.width != width) {
      throw new IllegalArgumentException("the tables differ in width: " + width + " vs " + next.width);
    }
    for (int t = 0; t < next.size; t++) {
      TextMeasures m = next.get(t);
      add(m.index(), m.tokens(), m.kept(), m.values());
    }
  }

  /** Text {@code t}'s values, as a fresh object. */
  TextMeasures get(int t) {
    double[] b = block(t);
    int s = start(t);
    double[][] v = new double[offset.length - 1][];
    for (int i = 0; i < v.length; i++) {
      v[i] = java.util.Arrays.copyOfRange(b, s + offset[i], s + offset[i + 1]);
    }
    int[] c = counts.get(t / BLOCK);
    int r = (t % BLOCK) * 3;
    return new TextMeasures(c[r], c[r + 1], c[r + 2], v);
  }

  /** A read-only list view, one fresh {@link TextMeasures} per access. */
  List<TextMeasures> asList() {
    return new View(this, size);
  }

  private static final class View extends java.util.AbstractList<TextMeasures> implements java.util.RandomAccess,
      java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final TextTable table;
    private final int size;

    /** The first {@code size} rows, which appending does not change. */
    View(TextTable table, int size) {
      this.table = table;
      this.size = size;
    }

    @Override
    public TextMeasures get(int i) {
      java.util.Objects.checkIndex(i, size);
      return table.get(i);
    }

    @Override
    public int size() {
      return size;
    }
  }
}
