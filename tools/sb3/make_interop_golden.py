"""Golden models for the Stable-Baselines3 import: small models trained and saved by SB3 v2.4.1 itself, with what SB3's
policies output on fixed observations (the oracle for `research import sb3` and `Ppo.LoadSb3`).

Writes, under tests/Research.Interop.Tests/golden/sb3/:
  sb3_<name>.zip   the model exactly as SB3's `save` wrote it (policy.pth, policy.optimizer.pth, data, ...)
  sb3_<name>.json  observations, the action network's raw outputs (logits or Gaussian means), values or Q-values,
                   log_std, deterministic actions (SB3's `predict`), and the optimizer's step count
See tools/sb3/README.md.
"""
import json
import pathlib
import sys

import numpy as np
import torch

# The oracle's `gym` shim has no __version__, which SB3's system-info writer reads on save.
import gym  # noqa: E402

if not hasattr(gym, "__version__"):
    gym.__version__ = "none"

from stable_baselines3 import A2C, DQN, PPO  # noqa: E402

torch.set_num_threads(1)
OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/Research.Interop.Tests/golden/sb3"
OUT.mkdir(parents=True, exist_ok=True)


def observations(space, rows, seed):
    rng = np.random.default_rng(seed)
    low = np.maximum(space.low, -2.0)
    high = np.minimum(space.high, 2.0)
    return (low + (high - low) * rng.random((rows, space.shape[0]))).astype(np.float32)


def record(name, model, obs):
    policy = model.policy
    policy.set_training_mode(False)
    with torch.no_grad():
        t = torch.as_tensor(obs)
        out = {"observations": obs.tolist()}
        if isinstance(model, DQN):
            out["q_values"] = policy.q_net(t).numpy().tolist()
        else:
            features = policy.extract_features(t)
            latent_pi, latent_vf = policy.mlp_extractor(features)
            out["action_net"] = policy.action_net(latent_pi).numpy().tolist()
            out["values"] = policy.value_net(latent_vf).squeeze(-1).numpy().tolist()
            if hasattr(policy, "log_std"):
                out["log_std"] = policy.log_std.numpy().tolist()
    actions, _ = model.predict(obs, deterministic=True)
    out["deterministic_actions"] = np.asarray(actions, dtype=np.float64).reshape(len(obs), -1).tolist()
    optimizer = policy.optimizer
    steps = [float(s["step"]) for s in optimizer.state.values() if "step" in s]
    out["optimizer_step"] = steps[0] if steps else 0.0
    out["optimizer_lr"] = optimizer.param_groups[0]["lr"]
    out["num_timesteps"] = model.num_timesteps
    model.save(OUT / f"sb3_{name}.zip")
    (OUT / f"sb3_{name}.json").write_text(json.dumps(out, indent=1) + "\n")
    print(f"sb3_{name}: {model.num_timesteps} steps, optimizer step {out['optimizer_step']}")


def main():
    ppo = PPO("MlpPolicy", "CartPole-v1", n_steps=64, batch_size=32, n_epochs=2, learning_rate=1e-3, ent_coef=0.01,
              clip_range=0.3, policy_kwargs=dict(net_arch=dict(pi=[32, 32], vf=[16])), seed=0)
    ppo.learn(128)
    record("ppo_cartpole", ppo, observations(ppo.observation_space, 8, 1))

    a2c = A2C("MlpPolicy", "Pendulum-v1", n_steps=8, gamma=0.9, policy_kwargs=dict(net_arch=[16, 16], log_std_init=-0.5),
              seed=0)
    a2c.learn(64)
    record("a2c_pendulum", a2c, observations(a2c.observation_space, 8, 2))

    dqn = DQN("MlpPolicy", "CartPole-v1", learning_starts=16, train_freq=4, batch_size=16, learning_rate=2e-3,
              target_update_interval=32, policy_kwargs=dict(net_arch=[16, 16], activation_fn=torch.nn.Tanh), seed=0)
    dqn.learn(96)
    record("dqn_cartpole", dqn, observations(dqn.observation_space, 8, 3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
