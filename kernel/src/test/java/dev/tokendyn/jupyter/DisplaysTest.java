package dev.tokendyn.jupyter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TokenCloud;
import dev.tokendyn.metrics.MetricsParams;
import dev.tokendyn.metrics.SequenceMetrics;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class DisplaysTest {

  private static final MIMEType PNG = MIMEType.parse("image/png");
  private static final MIMEType HTML = MIMEType.parse("text/html");
  private static final MIMEType MARKDOWN = MIMEType.parse("text/markdown");

  @Test
  void aChartIsAPngOfItsOwnSize() throws Exception {
    XYChart chart = new XYChart(320, 200);
    chart.setTitle("parabola");
    chart.addSeries("y", new double[] {0, 1, 2}, new double[] {0, 1, 4});
    DisplayData d = Displays.of(chart);
    byte[] png = Base64.getDecoder().decode((String) d.getData(PNG));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(img.getWidth()).isEqualTo(320);
    assertThat(img.getHeight()).isEqualTo(200);
    assertThat((String) d.getData(MIMEType.TEXT_PLAIN)).startsWith("parabola");
  }

  @Test
  void cloudsAndSequencesAreShortSummaries() {
    TokenCloud c = TokenCloud.of(new double[][] {{1, 0, 0}, {0, 1, 0}}).withTokens(List.of("the", "cat"));
    assertThat(Displays.of(c).getData(MIMEType.TEXT_PLAIN)).isEqualTo("TokenCloud: 2 points in R^3, tokens [the, cat]");
    CloudSequence s = CloudSequence.ofLayers(List.of(c, c, c));
    String text = (String) Displays.of(s).getData(MIMEType.TEXT_PLAIN);
    assertThat(text).startsWith("CloudSequence: 3 clouds by layer").contains("2 points in R^3");
  }

  @Test
  void metricsAreAnHtmlTableWithOneRowPerCloudAndStep() {
    Random r = new Random(345);
    List<TokenCloud> layers = new java.util.ArrayList<>();
    for (int l = 0; l < 3; l++) {
      double[][] x = new double[8][4];
      for (double[] row : x) {
        for (int k = 0; k < 4; k++) {
          row[k] = r.nextGaussian();
        }
      }
      layers.add(TokenCloud.of(x));
    }
    SequenceMetrics m = SequenceMetrics.of(CloudSequence.ofLayers(layers), MetricsParams.defaults());
    String html = (String) Displays.of(m).getData(HTML);
    // 3 cloud rows and 2 step rows, each table with a header row
    assertThat(html.split("<tr>", -1).length - 1).isEqualTo(3 + 2 + 2);
    assertThat(html).contains("<th>mean cosine</th>").contains("&rarr;");
  }

  @Test
  void aCorpusAnalysisIsOneTableRowPerLayerAndPerStep() {
    Random r = new Random(345);
    List<dev.tokendyn.cloud.TextSequence> texts = new java.util.ArrayList<>();
    for (int t = 0; t < 3; t++) {
      List<TokenCloud> layers = new java.util.ArrayList<>();
      for (int l = 0; l < 4; l++) {
        double[][] x = new double[12][5];
        for (double[] row : x) {
          for (int k = 0; k < 5; k++) {
            row[k] = r.nextGaussian();
          }
        }
        layers.add(TokenCloud.of(x));
      }
      texts.add(dev.tokendyn.cloud.TextSequence.recognised(CloudSequence.ofLayers(layers)));
    }
    var result = dev.tokendyn.analysis.CorpusAnalysis.of("random", texts,
        dev.tokendyn.analysis.CorpusParams.defaults());
    DisplayData d = Displays.of(result);
    String html = (String) d.getData(HTML);
    // two tables: 4 layers and 3 steps, each with a header row
    assertThat(html.split("<tr>", -1).length - 1).isEqualTo(4 + 3 + 2);
    assertThat(html).contains("<th>mean cosine</th>").contains("0 &rarr; 1");
    assertThat((String) d.getData(MIMEType.TEXT_PLAIN)).isEqualTo("random: 3 texts, 4 layers measured");
  }

  @Test
  void markdownAndPlainValues() {
    assertThat(Displays.of(Notebook.markdown("**k** = 3")).getData(MARKDOWN)).isEqualTo("**k** = 3");
    assertThat(Displays.of(new int[] {1, 2}).getData(MIMEType.TEXT_PLAIN)).isEqualTo("[1, 2]");
    assertThat(Displays.of(new String[][] {{"a"}, {"b"}}).getData(MIMEType.TEXT_PLAIN)).isEqualTo("[[a], [b]]");
    assertThat(Displays.of(2.5).getData(MIMEType.TEXT_PLAIN)).isEqualTo("2.5");
  }

  @Test
  void aReportLosesItsImageLinksOnly() {
    String md = "# Title\n\n![plot](plot.png)\n\nk = 3\n![other](b.png)\n";
    assertThat(Notebook.report(md).text()).isEqualTo("# Title\n\n\nk = 3\n");
  }
}
