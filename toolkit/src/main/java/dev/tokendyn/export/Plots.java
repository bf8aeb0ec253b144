package dev.tokendyn.export;

import dev.tokendyn.cloud.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Charts drawn with XChart and saved as PNG or SVG (by the file's extension), atomically. Needs a
 * headless AWT ({@code -Djava.awt.headless=true}, which the launcher sets) and fonts on the machine.
 */
public final class Plots {
  private Plots() {}

  /**
   * A heat map of z[y][x] over the x and y values.
   *
   * @param z rows indexed like y, columns like x; not modified
   */
  public static HeatMapChart heatMap(String title, String xTitle, double[] x, String yTitle, double[] y, double[][] z,
                                     double zMin, double zMax) {
    if (z.length != y.length) {
      throw new IllegalArgumentException("z has " + z.length + " rows but y has " + y.length + " values");
    }
    HeatMapChart chart = new HeatMapChartBuilder().width(900).height(640).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    List<Number[]> cells = new ArrayList<>();
    for (int i = 0; i < y.length; i++) {
      if (z[i].length != x.length) {
        throw new IllegalArgumentException("z row " + i + " has " + z[i].length + " values but x has " + x.length);
      }
      for (int j = 0; j < x.length; j++) {
        cells.add(new Number[] {j, i, z[i][j]});
      }
    }
    chart.addSeries("value", labels(x), labels(y), cells);
    chart.getStyler().setMin(zMin);
    chart.getStyler().setMax(zMax);
    chart.getStyler().setRangeColors(new Color[] {new Color(0x30, 0x12, 0x3b), new Color(0x28, 0xbc, 0xeb),
        new Color(0xa4, 0xfc, 0x3c), new Color(0xfb, 0x80, 0x22), new Color(0x7a, 0x04, 0x03)});
    chart.getStyler().setShowValue(false);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    chart.getStyler().setLegendVisible(true);
    thinLabels(chart, y.length);
    return chart;
  }

  private static void thinLabels(HeatMapChart chart, int ny) {
    chart.getStyler().setYAxisDecimalPattern("0.##");
    chart.getStyler().setXAxisLabelRotation(0);
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, ny > 40 ? 9 : 11));
  }

  private static List<String> labels(double[] v) {
    List<String> s = new ArrayList<>(v.length);
    for (double x : v) {
      s.add(x == Math.rint(x) && Math.abs(x) < 1e9 ? Long.toString((long) x)
          : String.format(Locale.ROOT, "%.3g", x));
    }
    return s;
  }

  /**
   * A line chart of one or more series over a shared x.
   *
   * @param series name to y values, each as long as x; not modified
   */
  public static XYChart lines(String title, String xTitle, String yTitle, double[] x,
                              java.util.Map<String, double[]> series) {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
    chart.getStyler().setMarkerSize(4);
    chart.getStyler().setYAxisDecimalPattern("0.###");
    chart.getStyler().setXAxisDecimalPattern("0.###");
    for (var e : series.entrySet()) {
      if (e.getValue().length != x.length) {
        throw new IllegalArgumentException("series " + e.getKey() + " has " + e.getValue().length + " values but x has "
            + x.length);
      }
      chart.addSeries(e.getKey(), x, e.getValue()).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    }
    widenFlatAxis(chart);
    return chart;
  }

  /**
   * Gives a y axis whose values are all but equal (such as efficiencies of 1 to five digits) a range of
   * a few percent around them, so that rounding noise is not drawn as a cliff and the ticks stay
   * readable. Call again after adding series.
   */
  public static void widenFlatAxis(XYChart chart) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (XYSeries series : chart.getSeriesMap().values()) {
      for (double v : series.getYData()) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!(lo <= hi)) {
      return;
    }
    double scale = Math.max(Math.max(Math.abs(lo), Math.abs(hi)), 1e-12);
    if (hi - lo < 0.01 * scale) {
      double mid = 0.5 * (lo + hi);
      chart.getStyler().setYAxisMin(mid - 0.05 * scale);
      chart.getStyler().setYAxisMax(mid + 0.05 * scale);
    } else {
      chart.getStyler().setYAxisMin(null);
      chart.getStyler().setYAxisMax(null);
    }
  }

  /**
   * A scatter chart of one or more point sets.
   *
   * @param series name to {x values, y values}; not modified
   */
  public static XYChart scatter(String title, String xTitle, String yTitle, java.util.Map<String, double[][]> series) {
    XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(8);
    for (var e : series.entrySet()) {
      double[][] xy = e.getValue();
      if (xy.length != 2 || xy[0].length != xy[1].length) {
        throw new IllegalArgumentException("series " + e.getKey() + " needs {x, y} of equal length");
      }
      chart.addSeries(e.getKey(), xy[0], xy[1]);
    }
    return chart;
  }

  /** Saves a chart as PNG, or SVG when the name ends in {@code .svg}; atomically. */
  /** Whether {@link #warmUpInBackground} has run. */
  private static final java.util.concurrent.atomic.AtomicBoolean WARM = new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Renders a tiny chart to memory, as PNG and as SVG, on a daemon thread, once per process: the first
   * chart of a process otherwise pays for loading the fonts, the rasteriser and the encoders, which for
   * analyze's report was a quarter of its time (0.93-0.97 s against 0.70-0.73 s when warmed up while the
   * model loads). Nothing is written; a failure here is left for the real charts to report.
   *
   * @return the thread, or null when a warm-up has started before
   */
  public static Thread warmUpInBackground() {
    if (!WARM.compareAndSet(false, true)) {
      return null;
    }
    Thread t = new Thread(() -> {
      try {
        XYChart c = lines("", "x", "y", new double[] {0, 1}, java.util.Map.of("s", new double[] {0, 1}));
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(c, sink, BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(c, sink, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
      } catch (IOException | RuntimeException e) {
        // the report's own charts meet the same problem and say what it is
      }
    }, "tokendyn-plots-warm-up");
    t.setDaemon(true);
    t.start();
    return t;
  }

  public static void save(Chart<?, ?> chart, Path path) throws IOException {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".svg")) {
      AtomicFiles.write(path, out -> VectorGraphicsEncoder.saveVectorGraphic(chart, out,
          VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
    } else if (name.endsWith(".png")) {
      AtomicFiles.write(path, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    } else {
      throw new IllegalArgumentException("plot file " + path + " must end in .png or .svg");
    }
  }
}
