package dev.tokendyn.jupyter;

import dev.tokendyn.analysis.CorpusAnalysis;
import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.metrics.CloudMetrics;
import dev.tokendyn.metrics.SequenceMetrics;
import dev.tokendyn.metrics.Summary;
import dev.tokendyn.metrics.TextMetric;
import dev.tokendyn.metrics.Transition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * How a value appears in a notebook: an XChart chart as {@code image/png}, a token cloud or a sequence
 * as a one-line summary, metrics (a corpus analysis, sequence or cloud metrics) as HTML tables, markdown as {@code text/markdown}, anything else as
 * {@code text/plain}. Every bundle carries {@code text/plain}, for viewers that show nothing else.
 */
public final class Displays {

  private Displays() {
  }

  /** The display bundle of a value; a {@link DisplayData} passes through unchanged. */
  public static DisplayData of(Object value) {
    if (value instanceof DisplayData d) {
      return d;
    }
    if (value instanceof Notebook.Markdown md) {
      DisplayData d = new DisplayData(md.text());
      d.putMarkdown(md.text());
      return d;
    }
    if (value instanceof Notebook.Html html) {
      DisplayData d = new DisplayData(html.text());
      d.putHTML(html.text());
      return d;
    }
    if (value instanceof Chart<?, ?> chart) {
      return chart(chart);
    }
    if (value instanceof TokenCloud c) {
      return new DisplayData(summary(c));
    }
    if (value instanceof CloudSequence s) {
      return new DisplayData(summary(s));
    }
    if (value instanceof SequenceMetrics m) {
      DisplayData d = new DisplayData(m.labels().size() + " clouds measured: " + m.labels());
      d.putHTML(table(m));
      return d;
    }
    if (value instanceof CorpusAnalysis.Result r) {
      DisplayData d = new DisplayData(r.name() + ": " + r.texts() + " texts, " + r.sites().size() + " layers measured");
      d.putHTML(table(r));
      return d;
    }
    if (value instanceof CloudMetrics m) {
      DisplayData d = new DisplayData(m.toString());
      d.putHTML(table(List.of("cloud"), List.of(m)));
      return d;
    }
    return new DisplayData(text(value));
  }

  /** A chart drawn as PNG at its own size. */
  static DisplayData chart(Chart<?, ?> chart) {
    byte[] png;
    try {
      png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("could not draw the chart as PNG", e);
    }
    String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "chart" : chart.getTitle();
    DisplayData d = new DisplayData(title + " (" + chart.getWidth() + " x " + chart.getHeight() + " chart)");
    d.putData("image/png", Base64.getEncoder().encodeToString(png));
    return d;
  }

  /** {@code TokenCloud: 32 points in R^3, weighted, tokens [the, cat, ...]}. */
  static String summary(TokenCloud c) {
    StringBuilder b = new StringBuilder("TokenCloud: ").append(c.size()).append(c.size() == 1 ? " point" : " points")
        .append(" in R^").append(c.dimension());
    if (c.weights().isPresent()) {
      b.append(", weighted");
    }
    c.tokens().ifPresent(t -> b.append(", tokens ").append(head(t, 6)));
    return b.toString();
  }

  /** {@code CloudSequence: 7 clouds by layer (emb ... 6), each 12 points in R^384}. */
  static String summary(CloudSequence s) {
    if (s.size() == 0) {
      return "CloudSequence: empty";
    }
    TokenCloud first = s.cloud(0);
    return "CloudSequence: " + s.size() + (s.size() == 1 ? " cloud" : " clouds") + " by " + s.axis().jsonName()
        + " (" + s.label(0) + (s.size() > 1 ? " ... " + s.label(s.size() - 1) : "") + "), first "
        + first.size() + " points in R^" + first.dimension();
  }

  private static String head(List<String> items, int k) {
    List<String> shown = new ArrayList<>(items.subList(0, Math.min(k, items.size())));
    if (items.size() > k) {
      shown.add("... (" + items.size() + ")");
    }
    return shown.toString();
  }

