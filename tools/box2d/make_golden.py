"""Golden episodes of Gymnasium 0.29.1's Box2D environments, run by Gymnasium's own code on the project's native shim.

pybox2d is not packaged for Debian, so Gymnasium's environments run here on a small pybox2d-compatible facade
(tools/box2d/facade/Box2D) over Native/research_box2d.cpp: the same Box2D build, through the same C calls, as the C#
plugin. The C# environments must then reproduce these episodes bit for bit: terrain, tracks and initial forces from
the seed, observations, rewards and flags at every step.

Usage (see README.md here):
    RESEARCH_BOX2D_SHIM=<path to libresearch_box2d.so> PYTHONPATH=/opt/oracle /usr/bin/python3 tools/box2d/make_golden.py [out_dir]

Decisions the C# port shares, applied here to Gymnasium's code from outside:
- every reset starts from a fresh b2World (Gymnasium 1.0's fix of its issue #728: a reused world's broad-phase keeps
  history, so the same seed could give another episode);
- LunarLander's wind offsets are drawn from the env's generator at reset (Gymnasium 1.0's fix, #959); 0.29.1 drew them
  once from NumPy's global generator. Wind episodes therefore run Gymnasium v1.0.0's lunar_lander.py (read from the git
  mirror), whose only other changes are the fresh world, float64 continuous actions and wider observation bounds;
- NumPy 1's type promotion (what 0.29.1 ran with), so float32 actions are widened to float64 before any arithmetic;
- CarRacing's pixels are not recorded (pygame is stubbed out): only its physics, rewards and track.
"""
import json
import math
import os
import subprocess
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(HERE, "facade"))

import numpy as np  # noqa: E402

import Box2D  # noqa: E402  (the facade)
from gymnasium.envs.box2d import bipedal_walker, car_racing, lunar_lander  # noqa: E402

car_racing.CarRacing._render = lambda self, mode: np.zeros((96, 96, 3), dtype=np.uint8)

GYM_MIRROR = "/work/.mirror/Farama-Foundation+Gymnasium/repo"


def load_module_from_tag(tag, path, name):
    source = subprocess.check_output(["git", "--git-dir", GYM_MIRROR, "show", "%s:%s" % (tag, path)]).decode()
    module = types.ModuleType(name)
    module.__file__ = path
    exec(compile(source, path, "exec"), module.__dict__)
    return module


lunar_lander_v1 = load_module_from_tag("v1.0.0", "gymnasium/envs/box2d/lunar_lander.py", "lunar_lander_v1")
BipedalWalkerHeuristics = load_module_from_tag("v1.3.0", "gymnasium/envs/box2d/bipedal_walker.py",
                                               "bipedal_walker_v13").BipedalWalkerHeuristics


def f32(values):
    return [float(np.float32(v)) for v in values]


def fresh_reset(env, world_factory, seed):
    env._destroy()
    env.world = world_factory(env)
    return env.reset(seed=seed)


# ---- LunarLander --------------------------------------------------------------------------------------------------

def lunar_world(env):
    return Box2D.b2World(gravity=(0, env.gravity))


def record_forces():
    calls = []
    original = Box2D.b2Body.ApplyForceToCenter

    def spy(body, force, wake):
        calls.append([float(force[0]), float(force[1])])
        return original(body, force, wake)

    Box2D.b2Body.ApplyForceToCenter = spy
    return calls, lambda: setattr(Box2D.b2Body, "ApplyForceToCenter", original)


def lunar_episode(module, kwargs, seed, policy, max_steps=1000):
    env = module.LunarLander(**kwargs)
    forces, restore = record_forces()
    obs, _ = fresh_reset(env, lunar_world, seed)
    restore()
    record = {"kwargs": kwargs, "seed": seed, "policy": policy[0], "initial_obs": f32(obs),
              "smooth_y": [float(p[0][1]) for p in env.sky_polys] + [float(env.sky_polys[-1][1][1])],
              "helipad_y": env.helipad_y, "initial_force": forces[0],
              "wind_idx": int(getattr(env, "wind_idx", 0)), "torque_idx": int(getattr(env, "torque_idx", 0)),
              "steps": []}
    for t in range(max_steps):
        action = policy[1](env, obs, t)
        obs, reward, terminated, truncated, _ = env.step(action)
        record["steps"].append({"action": action.tolist() if isinstance(action, np.ndarray) else int(action),
                                "obs": f32(obs), "reward": float(reward), "terminated": bool(terminated)})
        if terminated:
            break
    return record


