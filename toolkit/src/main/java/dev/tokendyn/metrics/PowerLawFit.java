package dev.tokendyn.metrics;

/**
 * A power law y = c t^alpha fitted by least squares on log y = log c + alpha log t, with the
 * coefficient of determination of that linear fit,
 * <pre>  R^2 = 1 - sum (log y_i - fit_i)^2 / sum (log y_i - mean log y)^2.</pre>
 * Points with t &lt;= 0 or y &lt;= 0 have no logarithm and are left out; {@code points} says how many
 * were used. With fewer than two points, or all t equal, alpha, c and R^2 are NaN. When every log y lies
 * on the line exactly (zero total variance), R^2 is 1.
 *
 * @param alpha the exponent
 * @param prefactor c
 * @param rSquared R^2 of the log-log fit
 * @param points how many (t, y) pairs entered the fit
 */
public record PowerLawFit(double alpha, double prefactor, double rSquared, int points) {

  /**
   * Fits y = c t^alpha.
   *
   * @param t abscissae, not modified
   * @param y ordinates, same length, not modified
   * @throws IllegalArgumentException on arrays of different lengths
   */
  public static PowerLawFit of(double[] t, double[] y) {
    if (t.length != y.length) {
      throw new IllegalArgumentException("t and y must have the same length, found " + t.length + " vs " + y.length);
    }
    int m = 0;
    double[] lx = new double[t.length];
    double[] ly = new double[t.length];
    for (int i = 0; i < t.length; i++) {
      if (t[i] > 0 && y[i] > 0 && Double.isFinite(t[i]) && Double.isFinite(y[i])) {
        lx[m] = Math.log(t[i]);
        ly[m] = Math.log(y[i]);
        m++;
      }
    }
    if (m < 2) {
      return new PowerLawFit(Double.NaN, Double.NaN, Double.NaN, m);
    }
    double mx = 0;
    double my = 0;
    for (int i = 0; i < m; i++) {
      mx += lx[i];
      my += ly[i];
    }
    mx /= m;
    my /= m;
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    for (int i = 0; i < m; i++) {
      sxx += (lx[i] - mx) * (lx[i] - mx);
      sxy += (lx[i] - mx) * (ly[i] - my);
      syy += (ly[i] - my) * (ly[i] - my);
    }
    if (sxx == 0) {
      return new PowerLawFit(Double.NaN, Double.NaN, Double.NaN, m);
    }
    double alpha = sxy / sxx;
    double intercept = my - alpha * mx;
    double sse = 0;
    for (int i = 0; i < m; i++) {
      double r = ly[i] - (intercept + alpha * lx[i]);
      sse += r * r;
    }
    double r2 = syy == 0 ? 1.0 : 1 - sse / syy;
    return new PowerLawFit(alpha, Math.exp(intercept), r2, m);
  }
}
