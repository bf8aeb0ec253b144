package dev.tokendyn.analysis;

/**
 * The value matrix of one layer by least squares, for {@link DynamicsFit}: with the attention of the real
 * previous layer fixed, W = tau V solves
 * <pre>  min_W sum_i |P_i W z_i - t_i|^2 + lambda |W|_F^2,   z_i = sum_j A_ij(beta) x_j,  t_i = P_i y_i / (x_i . y_i)</pre>
 * over every token i of every text (x the previous layer, y this one, on the sphere, P_i = I - x_i x_i^T).
 * With lambda &gt; 0 the solution is W = sum_i a_i z_i^T with lambda a_i + P_i sum_j (z_i . z_j) a_j = t_i,
 * a symmetric positive definite system over the n tokens (d n unknowns instead of d^2), solved by conjugate
 * gradients; with lambda = 0 the normal equations sum_i P_i W z_i z_i^T = sum_i t_i z_i^T are solved
 * the same way over W.
 */
final class ValueSolver {
  private ValueSolver() {}

  private record Tokens(double[] x, double[] y, double[] z, double[] t, int n, int d) {}

  /** The best beta of the grid, refined by golden sections in log beta, and its W. */
  static DynamicsFit.ValueFit fit(double[][][] y, int[] n, int d, int layer, double[] betaGrid, double ridge) {
    double[][] warm = new double[1][];
    double best = Double.POSITIVE_INFINITY;
    int bi = 0;
    DynamicsFit.ValueFit[] at = new DynamicsFit.ValueFit[betaGrid.length];
    for (int i = 0; i < betaGrid.length; i++) {
      at[i] = solve(y, n, d, layer, betaGrid[i], ridge, warm);
      if (at[i].residual() < best) {
        best = at[i].residual();
        bi = i;
      }
    }
    double a = Math.log(betaGrid[Math.max(0, bi - 1)]);
    double b = Math.log(betaGrid[Math.min(betaGrid.length - 1, bi + 1)]);
    DynamicsFit.ValueFit winner = at[bi];
    double g = (Math.sqrt(5) - 1) / 2;
    double c = b - g * (b - a);
    double e = a + g * (b - a);
    DynamicsFit.ValueFit fc = solve(y, n, d, layer, Math.exp(c), ridge, warm);
    DynamicsFit.ValueFit fe = solve(y, n, d, layer, Math.exp(e), ridge, warm);
    for (int it = 0; it < 6; it++) {
      if (fc.residual() < fe.residual()) {
        b = e;
        e = c;
        fe = fc;
        c = b - g * (b - a);
        fc = solve(y, n, d, layer, Math.exp(c), ridge, warm);
      } else {
        a = c;
        c = e;
        fc = fe;
        e = a + g * (b - a);
        fe = solve(y, n, d, layer, Math.exp(e), ridge, warm);
      }
    }
    for (DynamicsFit.ValueFit f : new DynamicsFit.ValueFit[] {fc, fe}) {
      if (f.residual() < winner.residual()) {
        winner = f;
      }
    }
    return winner;
  }

