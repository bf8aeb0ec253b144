// The Gaussian closure against real layers: does the closure, with Q, K, V taken from a layer's attention,
// predict the next layer's token mean and covariance better than "the distribution stays put"?
// Run: notebooks-java/run 11-closure-layers
import dev.tokendyn.analysis.*;
import dev.tokendyn.cloud.*;
import dev.tokendyn.meanfield.*;
import dev.tokendyn.model.*;
import dev.tokendyn.sphere.*;
import java.nio.file.*;
import java.util.*;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;

Path out = Path.of("results/11-closure-layers");
Files.createDirectories(out);
List<String> texts = Files.readAllLines(Path.of("toolkit/src/main/resources/dev/tokendyn/demo/texts.txt")).stream().filter(s -> !s.isBlank()).toList();
int k = 16;

// The tokens of every text at one hidden state, special tokens left out, as rows.
double[][] tokensAt(ModelSequences m, int layer) {
  List<double[]> rows = new ArrayList<>();
  for (var ts : m.textSequences()) {
    var c = ts.layers().entries().get(layer).cloud();
    for (int i = 0; i < c.size(); i++) if (!ts.special()[i]) rows.add(c.point(i));
  }
  return rows.toArray(new double[0][]);
}
double[] meanOf(double[][] x) {
  double[] m = new double[x[0].length];
  for (double[] r : x) for (int j = 0; j < m.length; j++) m[j] += r[j] / x.length;
  return m;
}
// An orthonormal basis (d x k, columns) of the mean direction and the top k - 1 principal directions.
double[][] basis(double[][] x, int k) {
  int d = x[0].length;
  double[] m = meanOf(x);
  double[] c = new double[d * d];
  for (double[] r : x) for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) c[a * d + b] += (r[a] - m[a]) * (r[b] - m[b]) / x.length;
  var eig = DecompositionFactory_DDRM.eig(d, true, true);
  eig.decompose(new DMatrixRMaj(d, d, true, c));
  Integer[] order = new Integer[d];
  for (int i = 0; i < d; i++) order[i] = i;
  Arrays.sort(order, (p, q) -> Double.compare(eig.getEigenvalue(q).getReal(), eig.getEigenvalue(p).getReal()));
  List<double[]> cols = new ArrayList<>();
  cols.add(m.clone());
  for (int e = 0; e < k - 1; e++) { var v = eig.getEigenVector(order[e]); double[] col = new double[d]; for (int a = 0; a < d; a++) col[a] = v.get(a); cols.add(col); }
  // Gram-Schmidt
  double[][] u = new double[k][];
  for (int i = 0; i < k; i++) {
    double[] v = cols.get(i).clone();
    for (int j = 0; j < i; j++) { double s = 0; for (int a = 0; a < d; a++) s += v[a] * u[j][a]; for (int a = 0; a < d; a++) v[a] -= s * u[j][a]; }
    double nrm = 0; for (double z : v) nrm += z * z; nrm = Math.sqrt(nrm);
    for (int a = 0; a < d; a++) v[a] /= nrm;
    u[i] = v;
  }
  return u;
}
// Moments of the tokens in the basis coordinates z = U^T x.
GaussianState project(double[][] x, double[][] u) {
  double[][] z = new double[x.length][u.length];
  for (int i = 0; i < x.length; i++) for (int a = 0; a < u.length; a++) { double s = 0; for (int j = 0; j < x[i].length; j++) s += u[a][j] * x[i][j]; z[i][a] = s; }
  return GaussianState.of(TokenCloud.of(z));
}
// M (d x d, row-major, acting on column vectors) in the basis: U^T M U.
double[] restrict(double[] mat, int d, double[][] u) {
  int kk = u.length;
  double[] r = new double[kk * kk];
  for (int a = 0; a < kk; a++) for (int b = 0; b < kk; b++) {
    double s = 0;
    for (int i = 0; i < d; i++) { double mi = 0; for (int j = 0; j < d; j++) mi += mat[i * d + j] * u[b][j]; s += u[a][i] * mi; }
    r[a * kk + b] = s;
  }
  return r;
}

