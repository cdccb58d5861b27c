"""Times Stable-Baselines3's own learn() for SAC, TD3 or DDPG with the zoo's settings (the speed peer), then evaluates the model.

Usage: PYTHONPATH=/opt/oracle /usr/bin/python3 tools/sb3/time_continuous.py SAC Pendulum-v1 [--seed 0] [--timesteps N] [--config k=v ...]
One torch thread (SB3's setting that is fastest on two cores), torch on Debian's OpenBLAS. Prints one JSON line:
algorithm, environment, seed, timesteps, learn_seconds, mean_return, std_return (20 deterministic episodes), torch threads and
the BLAS torch was built with. The zoo entries are read from experiments/hyperparams/<algo>.yaml (the same file `research`
reads), so both sides train with the same settings.
"""
import argparse
import os
import ast
import json
import pathlib
import time

import numpy as np
import torch
import yaml
from stable_baselines3 import DDPG, SAC, TD3
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.evaluation import evaluate_policy
from stable_baselines3.common.noise import NormalActionNoise, OrnsteinUhlenbeckActionNoise

torch.set_num_threads(1)
ROOT = pathlib.Path(__file__).resolve().parents[2]
parser = argparse.ArgumentParser()
parser.add_argument("algo")
parser.add_argument("env")
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--timesteps", type=int)
parser.add_argument("--config", nargs="*", default=[], help="key=value overrides of the zoo entry")
parser.add_argument("--eval-episodes", type=int, default=20)
args = parser.parse_args()

entry = dict(yaml.safe_load((ROOT / "experiments/hyperparams" / f"{args.algo.lower()}.yaml").read_text())[args.env])
for pair in args.config:
    key, value = pair.split("=", 1)
    try:
        entry[key] = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        entry[key] = value
timesteps = args.timesteps or int(float(entry.pop("n_timesteps")))
entry.pop("n_timesteps", None)
policy = entry.pop("policy")
n_envs = entry.pop("n_envs", 1)
env = make_vec_env(args.env, n_envs=n_envs, seed=args.seed)
n_actions = env.action_space.shape[0]
noise_type, noise_std = entry.pop("noise_type", None), entry.pop("noise_std", None)
if noise_type == "normal":
    entry["action_noise"] = NormalActionNoise(np.zeros(n_actions), noise_std * np.ones(n_actions))
elif noise_type == "ornstein-uhlenbeck":
    entry["action_noise"] = OrnsteinUhlenbeckActionNoise(np.zeros(n_actions), noise_std * np.ones(n_actions))
if isinstance(entry.get("policy_kwargs"), str):
    entry["policy_kwargs"] = eval(entry["policy_kwargs"], {"dict": dict, "nn": torch.nn})  # the zoo's own spelling
model = {"SAC": SAC, "TD3": TD3, "DDPG": DDPG}[args.algo.upper()](policy, env, seed=args.seed, **entry)
start = time.perf_counter()
model.learn(timesteps)
seconds = time.perf_counter() - start
eval_env = make_vec_env(args.env, n_envs=1, seed=1_000_000 + args.seed)
rewards, _ = evaluate_policy(model, eval_env, n_eval_episodes=args.eval_episodes, deterministic=True, return_episode_rewards=True)
print(json.dumps(dict(algorithm=args.algo.upper(), environment=args.env, seed=args.seed, timesteps=timesteps, learn_seconds=seconds,
                      mean_return=float(np.mean(rewards)), std_return=float(np.std(rewards)), torch_threads=torch.get_num_threads(),
                      blas=os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3"))))
