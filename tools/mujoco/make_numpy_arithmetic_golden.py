#!/usr/bin/env python3
"""Writes tests/Research.Plugins.MuJoCo.Tests/golden/numpy_arithmetic.json: the NumPy reductions Gymnasium's MuJoCo
rewards use (np.sum's pairwise summation in float32 and float64, np.square then np.sum, np.linalg.norm of short vectors,
np.float64 ** 2), computed by NumPy on this machine (OpenBLAS behind np.dot, as Debian's python3-numpy ships).

    /usr/bin/python3 tools/mujoco/make_numpy_arithmetic_golden.py
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Research.Plugins.MuJoCo.Tests", "golden",
                   "numpy_arithmetic.json")
rng = np.random.default_rng(2024)
lengths = list(range(1, 18)) + [24, 33, 64, 84, 127, 128, 129, 200, 257, 300]
sums = []
for n in lengths:
    for dtype in (np.float32, np.float64):
        values = (rng.standard_normal(n) * 10.0 ** rng.uniform(-3, 3, n)).astype(dtype)
        sums.append({
            "dtype": np.dtype(dtype).name,
            "values": [float(v) for v in values],
            "sum": float(np.sum(values)),
            "sum_of_squares": float(np.sum(np.square(values))),
            "clipped_sum_of_squares": float(np.sum(np.square(np.clip(values, -1.0, 1.0)))),
        })
norms = []
for n in (2, 3):
    for _ in range(100):
        v = rng.standard_normal(n) * 10.0 ** rng.uniform(-3, 1)
        norms.append({"values": [float(x) for x in v], "norm": float(np.linalg.norm(v))})
powers = []
for x in rng.standard_normal(200) * 10.0 ** rng.uniform(-2, 2, 200):
    powers.append({"x": float(x), "square": float(np.float64(x) ** 2)})

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"numpy": np.__version__, "sums": sums, "norms": norms, "powers": powers}, f)
    f.write("\n")
print("wrote", OUT)
