"""Writes small expert archives with NumPy, in Stable-Baselines' generate_expert_traj layout, for the C# ExpertDataset tests.

Run with Debian's NumPy:  /usr/bin/python3 tools/npy/make_expert_fixture.py
Output: tests/Research.Rl.Tests/Imitation/fixtures/*.npz and numpy_expert_values.json (the same values as plain
lists, so the tests compare against what NumPy wrote rather than against numbers typed into the test).
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Research.Rl.Tests", "Imitation", "fixtures")
LENGTHS = [5, 4, 6]  # three episodes, 15 transitions


def layout(rng, obs_size, discrete):
    n = sum(LENGTHS)
    obs = rng.uniform(-0.2, 0.2, size=(n, obs_size))
    starts = np.zeros(n, dtype=bool)
    starts[np.cumsum([0] + LENGTHS[:-1])] = True
    if discrete:
        actions = rng.integers(0, 2, size=(n, 1))
        rewards = np.ones(n)
    else:
        actions = rng.uniform(-2, 2, size=(n, 1)).astype(np.float32)
        rewards = -rng.uniform(0, 1, size=n)
    returns = np.array([rewards[s:s + l].sum() for s, l in zip(np.cumsum([0] + LENGTHS[:-1]), LENGTHS)])
    return obs, actions, rewards, returns, starts


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(0)
    values = {}

    obs, actions, rewards, returns, starts = layout(rng, 4, discrete=True)
    obs = obs.astype(np.float32)
    # What generate_expert_traj writes for CartPole: float32 obs, int64 (N, 1) actions, float64 rewards, bool starts.
    np.savez(os.path.join(OUT, "numpy_cartpole.npz"), actions=actions.astype(np.int64), obs=obs, rewards=rewards,
             episode_returns=returns, episode_starts=starts)
    values["numpy_cartpole"] = dict(obs=obs.ravel().tolist(), actions=actions.ravel().tolist(),
                                    episode_returns=returns.tolist(), episode_starts=starts.tolist())

    # Other dtypes NumPy users write: float64 obs, int32 (N,) actions, float episode_starts, compressed.
    np.savez_compressed(os.path.join(OUT, "numpy_cartpole_compressed.npz"), actions=actions.ravel().astype(np.int32),
                        obs=obs.astype(np.float64), rewards=rewards, episode_returns=returns,
                        episode_starts=starts.astype(np.float64))

    obs, actions, rewards, returns, starts = layout(rng, 3, discrete=False)
    obs = obs.astype(np.float32)
    np.savez(os.path.join(OUT, "numpy_pendulum.npz"), actions=actions, obs=obs, rewards=rewards,
             episode_returns=returns, episode_starts=starts)
    values["numpy_pendulum"] = dict(obs=obs.ravel().tolist(), actions=actions.astype(np.float64).ravel().tolist(),
                                    episode_returns=returns.tolist(), episode_starts=starts.tolist())

    with open(os.path.join(OUT, "numpy_expert_values.json"), "w") as f:
        json.dump(values, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
