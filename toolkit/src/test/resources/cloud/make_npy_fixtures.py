#!/usr/bin/env python3
"""Writes .npy fixtures with numpy itself, so the Java reader is checked against numpy's own writer.

Run from this folder with Debian's interpreter: /usr/bin/python3 make_npy_fixtures.py
"""
import json
import numpy as np

a = np.arange(12, dtype=np.float64).reshape(3, 4) / 7.0 - 0.5
np.save('c_f8.npy', a)
np.save('c_f4.npy', a.astype(np.float32))
np.save('fortran_f8.npy', np.asfortranarray(a))
np.save('big_endian_f8.npy', a.astype('>f8'))
seq = np.stack([a, 2 * a, a ** 2])
np.save('seq_f8.npy', seq)
np.save('int64.npy', np.arange(6).reshape(2, 3))
with open('expected.json', 'w') as f:
    json.dump({'cloud': a.tolist(), 'cloud_f4': a.astype(np.float32).astype(np.float64).tolist(),
               'sequence': seq.tolist()}, f)
