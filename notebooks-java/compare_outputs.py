#!/usr/bin/python3
"""Checks that a notebook's committed outputs are those its code gives now.

Usage: compare_outputs.py COMMITTED.ipynb EXECUTED.ipynb

Cell by cell, the executed notebook must have the same kinds of output as the committed one. Texts
(streams, text/plain, text/markdown, HTML) must agree word for word except numbers, and each number
within a relative 1e-6 or one unit of its last printed digit, whichever is larger; images must be
present where they were, their bytes are not compared. Exits 1 and names the first cell that differs.
"""
import json
import re
import sys

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
TEXT_TYPES = ("text/plain", "text/markdown", "text/html")


def text(v):
    return "".join(v) if isinstance(v, list) else v


def outputs(cell):
    """Each output as (kind, {mime: text or None for images})."""
    out = []
    for o in cell.get("outputs", []):
        t = o["output_type"]
        if t == "stream":
            out.append(("stream:" + o["name"], {"text": text(o["text"])}))
        elif t in ("execute_result", "display_data"):
            data = {}
            for mime, v in o["data"].items():
                data[mime] = text(v) if mime in TEXT_TYPES else None
            out.append((t, data))
        elif t == "error":
            out.append(("error", {"text": o["ename"] + ": " + o["evalue"]}))
    return out


def tolerance(token):
    mantissa = re.split(r"[eE]", token)[0]
    exp = int(re.split(r"[eE]", token)[1]) if re.search(r"[eE]", token) else 0
    decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
    return 10.0 ** (exp - decimals)


def same_text(a, b):
    ta, tb = NUMBER.split(a), NUMBER.split(b)
    if ta != tb:
        return "the words differ: %r vs %r" % (a[:300], b[:300])
    for x, y in zip(NUMBER.findall(a), NUMBER.findall(b)):
        fx, fy = float(x), float(y)
        allowed = max(1e-6 * max(abs(fx), abs(fy)), tolerance(x), tolerance(y))
        if abs(fx - fy) > allowed * 1.000001:
            return "number %s is now %s" % (x, y)
    return None


def main(committed_path, executed_path):
    committed = json.load(open(committed_path, encoding="utf-8"))
    executed = json.load(open(executed_path, encoding="utf-8"))
    ca = [c for c in committed["cells"] if c["cell_type"] == "code"]
    cb = [c for c in executed["cells"] if c["cell_type"] == "code"]
    if len(ca) != len(cb):
        sys.exit("%s: %d code cells committed, %d executed" % (committed_path, len(ca), len(cb)))
    for i, (a, b) in enumerate(zip(ca, cb), 1):
        oa, ob = outputs(a), outputs(b)
        where = "%s, code cell %d" % (committed_path, i)
        if [k for k, _ in oa] != [k for k, _ in ob]:
            sys.exit("%s: committed outputs %s, now %s; refresh with notebooks-java/run --refresh"
                     % (where, [k for k, _ in oa], [k for k, _ in ob]))
        for (kind, da), (_, db) in zip(oa, ob):
            if sorted(da) != sorted(db):
                sys.exit("%s: %s has %s committed, %s now" % (where, kind, sorted(da), sorted(db)))
            for mime in da:
                if da[mime] is None:
                    continue
                diff = same_text(da[mime], db[mime])
                if diff:
                    sys.exit("%s: %s %s: %s; refresh with notebooks-java/run --refresh" % (where, kind, mime, diff))
    print("%s: outputs match the current code" % committed_path)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
