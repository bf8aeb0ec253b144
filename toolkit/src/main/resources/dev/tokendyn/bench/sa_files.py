#!/usr/bin/env python3
"""The peer of `tokendyn bench simulate`: the SA particle loop in PyTorch (CPU, float64) from the same start file.

    /usr/bin/python3 sa_files.py X0.npy --steps S --beta B --dt DT [--out X.npy] [--runs K]

dx_i/dt = P_{x_i}(sum_j softmax_j(beta <x_i, x_j>) x_j), explicit Euler, each row renormalised after the
step: the loop of tokendyn's `simulate --dynamics sa` with Q = K = V = I. With --runs K > 0 it times K
loops after one warm-up (in-process); with --runs 0 it runs once, as a user's script would. Prints one
JSON line; --out saves the final points.
"""
import argparse
import json
import statistics
import time

import numpy as np
import torch


def simulate(x0, steps, beta, dt):
    with torch.inference_mode():
        x = torch.from_numpy(x0.copy())
        x = x / torch.linalg.vector_norm(x, dim=1, keepdim=True)
        for _ in range(steps):
            a = torch.softmax(beta * (x @ x.T), dim=1)
            v = a @ x
            v = v - (v * x).sum(dim=1, keepdim=True) * x
            x = x + dt * v
            x = x / torch.linalg.vector_norm(x, dim=1, keepdim=True)
        return x.numpy()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("x0")
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--beta", type=float, required=True)
    p.add_argument("--dt", type=float, required=True)
    p.add_argument("--out")
    p.add_argument("--runs", type=int, default=0)
    args = p.parse_args()
    x0 = np.load(args.x0)
    times = []
    if args.runs > 0:
        simulate(x0, args.steps, args.beta, args.dt)
        for _ in range(args.runs):
            t0 = time.perf_counter()
            x = simulate(x0, args.steps, args.beta, args.dt)
            times.append(time.perf_counter() - t0)
    else:
        t0 = time.perf_counter()
        x = simulate(x0, args.steps, args.beta, args.dt)
        times.append(time.perf_counter() - t0)
    if args.out:
        np.save(args.out, x)
    g = x @ x.T
    print(json.dumps({"tool": "torch " + torch.__version__ + " CPU", "n": x.shape[0], "d": x.shape[1],
                      "steps": args.steps, "torch_threads": torch.get_num_threads(),
                      "mean_cosine": float(g.mean()), "median_s": statistics.median(times), "runs_s": times}),
          flush=True)


if __name__ == "__main__":
    main()
