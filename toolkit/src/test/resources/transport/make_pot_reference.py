#!/usr/bin/env python3
"""Reference values for the transport tests, made with POT (Python Optimal Transport).

Run with Debian's interpreter, which carries python3-pot 0.8.2, numpy and scipy:
    /usr/bin/python3 make_pot_reference.py > pot_reference.json

Each problem holds its points and weights, so the Java tests need no Python. For every problem:
  emd2            ot.emd2(a, b, M) with M = ot.dist(xs, xt) (squared Euclidean)
  sinkhorn        ot.sinkhorn2(a, b, M, reg, stopThr=1e-9) at several reg (given as a multiple of
                  median(M)); the method is POT's default 'sinkhorn' unless the kernel would underflow,
                  then 'sinkhorn_log'; the final marginal error is recorded to show convergence
  sliced          ot.sliced_wasserstein_distance(xs, xt, a, b, n_projections=L, seed=0, log=True):
                  the value and the Monte Carlo standard error of the value, from the per-projection
                  squared distances (sd / sqrt(L) / (2 value))
"""
import json
import sys
import warnings

import numpy as np
import ot

STOP = 1e-9
L = 4000


def problem(name, xs, xt, a, b, reg_factors):
    M = ot.dist(xs, xt)
    med = float(np.median(M))
    emd = float(ot.emd2(a, b, M, numItermax=1000000))
    sk = []
    for f in reg_factors:
        reg = f * med
        method = 'sinkhorn' if M.max() / reg < 600 else 'sinkhorn_log'
        # POT divides by the weights: solve on the support (points of zero weight carry no mass)
        ia, ib = a > 0, b > 0
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            val, log = ot.sinkhorn2(a[ia], b[ib], M[np.ix_(ia, ib)], reg, method=method, numItermax=200000,
                                    stopThr=STOP, log=True)
        sk.append({'reg': reg, 'reg_over_median': f, 'method': method, 'value': float(val),
                   'final_err': float(log['err'][-1])})
    val, log = ot.sliced_wasserstein_distance(xs, xt, a, b, n_projections=L, seed=0, log=True)
    per = np.asarray(log['projected_emds'])
    se = float(np.std(per, ddof=1) / np.sqrt(L) / (2 * val))
    return {'name': name, 'n': xs.shape[0], 'm': xt.shape[0], 'd': xs.shape[1],
            'xs': xs.tolist(), 'xt': xt.tolist(), 'a': a.tolist(), 'b': b.tolist(),
            'median_cost': med, 'emd2': emd, 'sinkhorn': sk,
            'sliced': {'projections': L, 'value': float(val), 'standard_error': se}}


def weights(rng, n, zeros=0):
    w = rng.uniform(0.2, 1.0, n)
    if zeros:
        w[rng.choice(n, zeros, replace=False)] = 0.0
    return w / w.sum()


def main():
    rng = np.random.default_rng(20240603)
    out = []
    # 1. uniform, n = m, d = 2
    xs = rng.standard_normal((20, 2)); xt = rng.standard_normal((20, 2)) + 1.0
    out.append(problem('uniform_d2', xs, xt, ot.unif(20), ot.unif(20), [1.0, 0.1, 0.02]))
    # 2. non-uniform, n != m, d = 5
    xs = rng.standard_normal((30, 5)); xt = 1.5 * rng.standard_normal((17, 5))
    out.append(problem('weighted_n30_m17_d5', xs, xt, weights(rng, 30), weights(rng, 17), [0.5, 0.05]))
    # 3. d = 1, non-uniform, n != m
    xs = rng.standard_normal((25, 1)); xt = rng.exponential(1.0, (40, 1))
    out.append(problem('weighted_d1', xs, xt, weights(rng, 25), weights(rng, 40), [0.2, 0.01]))
    # 4. d = 64, uniform, the benchmark's recipe at a small size
    xs = rng.standard_normal((64, 64)); xt = rng.standard_normal((64, 64)) + 0.5
    out.append(problem('uniform_d64', xs, xt, ot.unif(64), ot.unif(64), [0.05, 0.01]))
    # 5. d = 16, n != m, some zero weights
    xs = rng.standard_normal((50, 16)); xt = rng.standard_normal((35, 16)) * 0.7 + 0.3
    out.append(problem('zero_weights_d16', xs, xt, weights(rng, 50, zeros=5), weights(rng, 35, zeros=3), [0.1, 0.02]))
    # 6. d = 3, repeated points, uniform n != m
    base = rng.standard_normal((8, 3))
    xs = np.concatenate([base, base[:4]]); xt = rng.standard_normal((15, 3))
    out.append(problem('repeated_points_d3', xs, xt, ot.unif(12), ot.unif(15), [1.0, 0.05, 0.005]))
    # 7. d = 32, unit sphere, n != m
    xs = rng.standard_normal((40, 32)); xs /= np.linalg.norm(xs, axis=1, keepdims=True)
    xt = rng.standard_normal((45, 32)) + 0.3; xt /= np.linalg.norm(xt, axis=1, keepdims=True)
    out.append(problem('sphere_d32', xs, xt, ot.unif(40), weights(rng, 45), [0.1, 0.01]))
    json.dump({'generator': 'make_pot_reference.py', 'pot': ot.__version__, 'numpy': np.__version__,
               'stop_thr': STOP, 'problems': out}, sys.stdout, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