StringBuilder table = new StringBuilder("| model | block | BW, closure | BW, stays put | closure better |\n| --- | --- | --- | --- | --- |\n");
StringBuilder summary = new StringBuilder();
int better = 0, total = 0;
for (var entry : Catalog.entries()) {
  if (entry.architecture() != Architecture.BERT) continue;
  var m = ModelSequences.extract(entry.name(), texts, false);
  OnnxWeights w;
  try (var in = Catalog.class.getClassLoader().getResourceAsStream(entry.onnxResource())) { w = OnnxWeights.read(new java.io.BufferedInputStream(in, 1 << 20), entry.onnxResource()); }
  var t = w.tensors();
  int d = entry.hidden();
  int heads = entry.heads();
  int dh = d / heads;
  int better0 = better;
  for (int l = 0; l < entry.layers(); l++) {
    String p = "encoder.layer." + l + ".attention.";
    float[] wq = t.get(p + "self.query.weight").data();
    float[] wk = t.get(p + "self.key.weight").data();
    float[] wv = t.get(p + "self.value.weight").data();
    float[] wo = t.get(p + "output.dense.weight").data();
    // logits x^T B y with B = (1 / H) sum_h Wq_h Wk_h^T / sqrt(dh) (weights stored [in, out]; biases left out)
    double[] bmat = new double[d * d];
    for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) { double s = 0; for (int c = 0; c < d; c++) s += wq[a * d + c] * wk[b * d + c]; bmat[a * d + b] = s / Math.sqrt(dh) / heads; }
    // values and output: y = (Wv Wo)^T x for column vectors, V = (Wv Wo)^T
    double[] vmat = new double[d * d];
    for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) { double s = 0; for (int c = 0; c < d; c++) s += wv[a * d + c] * wo[c * d + b]; vmat[b * d + a] = s; }
    double[][] xl = tokensAt(m, l);
    double[][] xn = tokensAt(m, l + 1);
    double[][] u = basis(xl, k);
    var now = project(xl, u);
    var next = project(xn, u);
    // Q^T K = B with K = I and Q = B^T, in the basis
    double[] bt = new double[d * d];
    for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) bt[a * d + b] = bmat[b * d + a];
    var qkv = new Interaction(restrict(bt, d, u), null, restrict(vmat, d, u), entry.name() + ":" + l);
    String cell;
    double stay = now.buresWasserstein(next);
    try {
      var pred = GaussianClosure.integrate(qkv, 1.0, now, 0.05, 20, 20).get(1).state();
      double bw = pred.buresWasserstein(next);
      boolean win = bw < stay;
      if (win) better++;
      cell = String.format(Locale.ROOT, "%.3f | %.3f | %s", bw, stay, win ? "yes" : "no");
    } catch (ArithmeticException | IllegalArgumentException e) {
      cell = "blew up (" + e.getMessage().replaceAll(" \\(.*", "").replaceAll(":.*", "") + ") | " + String.format(Locale.ROOT, "%.3f", stay) + " | no";
    }
    total++;
    table.append("| " + entry.name() + " | " + l + " | " + cell + " |\n");
  }
  summary.append(String.format(Locale.ROOT, "%s: %d of %d blocks; ", entry.name(), better - better0, entry.layers()));
}
System.out.print(table);
System.out.println(summary + "total " + better + " of " + total);

Files.writeString(out.resolve("README.md"), """
# 11 The Gaussian closure against real layers

For each block l of the three catalog encoders, the 110 word tokens of the 8 sample texts at the block's input
(hidden state l) and output (hidden state l + 1), in the basis of their mean direction and the top 15
principal directions at the input (k = 16). The closure (`GaussianClosure`, RK4 to t = 1: one block is one unit
of time of x' = attention(x), as the residual x + attention(x) is one Euler step) starts from the input's mean
and covariance, with the block's attention *averaged over heads*: logits x^T B y, B = (1/H) sum_h Wq_h Wk_h^T / sqrt(d_h),
and V = (Wv Wo)^T (the sum over heads of value times output), all restricted to the basis; biases, the feed-forward
layer and the LayerNorms are left out. Beside it, "the distribution stays put": the input's own moments. Both
are compared with the output's moments by the Bures-Wasserstein distance.

%s
The closure does better in %s. This is a first, crude test: averaging the heads' bilinear forms
cancels much of their structure, and a BERT block is attention followed by a feed-forward layer and two
LayerNorms, none of which the closure sees.
""".formatted(table, summary + "total " + better + " of " + total));
/exit