  /**
   * W at a given beta, and the positions residual of the step it predicts.
   *
   * @param warm holds the last solution of the linear system, used as the start and replaced; its entry may be null
   */
  static DynamicsFit.ValueFit solve(double[][][] y, int[] n, int d, int layer, double beta, double ridge,
      double[][] warm) {
    Tokens k = tokens(y, n, d, layer, beta);
    int m = k.n;
    double meanZ = 0;
    for (int i = 0; i < m * d; i++) {
      meanZ += k.z[i] * k.z[i];
    }
    meanZ /= m;
    double lambda = ridge * meanZ;
    double[] w;
    int[] iterations = new int[1];
    if (lambda > 0) {
      w = dual(k, lambda, iterations, warm);
    } else {
      w = primal(k, iterations, warm);
    }
    double res = 0;
    double st = 0;
    double[] u = new double[d];
    for (int i = 0; i < m; i++) {
      double dot = 0;
      for (int r = 0; r < d; r++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
          s += w[r * d + c] * k.z[i * d + c];
        }
        u[r] = s;
        dot += s * k.x[i * d + r];
      }
      double norm = 0;
      for (int r = 0; r < d; r++) {
        u[r] = k.x[i * d + r] + u[r] - dot * k.x[i * d + r];
        norm += u[r] * u[r];
      }
      norm = Math.sqrt(norm);
      for (int r = 0; r < d; r++) {
        double e = u[r] / norm - k.y[i * d + r];
        res += e * e;
        double f = k.x[i * d + r] - k.y[i * d + r];
        st += f * f;
      }
    }
    return new DynamicsFit.ValueFit(beta, ridge, lambda, d, w, res / m, st / m, iterations[0]);
  }

  /** Every token's x, y, z and t, over all texts. */
  private static Tokens tokens(double[][][] y, int[] n, int d, int layer, double beta) {
    int m = 0;
    for (int c : n) {
      m += c;
    }
    double[] xs = new double[m * d];
    double[] ys = new double[m * d];
    double[] zs = new double[m * d];
    double[] ts = new double[m * d];
    int row = 0;
    for (int t = 0; t < y.length; t++) {
      double[] x = y[t][layer - 1];
      double[] target = y[t][layer];
      int nt = n[t];
      double[] a = new double[nt];
      for (int i = 0; i < nt; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < nt; j++) {
          double s = 0;
          for (int c = 0; c < d; c++) {
            s += x[i * d + c] * x[j * d + c];
          }
          a[j] = beta * s;
          max = Math.max(max, a[j]);
        }
        double sum = 0;
        for (int j = 0; j < nt; j++) {
          a[j] = Math.exp(a[j] - max);
          sum += a[j];
        }
        int o = (row + i) * d;
        for (int j = 0; j < nt; j++) {
          for (int c = 0; c < d; c++) {
            zs[o + c] += a[j] / sum * x[j * d + c];
          }
        }
        double xy = 0;
        for (int c = 0; c < d; c++) {
          xy += x[i * d + c] * target[i * d + c];
          xs[o + c] = x[i * d + c];
          ys[o + c] = target[i * d + c];
        }
        for (int c = 0; c < d; c++) {
          ts[o + c] = (target[i * d + c] - xy * x[i * d + c]) / Math.max(xy, 1e-12);
        }
      }
      row += nt;
    }
    return new Tokens(xs, ys, zs, ts, m, d);
  }

  private static void project(double[] v, double[] x, int i, int d) {
    double s = 0;
    for (int c = 0; c < d; c++) {
      s += v[i * d + c] * x[i * d + c];
    }
    for (int c = 0; c < d; c++) {
      v[i * d + c] -= s * x[i * d + c];
    }
  }

  /** lambda a_i + P_i sum_j K_ij a_j = t_i by CG over a (m x d), then W = sum_i a_i z_i^T. */
  private static double[] dual(Tokens k, double lambda, int[] iterations, double[][] warm) {
    int m = k.n;
    int d = k.d;
    double[] kern = new double[m * m];
    for (int i = 0; i < m; i++) {
      for (int j = i; j < m; j++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
          s += k.z[i * d + c] * k.z[j * d + c];
        }
        kern[i * m + j] = s;
        kern[j * m + i] = s;
      }
    }
    java.util.function.UnaryOperator<double[]> op = a -> {
      double[] out = new double[m * d];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          double kij = kern[i * m + j];
          for (int c = 0; c < d; c++) {
            out[i * d + c] += kij * a[j * d + c];
          }
        }
        project(out, k.x, i, d);
        for (int c = 0; c < d; c++) {
          out[i * d + c] += lambda * a[i * d + c];
        }
      }
      return out;
    };
    double[] rhs = k.t.clone();
    for (int i = 0; i < m; i++) {
      project(rhs, k.x, i, d);
    }
    double[] a = cg(op, rhs, warm[0], 4 * m * d, iterations);
    warm[0] = a;
    double[] w = new double[d * d];
    for (int i = 0; i < m; i++) {
      for (int r = 0; r < d; r++) {
        double ar = a[i * d + r];
        for (int c = 0; c < d; c++) {
          w[r * d + c] += ar * k.z[i * d + c];
        }
      }
    }
    return w;
  }

  /** sum_i P_i W z_i z_i^T = sum_i t_i z_i^T by CG over W. */
  private static double[] primal(Tokens k, int[] iterations, double[][] warm) {
    int m = k.n;
    int d = k.d;
    java.util.function.UnaryOperator<double[]> op = w -> {
      double[] out = new double[d * d];
      double[] u = new double[d];
      for (int i = 0; i < m; i++) {
        double dot = 0;
        for (int r = 0; r < d; r++) {
          double s = 0;
          for (int c = 0; c < d; c++) {
            s += w[r * d + c] * k.z[i * d + c];
          }
          u[r] = s;
          dot += s * k.x[i * d + r];
        }
        for (int r = 0; r < d; r++) {
          double pr = u[r] - dot * k.x[i * d + r];
          for (int c = 0; c < d; c++) {
            out[r * d + c] += pr * k.z[i * d + c];
          }
        }
      }
      return out;
    };
    double[] rhs = new double[d * d];
    for (int i = 0; i < m; i++) {
      for (int r = 0; r < d; r++) {
        for (int c = 0; c < d; c++) {
          rhs[r * d + c] += k.t[i * d + r] * k.z[i * d + c];
        }
      }
    }
    double[] w = cg(op, rhs, warm[0], 4 * d * d, iterations);
    warm[0] = w;
    return w;
  }

  /** Conjugate gradients from x0 (or 0) to a residual of 1e-10 |b| or {@code max} iterations. */
  private static double[] cg(java.util.function.UnaryOperator<double[]> op, double[] b, double[] x0, int max,
      int[] iterations) {
    int n = b.length;
    double[] x = x0 == null || x0.length != n ? new double[n] : x0.clone();
    double[] r = b.clone();
    if (x0 != null && x0.length == n) {
      double[] ax = op.apply(x);
      for (int i = 0; i < n; i++) {
        r[i] -= ax[i];
      }
    }
    double[] p = r.clone();
    double rr = dot(r, r);
    double stop = 1e-20 * dot(b, b);
    int it = 0;
    while (it < max && rr > stop && rr > 0) {
      double[] ap = op.apply(p);
      double alpha = rr / dot(p, ap);
      for (int i = 0; i < n; i++) {
        x[i] += alpha * p[i];
        r[i] -= alpha * ap[i];
      }
      double next = dot(r, r);
      double beta = next / rr;
      for (int i = 0; i < n; i++) {
        p[i] = r[i] + beta * p[i];
      }
      rr = next;
      it++;
    }
    iterations[0] = it;
    return x;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
