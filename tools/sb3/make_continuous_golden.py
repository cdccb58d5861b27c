"""Golden values for SAC's, TD3's and DDPG's gradient steps, produced by Stable-Baselines3's own train() (the oracle).

Builds each model (MlpPolicy, net_arch [16, 16]) on a small environment with 3-D observations and a 2-D action Box of
uneven bounds, feeds its train() fixed batches instead of replay samples, records the standard normal draws torch makes
(the actor's samples, gSDE's exploration matrices, TD3's target policy noise), every logged loss and alpha, and the
initial and final weights. Writes tests/Research.Plugins.OffPolicy.Tests/golden/sb3_{sac,sac_sde,td3,ddpg}_update.json.
See tools/sb3/README.md.
"""
import json
import pathlib
import gymnasium as gym
import numpy as np
import torch
import torch.distributions.normal as normal_module
from stable_baselines3 import DDPG, SAC, TD3
from stable_baselines3.common.logger import configure
from stable_baselines3.common.type_aliases import ReplayBufferSamples

torch.set_num_threads(1)
BATCH = 8
OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/Research.Plugins.OffPolicy.Tests/golden"


class BoxEnv(gym.Env):
    """Only the spaces matter: train() never steps it."""
    observation_space = gym.spaces.Box(-np.inf, np.inf, (3,), np.float32)
    action_space = gym.spaces.Box(np.array([-2.0, -1.0], np.float32), np.array([2.0, 3.0], np.float32))

    def reset(self, seed=None, options=None):
        return np.zeros(3, np.float32), {}

    def step(self, action):
        return np.zeros(3, np.float32), 0.0, False, False, {}


def arrays(named):
    return {name: {"shape": list(value.shape), "data": np.asarray(value, np.float64).ravel().tolist()} for name, value in named.items()}


def state(model):
    return {name: tensor.detach().numpy().copy() for name, tensor in model.policy.state_dict().items()}


def make_batches(rng, steps):
    batches = []
    for step in range(steps):
        scale = 20.0 if step % 3 == 2 else 1.0  # some large rewards, so the critics' errors are not all small
        batches.append(dict(
            observations=rng.normal(size=(BATCH, 3)).astype(np.float32),
            actions=rng.uniform(-1, 1, size=(BATCH, 2)).astype(np.float32),
            next_observations=rng.normal(size=(BATCH, 3)).astype(np.float32),
            dones=(rng.random(size=(BATCH, 1)) < 0.25).astype(np.float32),
            rewards=(scale * rng.normal(size=(BATCH, 1))).astype(np.float32),
        ))
    return batches


def run(model, batches, calls, normals):
    """Feeds the batches through `calls` train() calls of the given gradient steps; returns the logged values per call."""
    queue = list(batches)
    model.replay_buffer.sample = lambda batch_size, env=None: ReplayBufferSamples(
        **{key: torch.as_tensor(value) for key, value in queue.pop(0).items()})
    model.set_logger(configure(None, []))
    logged = []
    original = model.logger.record

    def record(key, value, exclude=None):
        logged[-1][key] = float(value)
        original(key, value, exclude)

    model.logger.record = record
    draw = normal_module._standard_normal

    def recording_draw(shape, dtype, device):
        eps = draw(shape, dtype=dtype, device=device)
        normals.append(eps.detach().numpy().astype(np.float64).ravel().tolist())
        return eps

    normal_module._standard_normal = recording_draw
    try:
        for gradient_steps in calls:
            logged.append({})
            model.train(gradient_steps=gradient_steps, batch_size=BATCH)
    finally:
        normal_module._standard_normal = draw
    return logged


def write(name, settings, model, initial, batches, logged, normals, extra=None):
    golden = {"settings": settings, "initial": arrays(initial), "batches": [arrays(b) for b in batches], "logged": logged,
              "normals": normals, "final": arrays(state(model))}
    golden.update(extra or {})
    path = OUT / f"sb3_{name}_update.json"
    path.write_text(json.dumps(golden))
    print(f"wrote {path} ({path.stat().st_size} bytes): {logged}")


def sac(name, calls, **kwargs):
    rng = np.random.default_rng(11)
    settings = dict(learning_rate=3e-3, gamma=0.95, tau=0.2, target_update_interval=2, batch_size=BATCH, net_arch=[16, 16])
    settings.update({k: v for k, v in kwargs.items() if k != "policy_kwargs"})
    model = SAC("MlpPolicy", BoxEnv(), learning_rate=settings["learning_rate"], gamma=settings["gamma"], tau=settings["tau"],
                target_update_interval=settings["target_update_interval"], batch_size=BATCH, seed=0,
                policy_kwargs=dict(net_arch=[16, 16], **kwargs.pop("policy_kwargs", {})), **kwargs)
    initial = state(model)
    initial_log_ent_coef = None if model.log_ent_coef is None else float(model.log_ent_coef.item())
    batches = make_batches(rng, sum(calls))
    normals = []
    logged = run(model, batches, calls, normals)
    extra = {"calls": calls, "target_entropy": float(model.target_entropy),
             "initial_log_ent_coef": initial_log_ent_coef,
             "final_log_ent_coef": None if model.log_ent_coef is None else float(model.log_ent_coef.item())}
    write(name, settings, model, initial, batches, logged, normals, extra)


def td3(name, cls, calls, **kwargs):
    rng = np.random.default_rng(13)
    settings = dict(learning_rate=3e-3, gamma=0.95, tau=0.2, batch_size=BATCH, net_arch=[16, 16], **kwargs)
    model = cls("MlpPolicy", BoxEnv(), learning_rate=settings["learning_rate"], gamma=settings["gamma"], tau=settings["tau"],
                batch_size=BATCH, seed=0, policy_kwargs=dict(net_arch=[16, 16]), **kwargs)
    initial = state(model)
    batches = make_batches(rng, sum(calls))
    normals = []
    # TD3 draws its target policy noise with Tensor.normal_, in place; record those values (scaled by sigma).
    normal_ = torch.Tensor.normal_

    def recording_normal_(self, mean=0.0, std=1.0, *args, **kw):
        result = normal_(self, mean, std, *args, **kw)
        normals.append(result.detach().numpy().astype(np.float64).ravel().tolist())
        return result

    torch.Tensor.normal_ = recording_normal_
    try:
        logged = run(model, batches, calls, [])
    finally:
        torch.Tensor.normal_ = normal_
    write(name, settings, model, initial, batches, logged, normals, {"calls": calls})


sac("sac", [3, 4, 1])
sac("sac_sde", [3, 2], use_sde=True, ent_coef=0.05, policy_kwargs=dict(log_std_init=-1.0))
td3("td3", TD3, [3, 4], policy_delay=2, target_policy_noise=0.3, target_noise_clip=0.4)
td3("ddpg", DDPG, [3, 2])
