#!/usr/bin/env python3
"""Writes tests/Research.Plugins.MuJoCo.Tests/golden/mujoco_reset_draws.json: the NumPy draws each Gymnasium 0.29.1
MuJoCo v4 environment's reset_model takes after reset(seed=s), in the order it takes them.

Gymnasium cannot run its MuJoCo environments here (there are no `mujoco` Python bindings), so this script replays
each reset_model's calls on np.random.default_rng(seed) (what Gymnasium's reset(seed=...) installs as np_random), with
the model sizes nq/nv of the shipped XML files. The tests add the draws to the model's init_qpos/init_qvel exactly as
reset_model does and compare the simulation's qpos/qvel bit for bit.

    /usr/bin/python3 tools/mujoco/make_reset_golden.py
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Research.Plugins.MuJoCo.Tests", "golden",
                   "mujoco_reset_draws.json")
SEEDS = [0, 1, 123]


def floats(values):
    return [float(v) for v in np.atleast_1d(values)]


def half_cheetah(rng):  # nq 9, nv 9, reset_noise_scale 0.1
    return {"qpos_noise": floats(rng.uniform(low=-0.1, high=0.1, size=9)), "qvel_normal": floats(rng.standard_normal(9))}


def hopper(rng):  # nq 6, nv 6, reset_noise_scale 5e-3
    return {"qpos_noise": floats(rng.uniform(low=-5e-3, high=5e-3, size=6)),
            "qvel_noise": floats(rng.uniform(low=-5e-3, high=5e-3, size=6))}


def walker2d(rng):  # nq 9, nv 9
    return {"qpos_noise": floats(rng.uniform(low=-5e-3, high=5e-3, size=9)),
            "qvel_noise": floats(rng.uniform(low=-5e-3, high=5e-3, size=9))}


def ant(rng):  # nq 15, nv 14, reset_noise_scale 0.1
    return {"qpos_noise": floats(rng.uniform(low=-0.1, high=0.1, size=15)), "qvel_normal": floats(rng.standard_normal(14))}


def humanoid(rng):  # nq 24, nv 23, reset_noise_scale 1e-2
    return {"qpos_noise": floats(rng.uniform(low=-1e-2, high=1e-2, size=24)),
            "qvel_noise": floats(rng.uniform(low=-1e-2, high=1e-2, size=23))}


def humanoid_standup(rng):  # c = 0.01
    return {"qpos_noise": floats(rng.uniform(low=-0.01, high=0.01, size=24)),
            "qvel_noise": floats(rng.uniform(low=-0.01, high=0.01, size=23))}


def reacher(rng):  # nq 4, nv 4
    qpos_noise = rng.uniform(low=-0.1, high=0.1, size=4)
    draws = 0
    while True:
        goal = rng.uniform(low=-0.2, high=0.2, size=2)
        draws += 1
        if np.linalg.norm(goal) < 0.2:
            break
    qvel_noise = rng.uniform(low=-0.005, high=0.005, size=4)
    return {"qpos_noise": floats(qpos_noise), "goal": floats(goal), "goal_draws": draws, "qvel_noise": floats(qvel_noise)}


def pusher(rng):  # nq 11, nv 11
    goal_pos = np.asarray([0, 0])
    draws = 0
    while True:
        cylinder_pos = np.concatenate([rng.uniform(low=-0.3, high=0, size=1), rng.uniform(low=-0.2, high=0.2, size=1)])
        draws += 1
        if np.linalg.norm(cylinder_pos - goal_pos) > 0.17:
            break
    qvel_noise = rng.uniform(low=-0.005, high=0.005, size=11)
    return {"cylinder": floats(cylinder_pos), "cylinder_draws": draws, "qvel_noise": floats(qvel_noise)}


def swimmer(rng):  # nq 5, nv 5, reset_noise_scale 0.1
    return {"qpos_noise": floats(rng.uniform(low=-0.1, high=0.1, size=5)),
            "qvel_noise": floats(rng.uniform(low=-0.1, high=0.1, size=5))}


def inverted_pendulum(rng):  # nq 2, nv 2
    return {"qpos_noise": floats(rng.uniform(size=2, low=-0.01, high=0.01)),
            "qvel_noise": floats(rng.uniform(size=2, low=-0.01, high=0.01))}


def inverted_double_pendulum(rng):  # nq 3, nv 3
    return {"qpos_noise": floats(rng.uniform(low=-0.1, high=0.1, size=3)), "qvel_normal": floats(rng.standard_normal(3))}


ENVS = {
    "HalfCheetah-v4": half_cheetah, "Hopper-v4": hopper, "Walker2d-v4": walker2d, "Ant-v4": ant,
    "Humanoid-v4": humanoid, "HumanoidStandup-v4": humanoid_standup, "Reacher-v4": reacher, "Pusher-v4": pusher,
    "Swimmer-v4": swimmer, "InvertedPendulum-v4": inverted_pendulum, "InvertedDoublePendulum-v4": inverted_double_pendulum,
}

result = {"numpy": np.__version__, "envs": {}}
for env_id, reset_model in ENVS.items():
    result["envs"][env_id] = {}
    for seed in SEEDS:
        rng = np.random.default_rng(seed)
        record = reset_model(rng)
        # The next draw after the reset: a second reset() without a seed continues the stream from here.
        record["next_random"] = float(rng.random())
        result["envs"][env_id][str(seed)] = record

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump(result, f, indent=1)
    f.write("\n")
print("wrote", OUT)
