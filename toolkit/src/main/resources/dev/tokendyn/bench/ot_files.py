#!/usr/bin/env python3
"""The peer of `tokendyn bench ot`: POT 0.8.2 on the same input files that tokendyn reads.

    /usr/bin/python3 ot_files.py emd|sinkhorn|sliced XS.npy XT.npy [--reg R] [--tol T] [--max-iter N] [--runs K]

Loads the two clouds (float64 .npy, one point per row), builds M = ot.dist(xs, xt) (squared Euclidean),
uniform weights, and runs ot.emd2 or ot.sinkhorn2 (method 'sinkhorn', POT's default); sliced runs
ot.sliced_wasserstein_distance on the points with 128 projections (seed 0), and builds no M. With --runs K > 0
it times K calls after one warm-up (the in-process figure); with --runs 0 it makes one call, as a user's
script would (the whole-process figure is then taken from outside). Prints one JSON line.
"""
import argparse
import json
import statistics
import time
import warnings

import numpy as np
import ot


def main():
    p = argparse.ArgumentParser()
    p.add_argument("method", choices=["emd", "sinkhorn", "sliced"])
    p.add_argument("xs")
    p.add_argument("xt")
    p.add_argument("--reg", type=float)
    p.add_argument("--tol", type=float, default=1e-9)
    p.add_argument("--max-iter", type=int)
    p.add_argument("--runs", type=int, default=0)
    args = p.parse_args()
    xs = np.load(args.xs)
    xt = np.load(args.xt)
    a = ot.unif(xs.shape[0])
    b = ot.unif(xt.shape[0])
    M = ot.dist(xs, xt) if args.method != "sliced" else None

    def run():
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            if args.method == "sliced":
                v = ot.sliced_wasserstein_distance(xs, xt, n_projections=128, seed=0)
                it = None
            elif args.method == "emd":
                v = ot.emd2(a, b, M, numItermax=args.max_iter or 100000)
                it = None
            else:
                v, log = ot.sinkhorn2(a, b, M, args.reg, method="sinkhorn", numItermax=args.max_iter or 1000,
                                      stopThr=args.tol, log=True, warn=True)
                it = int(log["niter"])
        return float(v), it, [str(x.message) for x in w]

    times = []
    if args.runs > 0:
        run()
        for _ in range(args.runs):
            t0 = time.perf_counter()
            value, it, warns = run()
            times.append(time.perf_counter() - t0)
    else:
        t0 = time.perf_counter()
        value, it, warns = run()
        times.append(time.perf_counter() - t0)
    print(json.dumps({"tool": "POT " + ot.__version__, "method": args.method, "n": xs.shape[0], "m": xt.shape[0],
                      "d": xs.shape[1], "value": value, "iterations": it, "median_s": statistics.median(times),
                      "runs_s": times, "warnings": warns}), flush=True)


if __name__ == "__main__":
    main()