def lunar_random(seed, continuous):
    rng = np.random.default_rng(1000 + seed)
    if continuous:
        return "random", lambda env, obs, t: rng.uniform(-1, 1, size=2).astype(np.float32)
    return "random", lambda env, obs, t: int(rng.integers(0, 4))


def lunar_heuristic(env, obs, t):
    action = lunar_lander.heuristic(env, obs)
    return action.astype(np.float32) if isinstance(action, np.ndarray) else int(action)


# ---- BipedalWalker ------------------------------------------------------------------------------------------------

def walker_episode(kwargs, seed, policy_name, max_steps):
    env = bipedal_walker.BipedalWalker(**kwargs)
    forces, restore = record_forces()
    obs, _ = fresh_reset(env, lambda e: Box2D.b2World(), seed)
    restore()
    obstacles = []
    for body in env.terrain:
        for fixture in body.fixtures:
            if isinstance(fixture.shape, Box2D.polygonShape):
                obstacles.append([[float(x), float(y)] for x, y in fixture.shape.vertices])
    obstacles.reverse()  # creation order (the env reverses its terrain list)
    record = {"kwargs": kwargs, "seed": seed, "policy": policy_name, "initial_obs": f32(obs),
              "terrain_x": [float(x) for x in env.terrain_x], "terrain_y": [float(y) for y in env.terrain_y],
              "obstacles": obstacles, "clouds": [[[float(x), float(y)] for x, y in poly] for poly, _, _ in env.cloud_poly],
              "initial_force": forces[0], "steps": []}
    rng = np.random.default_rng(2000 + seed)
    heuristic = BipedalWalkerHeuristics()
    action = np.zeros(4, dtype=np.float32)
    for t in range(max_steps):
        if policy_name == "random":
            action = rng.uniform(-1, 1, size=4).astype(np.float32)
        elif t > 0:
            action = heuristic.step_heuristic(obs).astype(np.float32)
        obs, reward, terminated, truncated, _ = env.step(action)
        record["steps"].append({"action": action.tolist(), "obs": f32(obs), "reward": float(reward),
                                "terminated": bool(terminated)})
        if terminated:
            break
    return record


# ---- CarRacing ----------------------------------------------------------------------------------------------------

def follow_track(env, speed):
    """Steers towards the centre of the tile a few ahead of the nearest one; gas until `speed`."""
    hull = env.car.hull
    x, y = hull.position
    distances = [(tx - x) ** 2 + (ty - y) ** 2 for _, _, tx, ty in env.track]
    target = env.track[(int(np.argmin(distances)) + 4) % len(env.track)]
    heading = hull.angle + math.pi / 2
    bearing = math.atan2(target[3] - y, target[2] - x)
    error = (bearing - heading + math.pi) % (2 * math.pi) - math.pi
    velocity = hull.linearVelocity
    v = math.hypot(velocity[0], velocity[1])
    return float(np.clip(-2.0 * error, -1, 1)), (0.3 if v < speed else 0.0), (0.2 if v > speed + 10 else 0.0)


