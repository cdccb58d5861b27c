#!/usr/bin/env python3
"""Writes tests/Research.Rl.Tests/Seeding/golden/numpy_standard_normal.json: NumPy's Generator.standard_normal draws.

NumPy is only an oracle here; the tests read the committed JSON. Usage (Debian's python3-numpy):

    /usr/bin/python3 tools/numpy/make_normal_golden.py
"""
import hashlib
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Research.Rl.Tests", "Seeding", "golden",
                   "numpy_standard_normal.json")

seeds = [0, 1, 42, 12345, 2**32 + 5, 2**64 + 7]
records = []
for seed in seeds:
    generator = np.random.default_rng(seed)
    first = generator.standard_normal(64)
    records.append({"seed": str(seed), "first_64": [float(v) for v in first]})

# Many draws, so that every branch of the ziggurat (the layer-0 tail, the wedge tests) is exercised; summarised by a hash.
count = 2_000_000
generator = np.random.default_rng(7)
draws = generator.standard_normal(count)
bulk = {
    "seed": "7",
    "count": count,
    "sha256_float64_le": hashlib.sha256(draws.astype("<f8").tobytes()).hexdigest(),
    "sum": float(np.sum(draws)),
    "max_abs": float(np.max(np.abs(draws))),
    "state_after": str(generator.bit_generator.state["state"]["state"]),
}

# Uniform and normal draws from one stream, in the order Gymnasium's HalfCheetah-v4 reset_model takes them.
generator = np.random.default_rng(3)
mixed = {
    "seed": "3",
    "uniform_-0.1_0.1_9": [float(v) for v in generator.uniform(-0.1, 0.1, size=9)],
    "standard_normal_9": [float(v) for v in generator.standard_normal(9)],
    "uniform_0_1_2": [float(v) for v in generator.uniform(0, 1, size=2)],
}

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"numpy": np.__version__, "seeds": records, "bulk": bulk, "mixed": mixed}, f, indent=1)
    f.write("\n")
print("wrote", OUT)