  private static String table(SequenceMetrics m) {
    StringBuilder b = new StringBuilder(table(m.labels(), m.clouds()));
    if (!m.transitions().isEmpty()) {
      boolean transport = m.params().transitions().transport();
      b.append("<table><thead><tr><th>step</th><th>identity cost</th>");
      if (transport) {
        b.append("<th>W2</th><th>transport efficiency</th><th>Sinkhorn divergence</th><th>sliced W2</th>");
      }
      b.append("</tr></thead><tbody>");
      for (Transition t : m.transitions()) {
        b.append("<tr><td>").append(escape(m.labels().get(t.from()))).append(" &rarr; ")
            .append(escape(m.labels().get(t.to()))).append("</td>").append(cell(t.identityCost()));
        if (transport) {
          b.append(cell(t.w2())).append(cell(t.transportEfficiency())).append(cell(t.sinkhornDivergence()))
              .append(cell(t.sliced()));
        }
        b.append("</tr>");
      }
      b.append("</tbody></table>");
    }
    return b.toString();
  }

  /** A corpus analysis: per layer, the mean over texts of each per-layer metric, and per step of each step metric. */
  private static String table(CorpusAnalysis.Result r) {
    StringBuilder b = new StringBuilder("<p>").append(escape(r.name())).append(": mean over ").append(r.texts())
        .append(" texts</p>");
    for (TextMetric.Scope scope : List.of(TextMetric.Scope.LAYER, TextMetric.Scope.TRANSITION)) {
      List<TextMetric> metrics = new ArrayList<>();
      for (TextMetric m : TextMetric.values()) {
        if (m.scope() == scope && r.summaries().containsKey(m)) {
          metrics.add(m);
        }
      }
      if (metrics.isEmpty()) {
        continue;
      }
      b.append("<table><thead><tr><th>").append(scope == TextMetric.Scope.LAYER ? "layer" : "step").append("</th>");
      metrics.forEach(m -> b.append("<th>").append(m.jsonName().replace('_', ' ')).append("</th>"));
      b.append("</tr></thead><tbody>");
      int rows = r.summaries().get(metrics.get(0)).length;
      for (int i = 0; i < rows; i++) {
        String label = scope == TextMetric.Scope.LAYER && i < r.sites().size() ? r.sites().get(i)
            : i + " &rarr; " + (i + 1);
        b.append("<tr><td>").append(scope == TextMetric.Scope.LAYER ? escape(label) : label).append("</td>");
        for (TextMetric m : metrics) {
          Summary[] s = r.summaries().get(m);
          b.append(i < s.length ? cell(s[i].mean()) : "<td></td>");
        }
        b.append("</tr>");
      }
      b.append("</tbody></table>");
    }
    return b.toString();
  }

  private static String table(List<String> labels, List<CloudMetrics> clouds) {
    StringBuilder b = new StringBuilder("<table><thead><tr><th>cloud</th><th>mean cosine</th><th>clusters</th>"
        + "<th>clustered fraction</th><th>rank collapse</th><th>effective rank</th><th>stable rank</th>"
        + "<th>intrinsic dimension</th><th>entropy (nats)</th></tr></thead><tbody>");
    for (int i = 0; i < clouds.size(); i++) {
      CloudMetrics m = clouds.get(i);
      b.append("<tr><td>").append(escape(labels.get(i))).append("</td>").append(cell(m.meanCosine()))
          .append("<td>").append(m.clusters()).append("</td>").append(cell(m.clusteredFraction()))
          .append(cell(m.rankCollapse())).append(cell(m.effectiveRank())).append(cell(m.stableRank()))
          .append(cell(m.intrinsicDimension().value())).append(cell(m.entropy())).append("</tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  private static String cell(double v) {
    return "<td>" + (Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "&ndash;") + "</td>";
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Plain text of any value: arrays element by element, strings as they are. */
  static String text(Object value) {
    if (value == null) {
      return "null";
    }
    if (value.getClass().isArray()) {
      if (value instanceof Object[] a) {
        return Arrays.deepToString(a);
      }
      int n = Array.getLength(value);
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < n; i++) {
        b.append(i > 0 ? ", " : "").append(Array.get(value, i));
      }
      return b.append(']').toString();
    }
    return String.valueOf(value);
  }
}
