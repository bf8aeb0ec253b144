#!/usr/bin/env python3
"""Runs one command and prints, as one JSON line on stderr's last line, its wall time, CPU time and peak resident memory.

    python3 measure.py CMD ARGS...

The command's own output passes through. Peak memory is the largest resident set of the command's process
tree (getrusage RUSAGE_CHILDREN), so the same meter serves a JVM and a Python interpreter alike.
"""
import json
import resource
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 2:
        print("usage: measure.py CMD ARGS...", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    code = subprocess.call(sys.argv[1:])
    wall = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"measured": sys.argv[1], "exit": code, "wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
                      "max_rss_mib": usage.ru_maxrss / 1024}),
          file=sys.stderr, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
