"""Stable-Baselines3 v2.4.1 trained on Gymnasium 0.29.1's own LunarLander-v2, run here on the project's Box2D shim.

The learning tables compare the C# algorithms with the zoo's published returns; where those are not reached, this runs
SB3 itself on the same environment (Gymnasium's code through tools/box2d/facade, a fresh world per reset as the C#
port does) with the zoo's settings, so the two can be told apart from differences of Box2D versions.

    RESEARCH_BOX2D_SHIM=<libresearch_box2d.so> PYTHONPATH=/opt/oracle /usr/bin/python3 tools/box2d/sb3_lunar_lander.py A2C 0 [200000]

Prints one JSON line: algorithm, seed, timesteps, wall seconds, mean/std of 20 deterministic evaluation episodes, and the
mean training return of the last 100 episodes.
"""
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "facade"))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import Box2D  # noqa: E402,F401  (the facade)
import gymnasium as gym  # noqa: E402
from gymnasium.envs.box2d import lunar_lander  # noqa: E402
from stable_baselines3 import A2C, DQN, PPO  # noqa: E402
from stable_baselines3.common.env_util import make_vec_env  # noqa: E402
from stable_baselines3.common.evaluation import evaluate_policy  # noqa: E402
from stable_baselines3.common.utils import get_linear_fn  # noqa: E402


class FreshWorldLunarLander(lunar_lander.LunarLander):
    """Gymnasium 0.29.1's LunarLander with a new b2World per reset (Gymnasium 1.0's fix; what the C# port does)."""

    def reset(self, *, seed=None, options=None):
        self._destroy()
        self.world = Box2D.b2World(gravity=(0, self.gravity))
        return super().reset(seed=seed, options=options)


gym.register("FreshLunarLander-v2", entry_point=FreshWorldLunarLander, max_episode_steps=1000, reward_threshold=200)


def linear(start):
    return lambda progress: progress * start


# The zoo's settings (experiments/hyperparams/*.yaml, LunarLander-v2).
SETTINGS = {
    "A2C": dict(n_envs=8, kwargs=dict(gamma=0.995, n_steps=5, learning_rate=linear(0.00083), ent_coef=0.00001), steps=200_000),
    "PPO": dict(n_envs=16, kwargs=dict(n_steps=1024, batch_size=64, gae_lambda=0.98, gamma=0.999, n_epochs=4, ent_coef=0.01), steps=1_000_000),
    "DQN": dict(n_envs=1, kwargs=dict(learning_rate=6.3e-4, batch_size=128, buffer_size=50000, learning_starts=0, gamma=0.99,
                                       target_update_interval=250, train_freq=4, gradient_steps=-1, exploration_fraction=0.12,
                                       exploration_final_eps=0.1, policy_kwargs=dict(net_arch=[256, 256])), steps=100_000),
}


def main():
    algo, seed = sys.argv[1], int(sys.argv[2])
    setting = SETTINGS[algo]
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else setting["steps"]
    torch.set_num_threads(1)
    env = make_vec_env("FreshLunarLander-v2", n_envs=setting["n_envs"], seed=seed)
    model = {"A2C": A2C, "PPO": PPO, "DQN": DQN}[algo]("MlpPolicy", env, seed=seed, verbose=0, **setting["kwargs"])
    start = time.time()
    model.learn(total_timesteps=steps)
    wall = time.time() - start
    eval_env = gym.make("FreshLunarLander-v2")
    rewards, _ = evaluate_policy(model, eval_env, n_eval_episodes=20, deterministic=True, return_episode_rewards=True)
    train = [e["r"] for e in model.ep_info_buffer]
    print(json.dumps({"algorithm": algo, "seed": seed, "timesteps": steps, "wall_seconds": wall,
                      "mean_return": float(np.mean(rewards)), "std_return": float(np.std(rewards)),
                      "train_return_last100": float(np.mean(train)), "box2d": Box2D.VERSION}))


if __name__ == "__main__":
    main()
