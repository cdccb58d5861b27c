"""Golden collection schedules of Stable-Baselines3's SAC and TD3: train calls, gradient steps, target updates, action-noise
resets per environment and gSDE noise redraws, as counted at every vector step.

Runs SB3's learn() on small settings with environments whose episodes last 30 + 7*i steps (environment i), so the
environments of one vector env end their episodes at different steps; a callback records the running counts at every step.
Writes tests/Research.Plugins.OffPolicy.Tests/golden/sb3_continuous_schedule.json. See tools/sb3/README.md.
"""
import json
import pathlib
import gymnasium as gym
import numpy as np
import torch
import stable_baselines3.sac.sac as sac_module
import stable_baselines3.td3.td3 as td3_module
from stable_baselines3 import SAC, TD3
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.noise import NormalActionNoise, OrnsteinUhlenbeckActionNoise, VectorizedActionNoise
from stable_baselines3.common.vec_env import DummyVecEnv

torch.set_num_threads(1)


class BoxEnv(gym.Env):
    """The spaces of the test's BoxEnv; only the episode lengths matter for the schedule."""
    observation_space = gym.spaces.Box(-np.inf, np.inf, (3,), np.float32)
    action_space = gym.spaces.Box(np.array([-2.0, -1.0], np.float32), np.array([2.0, 3.0], np.float32))

    def __init__(self, length):
        self.length, self.steps = length, 0

    def reset(self, seed=None, options=None):
        self.steps = 0
        return np.zeros(3, np.float32), {}

    def step(self, action):
        self.steps += 1
        return np.full(3, 0.01 * self.steps, np.float32), 0.0, False, self.steps >= self.length, {}


def vec_env(n):
    return DummyVecEnv([lambda i=i: BoxEnv(30 + 7 * i) for i in range(n)])


counts = {}


def instrument(model, n_envs):
    counts.update(train_calls=0, gradient_steps=0, target_updates=0, noise_resets=[0] * n_envs, sde_resets=0)
    train = model.train

    def counting_train(gradient_steps, batch_size):
        counts["train_calls"] += 1
        counts["gradient_steps"] += gradient_steps
        train(gradient_steps=gradient_steps, batch_size=batch_size)

    model.train = counting_train
    if model.use_sde:
        reset_noise = model.actor.reset_noise

        def counting_reset_noise(batch_size=1):
            if batch_size == n_envs:  # collection's redraws; train() redraws with batch_size 1
                counts["sde_resets"] += 1
            reset_noise(batch_size)

        model.actor.reset_noise = counting_reset_noise


def counting_polyak(module):
    polyak = module.polyak_update

    def wrapper(params, target_params, tau):
        if tau != 1.0:  # the batch-norm statistics copy (tau 1.0) is not a target update
            counts["target_updates"] += 1
        polyak(params, target_params, tau)

    module.polyak_update = wrapper


counting_polyak(sac_module)
counting_polyak(td3_module)
vector_reset = VectorizedActionNoise.reset


def counting_vector_reset(self, indices=None):
    for index in range(len(self.noises)) if indices is None else indices:
        counts["noise_resets"][index] += 1
    vector_reset(self, indices)


VectorizedActionNoise.reset = counting_vector_reset
single_resets = {}


class Record(BaseCallback):
    def __init__(self, rows):
        super().__init__()
        self.rows = rows

    def _on_step(self):
        self.rows.append([self.model.num_timesteps, counts["train_calls"], counts["gradient_steps"], counts["target_updates"],
                          list(counts["noise_resets"]), counts["sde_resets"]])
        return True


def run(name, cls, n_envs, total, noise, **settings):
    model = cls("MlpPolicy", vec_env(n_envs), seed=0, batch_size=8, policy_kwargs=dict(net_arch=[8]), action_noise=noise, **settings)
    instrument(model, n_envs)
    if n_envs == 1 and noise is not None:
        # A single environment's noise is reset directly (not through VectorizedActionNoise).
        reset = noise.reset

        def counting_reset():
            counts["noise_resets"][0] += 1
            reset()

        noise.reset = counting_reset
    rows = []
    model.learn(total, callback=Record(rows))
    return dict(name=name, n_envs=n_envs, total_timesteps=total, settings=settings, rows=rows)


cases = [
    run("sac_sde_ou", SAC, 2, 300, OrnsteinUhlenbeckActionNoise(np.zeros(2), 0.1 * np.ones(2)), learning_starts=30, train_freq=3,
        gradient_steps=2, target_update_interval=2, tau=0.5, use_sde=True, sde_sample_freq=4),
    run("td3_normal", TD3, 2, 300, NormalActionNoise(np.zeros(2), 0.1 * np.ones(2)), learning_starts=30, train_freq=2,
        gradient_steps=3, policy_delay=2, tau=0.5),
    run("sac_episodes", SAC, 1, 200, OrnsteinUhlenbeckActionNoise(np.zeros(2), 0.2 * np.ones(2)), learning_starts=20,
        train_freq=(1, "episode"), gradient_steps=-1, tau=0.5),
]
out = pathlib.Path(__file__).resolve().parents[2] / "tests/Research.Plugins.OffPolicy.Tests/golden/sb3_continuous_schedule.json"
out.write_text(json.dumps(cases))
for case in cases:
    print(case["name"], case["rows"][-1])
