// Metastability (Geshkovski, Koubbi, Polyanskiy, Rigollet 2024): two well-separated clusters merge after a
// time exponential in beta; four clusters climb a staircase of E_beta; USA at beta = 64 with the adaptive step.
// Run: notebooks-java/run 10-metastability
import dev.tokendyn.analysis.*;
import dev.tokendyn.cloud.*;
import dev.tokendyn.export.*;
import dev.tokendyn.sphere.*;
import java.nio.file.*;
import java.util.*;

Path out = Path.of("results/10-metastability");
Files.createDirectories(out);

// 1. Two clusters of 8 tokens at angle alpha0 = acos(0.85) on the circle, SA, RK4 dt = 0.05; first merge time.
double alpha0 = Math.acos(0.85);
double[] betas = {4, 8, 12, 16, 24, 32, 40, 48, 56, 64};
double[] logT = new double[betas.length];
double[] logTheory = new double[betas.length];
StringBuilder table = new StringBuilder("| beta | first merge, particles | two-point formula | ratio |\n| --- | --- | --- | --- |\n");
for (int i = 0; i < betas.length; i++) {
  double t = Metastability.firstMergeTime(betas[i], alpha0, 8, 0.001, 3, 5000);
  double th = Metastability.twoPointMergeTime(betas[i], alpha0);
  logT[i] = Math.log(t);
  logTheory[i] = Math.log(th);
  table.append(String.format(Locale.ROOT, "| %.0f | %.2f | %.2f | %.3f |%n", betas[i], t, th, t / th));
}
var all = Metastability.Line.fit(betas, logT);
var theoryLine = Metastability.Line.fit(betas, logTheory);
double[] hiB = Arrays.copyOfRange(betas, 3, betas.length);
var high = Metastability.Line.fit(hiB, Arrays.copyOfRange(logT, 3, betas.length));
Map<String, double[]> curves = new LinkedHashMap<>();
curves.put("particles", logT);
curves.put("two-point formula", logTheory);
curves.put("fit, beta 4..64", Arrays.stream(betas).map(b -> all.intercept() + all.slope() * b).toArray());
Plots.save(Plots.lines("Two clusters at 31.8 degrees: log of the first merge time against beta", "beta", "log T",
    betas, curves), out.resolve("merge-time.png"));
System.out.printf(Locale.ROOT, "fit 4..64: slope %.4f R^2 %.4f; theory slope %.4f; fit 16..64: slope %.4f R^2 %.4f%n",
    all.slope(), all.r2(), theoryLine.slope(), high.slope(), high.r2());

// 2. The staircase: four clusters of 8 tokens at angles 0, 0.5, 1.15, 1.95, beta = 16, to t = 3000.
double beta = 16;
var steps = Metastability.staircase(beta, new double[] {0, 0.5, 1.15, 1.95}, 8, 0.001, 3, 3000, 20);
var plateaus = Metastability.plateaus(steps, 1);
double[] ts = steps.stream().mapToDouble(s -> Math.max(s.time(), 1)).toArray();
double[] level = steps.stream().mapToDouble(s -> s.energy() / (Math.exp(beta) / (2 * beta))).toArray();
double[] clusters = steps.stream().mapToDouble(s -> s.clusters() / 4.0).toArray();
var stair = Plots.lines("E_beta / (e^beta / 2 beta) from four clusters, beta = 16 (time on a log scale)", "time t", "",
    ts, Map.of("E_beta over its maximum", level, "clusters / 4", clusters));
stair.getStyler().setXAxisLogarithmic(true);
Plots.save(stair, out.resolve("staircase.png"));
StringBuilder ptable = new StringBuilder("| clusters | from t | to t | E_beta / (e^beta / 2 beta) |\n| --- | --- | --- | --- |\n");
for (double[] p : plateaus) {
  ptable.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.4f |%n", (int) p[2], p[0], p[1], p[3] / (Math.exp(beta) / (2 * beta))));
}

// 3. USA at beta = 64: its velocity is of order e^64, so its time scale is e^{-64} = 1.6e-28; the adaptive step
// keeps every move below 0.02, and E_beta never decreases.
var usa = SimulationParams.of(Dynamics.USA, 32, 3, 64, 1e-27, 40, 5).withStepControl(StepControl.ADAPTIVE).withRecordEvery(4);
var usaFrames = SimulationRun.run(usa, 1e-3, false);
boolean monotone = true;
for (int f = 1; f < usaFrames.size(); f++) monotone &= usaFrames.get(f).energy() >= usaFrames.get(f - 1).energy() * (1 - 1e-12);
var lastUsa = usaFrames.get(usaFrames.size() - 1);
String usaLine = String.format(Locale.ROOT, "to t = %.1e in %d adaptive steps: mean cosine %.3f -> %.3f, %d clusters, E_beta %s",
    lastUsa.time(), lastUsa.step(), usaFrames.get(0).meanCosine(), lastUsa.meanCosine(), lastUsa.clusters(),
    monotone ? "non-decreasing at every frame" : "DECREASED");
System.out.println(usaLine);

Files.writeString(out.resolve("README.md"), """
# 10 Metastability

SA with Q = K = V = I on the circle (Geshkovski, Koubbi, Polyanskiy, Rigollet, "Dynamic metastability in the
self-attention model", 2024): well-separated clusters stay apart for a time exponential in beta.

**First merge of two clusters.** Two clusters of 8 tokens (spread 0.001) at angle alpha0 = acos(0.85) = 31.8
degrees, RK4 with dt = 0.05; the merge is the first step at which all tokens are one cluster (cosines linked
above 0.999). Two equal point masses at angle alpha move as alpha' = -2 sin(alpha) / (1 + e^{beta (1 - cos alpha)}),
so T = int (1 + e^{beta (1 - cos alpha)}) / (2 sin alpha) dalpha, about e^{beta (1 - cos alpha0)} / (2 beta sin^2 alpha0) at
large beta: the "two-point formula" column (quadrature).

%s
![merge time](merge-time.png)

log T against beta for beta = 4..64: slope %.4f, R^2 = %.4f (the two-point formula: slope %.4f). The line is
not exact: at small beta the merge takes the fall time int dalpha / (2 sin alpha) = 1.27 whatever beta, and the
prefactor 1 / beta bends the curve; for beta = 16..64 the slope is %.4f (R^2 = %.4f), on its way to the
asymptotic 1 - cos alpha0 = 0.15. T grows from %.2f to %.0f.

**The staircase.** Four clusters of 8 tokens at angles 0, 0.5, 1.15, 1.95, beta = 16, to t = 3000 (time on a log
scale):

![staircase](staircase.png)

%s
Three plateaus (four, three, then two clusters), each longer than the one before, before the single cluster
with E_beta = e^beta / (2 beta): k - 1 = 3 plateaus from k = 4 clusters. On every plateau E_beta equals that of
point masses at the clusters' mean angles to 1e-3 (a test).

**USA at beta = 64.** `simulate --dynamics usa --step adaptive` takes h = min(dt, 0.02 / max_i |v_i|) and
lands on every recorded time; n = 32 on S^2, %s.
""".formatted(table, all.slope(), all.r2(), theoryLine.slope(), high.slope(), high.r2(), Math.exp(logT[0]),
    Math.exp(logT[betas.length - 1]), ptable, usaLine));
/exit
