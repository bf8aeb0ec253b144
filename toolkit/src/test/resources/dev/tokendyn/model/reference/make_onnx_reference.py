#!/usr/bin/python3
"""Reference hidden states for every layer of the catalog's ONNX models.

Independent of tokendyn: this script interprets the ONNX graph itself, node by node, with PyTorch in
float64 (Debian's python3-torch and python3-onnx, run with /usr/bin/python3), and tokenises with its
own WordPiece (lower case, split on white space and punctuation, greedy longest match) over the vocab
of the model's tokenizer.json. No parameter or node names are assumed: the hidden states are found by
the graph's structure. Hidden state l < L is the tensor that feeds the block's three projections (the
one tensor consumed by three MatMul nodes with a weight operand); hidden state L is the graph output.

For each model it writes <model>.json (texts, token ids, the dims kept) and <model>.npy, float32 of
shape (tokens of all texts, L + 1, 2 + len(dims)): per token and layer the Euclidean norm of the full
vector, the sum of its coordinates, then the coordinates at the kept dims.

Usage: /usr/bin/python3 make_onnx_reference.py NAME=PATH/TO/JAR [NAME=PATH/TO/JAR ...]
"""
import json
import sys
import unicodedata
import zipfile

import numpy as np
import onnx
from onnx import numpy_helper
import torch

TEXTS = [
    "The cat sat on the mat.",
    "Tokens cluster as depth grows, like particles on a sphere!",
    "Hello world",
    "Optimal transport moves one cloud of points onto another.",
]
DIMS = list(range(0, 384, 16))


def wordpiece(text, vocab):
    words = []
    for w in text.lower().split():
        cur = ""
        for ch in w:
            if unicodedata.category(ch).startswith("P"):
                if cur:
                    words.append(cur)
                words.append(ch)
                cur = ""
            else:
                cur += ch
        if cur:
            words.append(cur)
    ids = [vocab["[CLS]"]]
    for w in words:
        start = 0
        pieces = []
        while start < len(w):
            end = len(w)
            found = None
            while end > start:
                piece = w[start:end] if start == 0 else "##" + w[start:end]
                if piece in vocab:
                    found = piece
                    break
                end -= 1
            if found is None:
                pieces = ["[UNK]"]
                break
            pieces.append(found)
            start = end
        ids.extend(vocab[p] for p in pieces)
    ids.append(vocab["[SEP]"])
    return ids


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


def as_torch(arr):
    t = torch.from_numpy(np.array(arr))
    return t.double() if t.is_floating_point() else t


