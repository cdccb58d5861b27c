#!/usr/bin/python3
"""Writes Stable-Baselines3's gSDE values (StateDependentNoiseDistribution) that the C# tests compare against
(tests/Research.Rl.Tests/Policies/golden/gsde.json).

Runs SB3 v2.4.1 itself as the oracle (PYTHONPATH=/work/oracle/sb3:/work/oracle/gym) on Debian's torch 1.13.
The tests read the committed JSON and never need Python. Each entry is {"shape": [...], "data": [... row-major ...]}.
For every case (full_std true/false × use_expln true/false, learn_features as SB3's PPO: false) it records the
inputs (mean, log_std, latent, actions, exploration matrices), std (get_std), log_prob, entropy, the noise for a
batch (one matrix per row) and for one row (the single matrix), and the gradients of
sum(log_prob) + 0.5 * sum(entropy) with respect to mean and log_std; one extra case with learn_features=True
records the gradient with respect to the latent features.
"""
import json
import os

import torch
from stable_baselines3.common.distributions import StateDependentNoiseDistribution

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Research.Rl.Tests", "Policies", "golden")
torch.set_default_dtype(torch.float32)
BATCH, LATENT, ACTIONS = 3, 4, 2


def entry(t):
    t = torch.as_tensor(t).detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def case(prefix, full_std, use_expln, learn_features, seed):
    torch.manual_seed(seed)
    dist = StateDependentNoiseDistribution(ACTIONS, full_std=full_std, use_expln=use_expln, learn_features=learn_features)
    _, log_std = dist.proba_distribution_net(latent_dim=LATENT, log_std_init=0.0)
    with torch.no_grad():
        # Values on both sides of 0, so use_expln exercises both of its branches.
        log_std.copy_(torch.randn(log_std.shape) * 0.8)
    mean = torch.randn(BATCH, ACTIONS, requires_grad=True)
    latent = torch.randn(BATCH, LATENT, requires_grad=True)
    actions = torch.randn(BATCH, ACTIONS)
    dist.sample_weights(log_std, batch_size=BATCH)
    dist.proba_distribution(mean, log_std, latent)
    log_prob = dist.log_prob(actions)
    entropy = dist.entropy()
    (log_prob.sum() + 0.5 * entropy.sum()).backward()
    values = {
        "mean": mean, "log_std": log_std, "latent": latent, "actions": actions,
        "exploration_mat": dist.exploration_mat, "exploration_matrices": dist.exploration_matrices,
        "std": dist.get_std(log_std), "log_prob": log_prob, "entropy": entropy,
        "noise_batch": dist.get_noise(latent), "noise_single": dist.get_noise(latent[:1]),
        "mean.grad": mean.grad, "log_std.grad": log_std.grad,
    }
    if learn_features:
        values["latent.grad"] = latent.grad
    return {f"{prefix}.{k}": entry(v) for k, v in values.items()}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    golden = {}
    seed = 10
    for full_std in (True, False):
        for use_expln in (False, True):
            golden.update(case(f"full_std={full_std},use_expln={use_expln}", full_std, use_expln, False, seed))
            seed += 1
    golden.update(case("learn_features", True, True, True, seed))
    with open(os.path.join(OUT, "gsde.json"), "w") as f:
        json.dump(golden, f)
    print("wrote", os.path.abspath(os.path.join(OUT, "gsde.json")), "with torch", torch.__version__)
