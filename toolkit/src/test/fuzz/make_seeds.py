#!/usr/bin/env python3
"""Writes the starting inputs of the fuzz tests (standard library only): small well-formed files of each
format, so that the fuzzer starts from inputs that reach deep into the readers. mvn verify replays them
and whatever the fuzzer added beside them. Run from the repository root: python3 toolkit/src/test/fuzz/make_seeds.py"""
import json
import os
import struct

ROOT = "toolkit/src/test/resources/dev/tokendyn"


def put(cls, method, name, data):
    d = os.path.join(ROOT, cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def npy(shape, values, dtype="<f8"):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        dtype, "".join("%d, " % s for s in shape) if len(shape) != 1 else "%d," % shape[0])
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    fmt = dtype[0] + ("d" if dtype[1:] == "f8" else "f") * len(values)
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin-1") + struct.pack(fmt, *values)


# .npy
put("cloud/CloudReadersFuzzTest", "npy", "f8-2x3", npy((2, 3), [1, 2, 3, 4, 5, 6]))
put("cloud/CloudReadersFuzzTest", "npy", "f4-2x2x2", npy((2, 2, 2), [0.5] * 8, "<f4"))
put("cloud/CloudReadersFuzzTest", "npy", "f8-1d", npy((3,), [1, 2, 3]))

# JSON clouds and sequences
cloud = {"schema": "tokendyn.cloud/1", "points": [[1, 0], [0, 1]], "weights": [0.5, 0.5], "tokens": ["a", "b"]}
put("cloud/CloudReadersFuzzTest", "jsonCloud", "cloud", json.dumps(cloud))
put("cloud/CloudReadersFuzzTest", "jsonCloud", "scalars", json.dumps({"points": [1, 2, 3]}))
seq = {"schema": "tokendyn.sequence/1", "axis": "time", "clouds": [
    {"label": "a", "position": 0, "points": [[1, 0], [0, 1]]},
    {"label": "b", "position": 1, "points": [[0.6, 0.8], [0, 1]], "weights": [0.25, 0.75]}]}
put("cloud/CloudReadersFuzzTest", "jsonSequence", "sequence", json.dumps(seq))
frames = {"schema": "tokendyn.simulation/1", "frames": [{"time": 0, "points": [[1, 0], [0, 1]]},
                                                       {"time": 0.1, "points": [[1, 0], [0.6, 0.8]]}]}
put("cloud/CloudReadersFuzzTest", "jsonSequence", "frames", json.dumps(frames))
extraction = {"schema": "tokendyn.extraction/1", "layers": [0, 1], "sites": ["blocks.0.hook_resid_pre", "blocks.0.hook_resid_post"],
              "texts": [{"text": "a b", "tokens": ["a", "b"], "token_ids": [1, 2],
                         "hidden_states": [[[1, 0], [0, 1]], [[0.5, 0.5], [0, 1]]]}]}
put("cloud/CloudReadersFuzzTest", "jsonSequence", "extraction", json.dumps(extraction))
index = dict(extraction)
index["texts"] = [{"index": 0, "text": "a b", "tokens": ["a", "b"], "token_ids": [1, 2], "hidden_states": "text_00000.npy"}]
put("cloud/CloudReadersFuzzTest", "extractionFolder", "index", json.dumps(index))

# safetensors: an 8-byte header length, a JSON header, the data
def safetensors(tensors):
    header, data = {}, b""
    for name, shape, values in tensors:
        raw = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode("utf-8")
    return struct.pack("<Q", len(h)) + h + data


put("model/ModelFilesFuzzTest", "safetensorsHeader", "two-tensors",
    safetensors([("a.weight", [2, 2], [1, 2, 3, 4]), ("a.bias", [2], [0.5, -0.5])]))

# ONNX: a minimal protobuf encoding of a graph with one MatMul that names its module
def varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def field(num, wire, payload):
    key = varint(num << 3 | wire)
    if wire == 0:
        return key + varint(payload)
    return key + varint(len(payload)) + payload


def s(num, text):
    return field(num, 2, text.encode("utf-8"))


def tensor(name, dims, values):
    t = b"".join(field(1, 0, d) for d in dims) + field(2, 0, 1) + s(8, name)
    return t + field(9, 2, struct.pack("<%df" % len(values), *values))


node = s(1, "/embeddings/Add_output_0") + s(1, "onnx::MatMul_1") + s(2, "/encoder/layer.0/attention/self/query/MatMul_output_0") \
    + s(3, "/encoder/layer.0/attention/self/query/MatMul") + s(4, "MatMul")
graph = field(1, 2, node) + s(2, "g") + field(5, 2, tensor("onnx::MatMul_1", [2, 2], [1, 0, 0, 1])) \
    + field(5, 2, tensor("embeddings.word_embeddings.weight", [3, 2], [0.1] * 6))
model = field(1, 0, 7) + s(2, "seed") + field(7, 2, graph)
put("model/ModelFilesFuzzTest", "onnxWeights", "one-matmul", model)

# config.json of each supported architecture
put("model/ModelFilesFuzzTest", "configJson", "bert", json.dumps({"model_type": "bert", "num_hidden_layers": 2, "hidden_size": 8,
    "num_attention_heads": 2, "intermediate_size": 16, "max_position_embeddings": 32, "vocab_size": 50, "hidden_act": "gelu"}))
put("model/ModelFilesFuzzTest", "configJson", "distilbert", json.dumps({"model_type": "distilbert", "n_layers": 2, "dim": 8, "n_heads": 2,
    "hidden_dim": 16, "max_position_embeddings": 32, "vocab_size": 50}))
put("model/ModelFilesFuzzTest", "configJson", "gpt2", json.dumps({"model_type": "gpt2", "n_layer": 2, "n_embd": 8, "n_head": 2,
    "n_positions": 32, "vocab_size": 50, "n_inner": None}))