def run_graph(graph, feeds, wanted):
    env = {i.name: as_torch(numpy_helper.to_array(i)) for i in graph.initializer}
    env.update(feeds)
    kept = {}
    for n in graph.node:
        x = [env[i] if i else None for i in n.input]
        op = n.op_type
        if op == "Constant":
            y = as_torch(numpy_helper.to_array(attr(n, "value")))
        elif op == "Add":
            y = x[0] + x[1]
        elif op == "Sub":
            y = x[0] - x[1]
        elif op == "Mul":
            y = x[0] * x[1]
        elif op == "Div":
            y = x[0] / x[1]
        elif op == "Pow":
            y = torch.pow(x[0], x[1])
        elif op == "Sqrt":
            y = torch.sqrt(x[0])
        elif op == "Erf":
            y = torch.erf(x[0])
        elif op == "MatMul":
            y = torch.matmul(x[0], x[1])
        elif op == "Gather":
            axis = attr(n, "axis", 0)
            idx = x[1].long()
            y = torch.index_select(x[0], axis, idx.reshape(-1)).reshape(
                tuple(x[0].shape[:axis]) + tuple(idx.shape) + tuple(x[0].shape[axis + 1:]))
        elif op == "Shape":
            y = torch.tensor(list(x[0].shape), dtype=torch.int64)
        elif op == "Unsqueeze":
            y = x[0]
            axes = attr(n, "axes")
            if axes is None:
                axes = x[1].tolist()
            for a in sorted(a if a >= 0 else a + y.dim() + 1 for a in axes):
                y = y.unsqueeze(a)
        elif op == "Concat":
            y = torch.cat([t.reshape(1) if t.dim() == 0 else t for t in x], dim=attr(n, "axis"))
        elif op == "Reshape":
            shape = [int(s) for s in x[1].tolist()]
            shape = [x[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
            y = x[0].reshape(shape)
        elif op == "Transpose":
            y = x[0].permute(*attr(n, "perm"))
        elif op == "ReduceMean":
            y = x[0].mean(dim=tuple(attr(n, "axes")), keepdim=bool(attr(n, "keepdims", 1)))
        elif op == "Softmax":
            y = torch.softmax(x[0], dim=attr(n, "axis", -1))
        elif op == "Cast":
            to = attr(n, "to")
            y = x[0].double() if to in (1, 11) else x[0].long() if to in (6, 7) else x[0].bool() if to == 9 else x[0]
        elif op == "Slice":
            data, starts, ends = x[0], x[1].tolist(), x[2].tolist()
            axes = x[3].tolist() if len(x) > 3 and x[3] is not None else list(range(len(starts)))
            steps = x[4].tolist() if len(x) > 4 and x[4] is not None else [1] * len(starts)
            idx = [slice(None)] * data.dim()
            for s, e, a, st in zip(starts, ends, axes, steps):
                size = data.shape[a]
                s = max(0, min(size, s + size if s < 0 else s))
                e = max(0, min(size, e + size if e < 0 else e))
                idx[a] = slice(s, e, st)
            y = data[tuple(idx)]
        else:
            raise SystemExit("unsupported ONNX op " + op)
        env[n.output[0]] = y
        if n.output[0] in wanted:
            kept[n.output[0]] = y
    return env, kept


def hidden_state_tensors(graph):
    weights = {i.name for i in graph.initializer}
    uses = {}
    for n in graph.node:
        if n.op_type == "MatMul" and n.input[1] in weights:
            uses.setdefault(n.input[0], []).append(n)
    order = [n.output[0] for n in graph.node]
    found = [t for t, users in uses.items() if len(users) == 3]
    return sorted(found, key=order.index) + [graph.output[0].name]


def main():
    for arg in sys.argv[1:]:
        name, jar = arg.split("=", 1)
        with zipfile.ZipFile(jar) as z:
            onnx_name = [f for f in z.namelist() if f.endswith(".onnx")][0]
            tok_name = [f for f in z.namelist() if f.endswith("tokenizer.json")][0]
            model = onnx.load_from_string(z.read(onnx_name))
            vocab = json.loads(z.read(tok_name))["model"]["vocab"]
        graph = model.graph
        sites = hidden_state_tensors(graph)
        rows = []
        ids_all = []
        for text in TEXTS:
            ids = wordpiece(text, vocab)
            ids_all.append(ids)
            t = torch.tensor([ids], dtype=torch.int64)
            feeds = {"input_ids": t, "attention_mask": torch.ones_like(t), "token_type_ids": torch.zeros_like(t)}
            env, kept = run_graph(graph, feeds, set(sites))
            states = [env[s][0] for s in sites]  # each (n, d)
            for i in range(len(ids)):
                per_layer = []
                for h in states:
                    v = h[i]
                    per_layer.append([float(torch.linalg.norm(v)), float(v.sum())] + [float(v[k]) for k in DIMS])
                rows.append(per_layer)
        np.save(name + ".npy", np.array(rows, dtype=np.float32))
        with open(name + ".json", "w") as f:
            json.dump({"model": name, "onnx": onnx_name, "layers": len(sites) - 1, "dims": DIMS,
                       "columns": ["norm", "sum"] + ["dim %d" % k for k in DIMS],
                       "texts": TEXTS, "token_ids": ids_all}, f, indent=1)
        print(name, "hidden states:", len(sites), "tokens:", len(rows))


if __name__ == "__main__":
    main()
