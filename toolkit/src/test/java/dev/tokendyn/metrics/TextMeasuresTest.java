package dev.tokendyn.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokendyn.cloud.CloudSequence;
import dev.tokendyn.cloud.TextSequence;
import dev.tokendyn.cloud.TokenCloud;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The per-text measures read their pairwise quantities from one Gram matrix per layer; each must equal the
 * standalone metric computed on the cloud's rows by its own route (unit rows, centred points, SVD or the
 * d x k principal axes, nearest neighbours from the points).
 */
class TextMeasuresTest {
  private static final double TOL = 1e-9;

  /** n tokens in d dimensions over the given number of layers; kind picks the geometry. */
  private static TextSequence text(int n, int d, int layers, String kind, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] offset = new double[d];
    for (int k = 0; k < d; k++) {
      offset[k] = kind.equals("anisotropic") ? 50 * (1 + rng.nextDouble()) : 0;
    }
    double[][] centres = new double[3][d];
    for (double[] c : centres) {
      for (int k = 0; k < d; k++) {
        c[k] = rng.nextGaussian();
      }
    }
    double[] x = new double[n * d];
    for (int i = 0; i < n * d; i++) {
      x[i] = rng.nextGaussian();
    }
    List<TokenCloud> clouds = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      double[] y = new double[n * d];
      double pull = (double) l / layers;
      for (int i = 0; i < n; i++) {
        double[] c = centres[i % 3];
        for (int k = 0; k < d; k++) {
          double v = x[i * d + k];
          if (kind.equals("clustered")) {
            v = c[k] + 1e-4 * (1 - pull) * v; // three tight clusters, tighter with depth
          } else {
            v = (1 - pull) * v + pull * c[k] + 0.3 * rng.nextGaussian();
          }
          y[i * d + k] = v + offset[k];
        }
      }
      clouds.add(TokenCloud.ofFlat(n, d, y));
    }
    boolean[] special = new boolean[n];
    special[0] = true;
    return new TextSequence(CloudSequence.ofLayers(clouds), null, special);
  }

  private static void check(TextSequence text, TextParams params) {
    List<double[]> seen = new ArrayList<>();
    List<double[]> norms = new ArrayList<>();
    TextMeasures m = TextMeasures.of(0, text, params, (l, cos, count, squaredNorms) -> {
      double[] copy = java.util.Arrays.copyOf(cos, count);
      seen.add(copy);
      norms.add(squaredNorms);
    });
    int[] keep = text.kept(params.dropSpecial());
    int n = keep.length;
    int layers = text.layers().size();
    int d = text.layers().cloud(0).dimension();
    TokenCloud[] c = new TokenCloud[layers];
    for (int l = 0; l < layers; l++) {
      c[l] = TokenCloud.ofFlat(n, d, TextMeasures.rows(text.layers().cloud(l), keep));
    }
    assertEquals(layers, seen.size());
    for (int l = 0; l < layers; l++) {
      String at = "layer " + l;
      double norm = 0;
      for (int i = 0; i < n; i++) {
        double q = 0;
        for (int k = 0; k < d; k++) {
          q += c[l].get(i, k) * c[l].get(i, k);
        }
        norm += Math.sqrt(q) / n;
      }
      assertEquals(norm, m.values(TextMetric.MEAN_NORM)[l], TOL * norm, at);
      assertEquals(Clusters.of(c[l], params.threshold()).count(), m.values(TextMetric.CLUSTERS)[l], at);
      assertEquals(Clusters.clusteredFraction(c[l]), m.values(TextMetric.CLUSTERED_FRACTION)[l], TOL, at);
      assertEquals(MeanCosine.of(c[l]), m.values(TextMetric.MEAN_COSINE)[l], TOL, at);
      double[] u = UnitRows.of(c[l]);
      double[] mean = Centred.mean(c[l]);
      double mm = Math.sqrt(UnitRows.squaredNorm(mean));
      double intra = 0;
      for (int i = 0; i < n; i++) {
        double dot = 0;
        for (int k = 0; k < d; k++) {
          dot += u[i * d + k] * mean[k];
        }
        intra += dot / mm / n;
      }
      assertEquals(intra, m.values(TextMetric.INTRA_TEXT_SIMILARITY)[l], TOL, at);
      assertEquals(EffectiveRank.of(c[l]), m.values(TextMetric.EFFECTIVE_RANK)[l], 1e-7, at);
      assertEquals(StableRank.of(c[l]), m.values(TextMetric.STABLE_RANK)[l], 1e-7, at);
      assertEquals(RankCollapse.of(c[l]), m.values(TextMetric.RANK_COLLAPSE)[l], TOL, at);
      double id = IntrinsicDimension.estimate(c[l], IntrinsicDimension.DEFAULT_DISCARD).value();
      double got = m.values(TextMetric.INTRINSIC_DIMENSION)[l];
      if (Double.isNaN(id)) {
        assertTrue(Double.isNaN(got), at + ": TwoNN should be undefined, found " + got);
      } else {
        assertEquals(id, got, 1e-8 * id, at);
      }
      // the pairwise cosines handed out, against unit-row dot products
      double[] cos = seen.get(l);
      int p = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          double dot = 0;
          for (int k = 0; k < d; k++) {
            dot += u[i * d + k] * u[j * d + k];
          }
          assertEquals(Math.max(-1, Math.min(1, dot)), cos[p++], 1e-12, at + " pair " + i + "," + j);
        }
      }
      assertEquals(p, cos.length);
      for (int i = 0; i < n; i++) {
        double q = 0;
        for (int k = 0; k < d; k++) {
          q += c[l].get(i, k) * c[l].get(i, k);
        }
        assertEquals(q, norms.get(l)[i], 1e-12 * q, at + " norm " + i);
      }
    }
    double[] w2 = new double[layers - 1];
    for (int l = 0; l + 1 < layers; l++) {
      String at = "step " + l;
      w2[l] = dev.tokendyn.transport.Transport.w2(c[l], c[l + 1]);
      // both routes round squared distances at about 1e-16 of the squared norms
      double scale = (UnitRows.squaredNorm(c[l].toFlatArray()) + UnitRows.squaredNorm(c[l + 1].toFlatArray())) / n;
      double got = m.values(TextMetric.W2)[l];
      assertEquals(w2[l] * w2[l], got * got, 1e-12 * scale, at);
    }
    double direct = dev.tokendyn.transport.Transport.w2(c[0], c[layers - 1]);
    assertEquals(GeodesicRatio.of(w2, direct), m.values(TextMetric.GEODESIC_RATIO)[0], 1e-6, "geodesic ratio");
    for (int l = 0; l + 1 < layers; l++) {
      RotationalShare.Result r = RotationalShare.of(c[l], c[l + 1], params.rotationComponents());
      String at = "step " + l;
      double share = m.values(TextMetric.ROTATIONAL_SHARE)[l];
      if (r.defined()) {
        assertEquals(r.share(), share, 1e-7, at);
        assertEquals(r.affineR2(), m.values(TextMetric.AFFINE_R2)[l], 1e-7, at);
      } else {
        assertTrue(Double.isNaN(share), at + ": " + r.reason());
      }
    }
  }

  @Test
  void gaussianTextsAgreeWithTheStandaloneMetrics() {
    check(text(41, 96, 4, "gaussian", 1), TextParams.defaults());
  }

  @Test
  void aCloudFarFromTheOriginKeepsItsSpreadsPrecision() {
    // |mean|^2 is about 2e5 times the spread per coordinate: the centred Gram matrix must not lose it
    check(text(45, 80, 3, "anisotropic", 2), TextParams.defaults());
  }

  @Test
  void tightClustersCountTheSameComponents() {
    TextSequence t = text(33, 64, 3, "clustered", 3);
    check(t, TextParams.defaults());
    TextMeasures m = TextMeasures.of(0, t, TextParams.defaults());
    assertEquals(3, m.values(TextMetric.CLUSTERS)[2], "three clusters at the last layer");
    assertTrue(m.values(TextMetric.CLUSTERED_FRACTION)[2] > 0.3);
  }

  @Test
  void moreTokensThanDimensionsTakeTheDirectRoutes() {
    check(text(50, 8, 3, "gaussian", 4), TextParams.defaults().withRotationComponents(4));
  }

  @Test
  void repeatedTokensAreFoundAsDuplicates() {
    TextSequence t = text(30, 40, 2, "gaussian", 6);
    List<TokenCloud> clouds = new ArrayList<>();
    for (int l = 0; l < 2; l++) {
      double[] f = t.layers().cloud(l).toFlatArray();
      System.arraycopy(f, 3 * 40, f, 7 * 40, 40); // token 7 repeats token 3
      System.arraycopy(f, 3 * 40, f, 11 * 40, 40);
      clouds.add(TokenCloud.ofFlat(30, 40, f));
    }
    TextSequence dup = new TextSequence(CloudSequence.ofLayers(clouds), null, new boolean[30]);
    check(dup, TextParams.defaults().withDropSpecial(false));
  }

  @Test
  void shortTextsLeaveTheRotationalShareAndTwoNnUndefined() {
    TextMeasures m = TextMeasures.of(0, text(12, 32, 3, "gaussian", 5), TextParams.defaults());
    assertTrue(Double.isNaN(m.values(TextMetric.ROTATIONAL_SHARE)[0]));
    assertTrue(Double.isNaN(m.values(TextMetric.INTRINSIC_DIMENSION)[0]));
  }
}
