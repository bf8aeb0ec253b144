#!/usr/bin/python3
"""Reference hidden states of a tiny GPT-2 with deterministic pseudo-random weights.

The weights follow a formula that the Java test (TinyGpt2.java) implements too, so that the test can
write the same checkpoint itself: value i of the k-th tensor of the list below is
    s(u(k, i)), u = hash32(i * 0x9E3779B1 + k * 0x85EBCA77 + 0x165667B1) / 2^32 - 0.5
where hash32 is the xorshift-multiply finaliser below, and s depends on the tensor's kind
(embedding: u, matrix: 0.6 u, LayerNorm gain: 1 + 0.4 u, bias: 0.2 u), rounded to float32.

The forward pass is written here from the GPT-2 paper's description, in float64 with PyTorch
(pre-LayerNorm blocks, causal softmax attention, tanh GELU, final LayerNorm applied to the last hidden
state as Hugging Face's output_hidden_states does). It writes gpt2-tiny.json with the config, the token
ids, and hidden states 0..L of each text.

Usage: /usr/bin/python3 make_gpt2_reference.py
"""
import json
import math

import numpy as np
import torch

CONFIG = {"model_type": "gpt2", "n_layer": 2, "n_head": 2, "n_embd": 8, "n_positions": 16, "vocab_size": 12,
          "layer_norm_epsilon": 1e-5, "activation_function": "gelu_new"}
VOCAB = ["[UNK]", "the", "cat", "sat", "on", "mat", "dog", "a", "ran", "far", "away", "."]
TEXTS = ["the cat sat on the mat", "a dog ran far away", "the cat"]
M32 = 0xFFFFFFFF


def hash32(x):
    x &= M32
    x ^= x >> 15
    x = (x * 0x2C1B3C6D) & M32
    x ^= x >> 12
    x = (x * 0x297A2D39) & M32
    x ^= x >> 15
    return x


def tensor_list():
    d, ff, v, p = CONFIG["n_embd"], 4 * CONFIG["n_embd"], CONFIG["vocab_size"], CONFIG["n_positions"]
    out = [("wte.weight", (v, d), "e"), ("wpe.weight", (p, d), "e")]
    for l in range(CONFIG["n_layer"]):
        h = "h.%d." % l
        out += [(h + "ln_1.weight", (d,), "g"), (h + "ln_1.bias", (d,), "b"),
                (h + "attn.c_attn.weight", (d, 3 * d), "w"), (h + "attn.c_attn.bias", (3 * d,), "b"),
                (h + "attn.c_proj.weight", (d, d), "w"), (h + "attn.c_proj.bias", (d,), "b"),
                (h + "ln_2.weight", (d,), "g"), (h + "ln_2.bias", (d,), "b"),
                (h + "mlp.c_fc.weight", (d, ff), "w"), (h + "mlp.c_fc.bias", (ff,), "b"),
                (h + "mlp.c_proj.weight", (ff, d), "w"), (h + "mlp.c_proj.bias", (d,), "b")]
    out += [("ln_f.weight", (d,), "g"), ("ln_f.bias", (d,), "b")]
    return out


def make(k, shape, kind):
    n = int(np.prod(shape))
    vals = []
    for i in range(n):
        u = hash32(i * 0x9E3779B1 + k * 0x85EBCA77 + 0x165667B1) / 4294967296.0 - 0.5
        vals.append({"e": u, "w": 0.6 * u, "g": 1 + 0.4 * u, "b": 0.2 * u}[kind])
    return torch.from_numpy(np.array(vals, dtype=np.float32).astype(np.float64).reshape(shape))


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * g + b


def forward(w, ids):
    d, nh, eps = CONFIG["n_embd"], CONFIG["n_head"], CONFIG["layer_norm_epsilon"]
    n = len(ids)
    x = w["wte.weight"][ids] + w["wpe.weight"][:n]
    states = [x]
    allowed = torch.tril(torch.ones(n, n, dtype=torch.bool))
    for l in range(CONFIG["n_layer"]):
        h = "h.%d." % l
        a = layer_norm(x, w[h + "ln_1.weight"], w[h + "ln_1.bias"], eps)
        qkv = a @ w[h + "attn.c_attn.weight"] + w[h + "attn.c_attn.bias"]
        q, k, v = qkv[:, :d], qkv[:, d:2 * d], qkv[:, 2 * d:]
        heads = []
        hd = d // nh
        for j in range(nh):
            s = q[:, j * hd:(j + 1) * hd] @ k[:, j * hd:(j + 1) * hd].T / math.sqrt(hd)
            s = s.masked_fill(~allowed, float("-inf"))
            heads.append(torch.softmax(s, -1) @ v[:, j * hd:(j + 1) * hd])
        x = x + torch.cat(heads, -1) @ w[h + "attn.c_proj.weight"] + w[h + "attn.c_proj.bias"]
        m = layer_norm(x, w[h + "ln_2.weight"], w[h + "ln_2.bias"], eps)
        f = m @ w[h + "mlp.c_fc.weight"] + w[h + "mlp.c_fc.bias"]
        f = 0.5 * f * (1 + torch.tanh(math.sqrt(2 / math.pi) * (f + 0.044715 * f ** 3)))
        x = x + f @ w[h + "mlp.c_proj.weight"] + w[h + "mlp.c_proj.bias"]
        states.append(x)
    states[-1] = layer_norm(x, w["ln_f.weight"], w["ln_f.bias"], eps)
    return states


def main():
    w = {name: make(k, shape, kind) for k, (name, shape, kind) in enumerate(tensor_list())}
    out = {"config": CONFIG, "vocab": VOCAB, "texts": []}
    for text in TEXTS:
        ids = [VOCAB.index(t) for t in text.split()]
        states = forward(w, ids)
        out["texts"].append({"text": text, "token_ids": ids,
                             "hidden_states": [[[float(v) for v in row] for row in s] for s in states]})
    with open("gpt2-tiny.json", "w") as f:
        json.dump(out, f)
    print("wrote gpt2-tiny.json:", len(TEXTS), "texts,", CONFIG["n_layer"] + 1, "hidden states each")


if __name__ == "__main__":
    main()
