"""Episode statistics of Gymnasium 0.29.1's Box2D environments under fixed policies, on a given Box2D build.

Runs Gymnasium's own code (tools/box2d/facade over the shim named by RESEARCH_BOX2D_SHIM; a fresh world per reset, as
the C# port does) for N seeded episodes with the registry's time limits, and prints one JSON line per (env, policy):
mean and std of episode length and return. With a shim built against pybox2d's Box2D 2.3 sources this is Gymnasium as
its users ran it; with Debian's 2.4.1 it is what the C# port computes bit for bit (tests/Research.Plugins.Box2D.Tests).

    RESEARCH_BOX2D_SHIM=<shim.so> PYTHONPATH=/opt/oracle /usr/bin/python3 tools/box2d/rollout_stats.py [episodes] [env ...]

Policies: "random" draws actions from numpy.random.default_rng(10_000 + episode); "heuristic" is Gymnasium's own
(lunar_lander.heuristic; BipedalWalkerHeuristics from Gymnasium 1.3, read from the git mirror).
"""
import json
import os
import subprocess
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "facade"))

import numpy as np  # noqa: E402
import Box2D  # noqa: E402  (the facade)
from gymnasium.envs.box2d import bipedal_walker, car_racing, lunar_lander  # noqa: E402

car_racing.CarRacing._render = lambda self, mode: np.zeros((96, 96, 3), dtype=np.uint8)


def heuristics_class():
    source = subprocess.check_output(["git", "--git-dir", "/work/.mirror/Farama-Foundation+Gymnasium/repo", "show",
                                      "v1.3.0:gymnasium/envs/box2d/bipedal_walker.py"]).decode()
    module = types.ModuleType("bipedal_walker_v13")
    exec(compile(source, "bipedal_walker.py", "exec"), module.__dict__)
    return module.BipedalWalkerHeuristics


ENVS = {
    "LunarLander-v2": (lambda: lunar_lander.LunarLander(), lambda e: Box2D.b2World(gravity=(0, e.gravity)), 1000),
    "LunarLanderContinuous-v2": (lambda: lunar_lander.LunarLander(continuous=True), lambda e: Box2D.b2World(gravity=(0, e.gravity)), 1000),
    "BipedalWalker-v3": (lambda: bipedal_walker.BipedalWalker(), lambda e: Box2D.b2World(), 1600),
    "BipedalWalkerHardcore-v3": (lambda: bipedal_walker.BipedalWalker(hardcore=True), lambda e: Box2D.b2World(), 2000),
    "CarRacing-v2": (lambda: car_racing.CarRacing(), lambda e: Box2D.b2World((0, 0), contactListener=e.contactListener_keepref), 1000),
}
POLICIES = {
    "LunarLander-v2": ["random", "heuristic"],
    "LunarLanderContinuous-v2": ["random", "heuristic"],
    "BipedalWalker-v3": ["random", "heuristic"],
    "BipedalWalkerHardcore-v3": ["random"],
    "CarRacing-v2": ["random"],
}


def episode(name, policy, seed):
    make, world, limit = ENVS[name]
    env = make()
    env._destroy()
    env.world = world(env)
    obs, _ = env.reset(seed=seed)
    rng = np.random.default_rng(10_000 + seed)
    walker = heuristics_class()() if policy == "heuristic" and name.startswith("Bipedal") else None
    total, steps = 0.0, 0
    action = np.zeros(4, dtype=np.float32)
    while steps < limit:
        if policy == "random":
            space = env.action_space
            action = int(rng.integers(0, space.n)) if hasattr(space, "n") else rng.uniform(space.low, space.high).astype(np.float32)
        elif walker is not None:
            action = walker.step_heuristic(obs).astype(np.float32) if steps > 0 else action
        else:
            action = lunar_lander.heuristic(env, obs)
            action = action.astype(np.float32) if isinstance(action, np.ndarray) else int(action)
        obs, reward, terminated, truncated, _ = env.step(action)
        total += float(reward)
        steps += 1
        if terminated or truncated:
            break
    return steps, total


def main():
    episodes = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    names = sys.argv[2:] or list(ENVS)
    for name in names:
        for policy in POLICIES[name]:
            results = [episode(name, policy, seed) for seed in range(episodes)]
            lengths = np.array([r[0] for r in results], dtype=float)
            returns = np.array([r[1] for r in results])
            print(json.dumps({"env": name, "policy": policy, "episodes": episodes, "box2d": Box2D.VERSION,
                              "mean_length": lengths.mean(), "std_length": lengths.std(),
                              "mean_return": returns.mean(), "std_return": returns.std()}), flush=True)


if __name__ == "__main__":
    main()
