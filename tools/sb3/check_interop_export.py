"""Stable-Baselines3 v2.4.1 loads the models this project exports (`research export sb3`) and records what they predict.

For each tests/Research.Interop.Tests/golden/sb3/ours_<name>.sb3.zip (exported from the committed ours_<name>.zip):
loads it with SB3's own `load`, records the action network's outputs, values or Q-values, log_std and deterministic
actions on fixed observations, the optimizer's step and learning rate, then continues training with `learn` for a few
hundred steps (with Gymnasium 0.29's CartPole the observation space is passed through `custom_objects`: 0.29 writes
float32-max where Gymnasium 1.x and this project write inf). Writes ours_<name>.sb3.json. See tools/sb3/README.md.
"""
import json
import pathlib
import sys

import gymnasium as gym
import numpy as np
import torch
from stable_baselines3 import A2C, DQN, PPO

torch.set_num_threads(1)
GOLDEN = pathlib.Path(__file__).resolve().parents[2] / "tests/Research.Interop.Tests/golden/sb3"
CASES = [("ppo_pendulum", PPO, "Pendulum-v1"), ("a2c_cartpole", A2C, "CartPole-v1"), ("dqn_cartpole", DQN, "CartPole-v1")]


def observations(space, rows, seed):
    rng = np.random.default_rng(seed)
    low, high = np.maximum(space.low, -2.0), np.minimum(space.high, 2.0)
    return (low + (high - low) * rng.random((rows, space.shape[0]))).astype(np.float32)


def main():
    for name, cls, env_id in CASES:
        env = gym.make(env_id)
        model = cls.load(GOLDEN / f"ours_{name}.sb3.zip", custom_objects={"observation_space": env.observation_space})
        obs = observations(env.observation_space, 8, 11)
        policy = model.policy
        policy.set_training_mode(False)
        out = {"observations": obs.tolist()}
        with torch.no_grad():
            t = torch.as_tensor(obs)
            if cls is DQN:
                out["q_values"] = policy.q_net(t).numpy().tolist()
            else:
                latent_pi, latent_vf = policy.mlp_extractor(policy.extract_features(t))
                out["action_net"] = policy.action_net(latent_pi).numpy().tolist()
                out["values"] = policy.value_net(latent_vf).squeeze(-1).numpy().tolist()
                if hasattr(policy, "log_std"):
                    out["log_std"] = policy.log_std.numpy().tolist()
        actions, _ = model.predict(obs, deterministic=True)
        out["deterministic_actions"] = np.asarray(actions, dtype=np.float64).reshape(len(obs), -1).tolist()
        steps = [float(s["step"]) for s in policy.optimizer.state.values()]
        out["optimizer_step"] = steps[0] if steps else 0.0
        out["optimizer"] = type(policy.optimizer).__name__
        out["num_timesteps"] = model.num_timesteps
        model.set_env(env)
        model.learn(256, reset_num_timesteps=False)
        out["num_timesteps_after_learn"] = model.num_timesteps
        steps = [float(s["step"]) for s in policy.optimizer.state.values()]
        out["optimizer_step_after_learn"] = steps[0] if steps else 0.0
        (GOLDEN / f"ours_{name}.sb3.json").write_text(json.dumps(out, indent=1) + "\n")
        print(f"ours_{name}.sb3.zip: loaded by SB3, {out['num_timesteps']} -> {model.num_timesteps} steps, optimizer step {out['optimizer_step']} -> {out['optimizer_step_after_learn']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