def car_episode(kwargs, seed, policy_name, max_steps):
    env = car_racing.CarRacing(**kwargs)
    fresh_reset(env, lambda e: Box2D.b2World((0, 0), contactListener=e.contactListener_keepref), seed)
    record = {"kwargs": kwargs, "seed": seed, "policy": policy_name,
              "track": [[float(v) for v in tile] for tile in env.track],
              "road_poly": [{"poly": [[float(x), float(y)] for x, y in poly], "color": [float(c) for c in color]}
                            for poly, color in env.road_poly],
              "road_color": [float(c) for c in env.road_color], "bg_color": [float(c) for c in env.bg_color],
              "grass_color": [float(c) for c in env.grass_color], "steps": []}
    rng = np.random.default_rng(3000 + seed)
    continuous = kwargs.get("continuous", True)
    for t in range(max_steps):
        if policy_name == "random":
            action = (rng.uniform([-1, 0, 0], [1, 1, 1]).astype(np.float32) if continuous else int(rng.integers(0, 5)))
        elif policy_name == "straight":
            action = np.array([0.0, 1.0, 0.0], dtype=np.float32)
        else:
            steer, gas, brake = follow_track(env, 45.0)
            if continuous:
                action = np.array([steer, gas, brake], dtype=np.float32)
            else:
                action = 1 if steer < -0.3 else 2 if steer > 0.3 else 4 if brake > 0 else 3 if gas > 0 else 0
        _, reward, terminated, truncated, _ = env.step(action)
        hull = env.car.hull
        record["steps"].append({
            "action": action.tolist() if isinstance(action, np.ndarray) else action,
            "reward": float(reward), "terminated": bool(terminated), "truncated": bool(truncated),
            "hull": f32([hull.position[0], hull.position[1], hull.angle, hull.linearVelocity[0], hull.linearVelocity[1],
                         hull.angularVelocity]),
            "wheel_omega": [float(w.omega) for w in env.car.wheels],
            "wheel_joint": [float(w.joint.angle) for w in env.car.wheels],
            "tiles_visited": int(env.tile_visited_count)})
        if terminated or truncated:
            break
    return record


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "Research.Plugins.Box2D.Tests", "golden")
    os.makedirs(out_dir, exist_ok=True)
    meta = {"gymnasium": "0.29.1", "numpy": np.__version__, "box2d": Box2D.VERSION}

    lunar = []
    for seed in [0, 1]:
        lunar.append(lunar_episode(lunar_lander, {}, seed, lunar_random(seed, False)))
        lunar.append(lunar_episode(lunar_lander, {}, seed, ("heuristic", lunar_heuristic)))
    lunar.append(lunar_episode(lunar_lander, {"continuous": True}, 0, ("heuristic", lunar_heuristic)))
    lunar.append(lunar_episode(lunar_lander, {"continuous": True}, 2, lunar_random(2, True)))
    lunar.append(lunar_episode(lunar_lander_v1, {"enable_wind": True}, 3, lunar_random(3, False)))
    lunar.append(lunar_episode(lunar_lander_v1, {"continuous": True, "gravity": -8.0, "enable_wind": True,
                                                 "wind_power": 10.0, "turbulence_power": 1.0}, 4, ("heuristic", lunar_heuristic)))
    write(out_dir, "lunar_lander.json", meta, lunar)

    walker = [walker_episode({}, 0, "random", 300), walker_episode({}, 1, "random", 300),
              walker_episode({}, 0, "heuristic", 500),
              walker_episode({"hardcore": True}, 0, "random", 200), walker_episode({"hardcore": True}, 5, "heuristic", 400)]
    write(out_dir, "bipedal_walker.json", meta, walker)

    car = [car_episode({}, 0, "follow", 1000), car_episode({}, 1, "random", 150),
           car_episode({"continuous": False}, 2, "follow", 300), car_episode({"domain_randomize": True}, 3, "random", 50),
           car_episode({"lap_complete_percent": 0.1}, 4, "follow", 400), car_episode({}, 5, "straight", 600)]
    write(out_dir, "car_racing.json", meta, car)


def write(out_dir, name, meta, episodes):
    with open(os.path.join(out_dir, name), "w") as f:
        json.dump({"meta": meta, "episodes": episodes}, f, separators=(",", ":"))
        f.write("\n")
    lengths = [len(e["steps"]) for e in episodes]
    returns = [round(sum(s["reward"] for s in e["steps"]), 2) for e in episodes]
    print(name, "lengths", lengths, "returns", returns, "bytes", os.path.getsize(os.path.join(out_dir, name)))


if __name__ == "__main__":
    main()
