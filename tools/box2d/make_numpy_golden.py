"""NumPy's Generator.integers (and its interleaving with random()) for the seeds the Box2D environments use.

Writes tests/Research.Rl.Tests/Seeding/golden/numpy_integers.json. Run with Debian's NumPy:
    /usr/bin/python3 tools/box2d/make_numpy_golden.py
"""
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "Research.Rl.Tests", "Seeding", "golden", "numpy_integers.json")

# (low, high) pairs the environments draw: LunarLander's wind offsets, BipedalWalker's terrain counters and states,
# CarRacing's colour index; plus ranges that exercise Lemire's rejection and the full 32-bit range.
RANGES = [(-9999, 9999), (3, 5), (1, 3), (4, 5), (5, 10), (1, 5), (0, 3), (0, 2 ** 31 + 1), (0, 2 ** 32), (-5, 7)]


def main():
    cases = []
    for seed in [0, 1, 42, 12345, 2 ** 40 + 7]:
        for low, high in RANGES:
            rng = np.random.default_rng(seed)
            cases.append({"seed": seed, "low": low, "high": high,
                          "values": [int(rng.integers(low, high)) for _ in range(64)]})
        # integers, random() and uniform() interleaved: the buffered half-word survives the 64-bit draws between them.
        rng = np.random.default_rng(seed)
        ops = []
        for i in range(40):
            kind = ["integers", "random", "integers", "uniform", "integers"][i % 5]
            if kind == "integers":
                ops.append({"op": kind, "low": -9999, "high": 9999, "value": int(rng.integers(-9999, 9999))})
            elif kind == "random":
                ops.append({"op": kind, "value": float(rng.random())})
            else:
                ops.append({"op": kind, "low": -1.0, "high": 1.0, "value": float(rng.uniform(-1.0, 1.0))})
        state = rng.bit_generator.state
        cases.append({"seed": seed, "interleaved": ops,
                      "final_has_uint32": int(state["has_uint32"]), "final_uinteger": int(state["uinteger"])})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"numpy": np.__version__, "cases": cases}, f, indent=None)
        f.write("\n")


if __name__ == "__main__":
    main()
