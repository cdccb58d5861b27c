"""Golden schedule of Stable-Baselines3's DQN: when it trains, how many gradient steps, when the target moves, and ε.

Runs SB3's DQN.learn on CartPole-v1 with two environments and small settings, and records, per vector step, the
exploration rate a callback sees; per train() call, the timestep and gradient steps; per Polyak update, the timestep.
Writes tests/Research.Plugins.OffPolicy.Tests/golden/sb3_dqn_schedule.json. See tools/sb3/README.md.
"""
import json
import pathlib
import torch
import stable_baselines3.dqn.dqn as dqn_module
from stable_baselines3 import DQN
from stable_baselines3.common.callbacks import BaseCallback
from stable_baselines3.common.env_util import make_vec_env

torch.set_num_threads(1)
SETTINGS = dict(learning_starts=20, train_freq=3, gradient_steps=2, target_update_interval=10, tau=0.5,
                exploration_fraction=0.5, exploration_initial_eps=1.0, exploration_final_eps=0.1, batch_size=8)
N_ENVS, TOTAL = 2, 400

model = DQN("MlpPolicy", make_vec_env("CartPole-v1", n_envs=N_ENVS, seed=0), policy_kwargs=dict(net_arch=[8]), seed=0, **SETTINGS)
trains, target_updates, exploration = [], [], []

train = model.train
model.train = lambda gradient_steps, batch_size: (trains.append([model.num_timesteps, gradient_steps]), train(gradient_steps, batch_size))
polyak = dqn_module.polyak_update


def recording_polyak(params, target_params, tau):
    if tau != 1.0:  # the batch-norm statistics copy (tau 1.0) is not a target-network update
        target_updates.append(model.num_timesteps)
    polyak(params, target_params, tau)


dqn_module.polyak_update = recording_polyak


class Exploration(BaseCallback):
    def _on_step(self):
        exploration.append([self.model.num_timesteps, self.model.exploration_rate])
        return True


model.learn(TOTAL, callback=Exploration())
golden = dict(settings=SETTINGS, n_envs=N_ENVS, total_timesteps=TOTAL, trains=trains, target_updates=target_updates,
              exploration=exploration)
out = pathlib.Path(__file__).resolve().parents[2] / "tests/Research.Plugins.OffPolicy.Tests/golden/sb3_dqn_schedule.json"
out.write_text(json.dumps(golden))
print(f"wrote {out}: {len(trains)} train calls, {len(target_updates)} target updates, {len(exploration)} steps")
