"""Golden values for DQN's gradient step, produced by Stable-Baselines3's own DQN.train (the oracle).

Builds SB3's DQN (MlpPolicy, net_arch [16, 16]) on CartPole-v1, feeds its train() fixed batches instead of replay
samples, moves the target network between two train() calls through SB3's _on_step (Polyak, tau 0.3), and records
the initial weights, the batches, every loss and the final weights of both networks.
Writes tests/Research.Plugins.OffPolicy.Tests/golden/sb3_dqn_update.json. See tools/sb3/README.md.
"""
import json
import pathlib
import numpy as np
import torch
from stable_baselines3 import DQN
from stable_baselines3.common.logger import configure
from stable_baselines3.common.type_aliases import ReplayBufferSamples

torch.set_num_threads(1)
# max_grad_norm below the typical norm here (~0.4-0.7), so most steps are clipped.
BATCH, STEPS_BEFORE, STEPS_AFTER, TAU, MAX_GRAD_NORM = 8, 10, 10, 0.3, 0.5
rng = np.random.default_rng(7)

model = DQN("MlpPolicy", "CartPole-v1", learning_rate=2.3e-3, batch_size=BATCH, gamma=0.99, max_grad_norm=MAX_GRAD_NORM,
            policy_kwargs=dict(net_arch=[16, 16]), seed=0)


def state(module_prefix):
    return {name: tensor.detach().numpy().copy() for name, tensor in model.policy.state_dict().items() if name.startswith(module_prefix)}


def make_batch(step):
    # Large rewards on some steps push errors past Huber's quadratic zone.
    scale = 40.0 if step % 4 == 3 else 1.0
    return dict(
        observations=rng.normal(size=(BATCH, 4)).astype(np.float32),
        actions=rng.integers(0, 2, size=(BATCH, 1)).astype(np.float32),
        next_observations=rng.normal(size=(BATCH, 4)).astype(np.float32),
        dones=(rng.random(size=(BATCH, 1)) < 0.25).astype(np.float32),
        rewards=(scale * rng.normal(size=(BATCH, 1))).astype(np.float32),
    )


batches = [make_batch(k) for k in range(STEPS_BEFORE + STEPS_AFTER)]
queue = list(batches)
model.replay_buffer.sample = lambda batch_size, env=None: ReplayBufferSamples(
    **{key: torch.as_tensor(value) for key, value in queue.pop(0).items()})

initial = state("q_net.")
model.set_logger(configure(None, []))
losses = []
original_record = model.logger.record


def record(key, value, exclude=None):
    if key == "train/loss":
        losses.append(float(value))
    original_record(key, value, exclude)


model.logger.record = record
norms = []
clip = torch.nn.utils.clip_grad_norm_


def recording_clip(parameters, max_norm):
    norms.append(float(clip(parameters, max_norm)))
    return norms[-1]


torch.nn.utils.clip_grad_norm_ = recording_clip
per_step = []
for step in range(STEPS_BEFORE + STEPS_AFTER):
    if step == STEPS_BEFORE:
        model.tau, model.target_update_interval, model._n_calls = TAU, 1, 0
        model._on_step()
    model.train(gradient_steps=1, batch_size=BATCH)
    per_step.append(losses[-1])


def arrays(named):
    return {name: {"shape": list(value.shape), "data": value.astype(np.float64).ravel().tolist()} for name, value in named.items()}


golden = {
    "settings": {"batch_size": BATCH, "learning_rate": 2.3e-3, "gamma": 0.99, "max_grad_norm": MAX_GRAD_NORM, "net_arch": [16, 16],
                 "steps_before_target_update": STEPS_BEFORE, "steps_after_target_update": STEPS_AFTER, "tau": TAU},
    "initial_q_net": arrays(initial),
    "batches": [arrays(batch) for batch in batches],
    "losses": per_step,
    "grad_norms_before_clipping": norms,
    "final": arrays(state("q_net.") | state("q_net_target.")),
}
out = pathlib.Path(__file__).resolve().parents[2] / "tests/Research.Plugins.OffPolicy.Tests/golden/sb3_dqn_update.json"
out.write_text(json.dumps(golden))
print(f"wrote {out} ({out.stat().st_size} bytes); losses {per_step}")
