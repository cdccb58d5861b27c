#!/usr/bin/python3
"""Writes the PyTorch oracle values the C# tests compare against (tests/Research.Tensors.Tests/golden/*.json).

PyTorch is an oracle only: run this when the expected behaviour changes, commit the JSON, and the tests never need Python.
Each file maps a name to {"shape": [...], "data": [... row-major float ...]}.
"""
import json
import math
import os

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "Research.Tensors.Tests", "golden")
torch.set_default_dtype(torch.float32)


def entry(t):
    t = torch.as_tensor(t).detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def write(name, values):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump({k: entry(v) for k, v in values.items()}, f)


def mlp():
    torch.manual_seed(1)
    net = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(), torch.nn.Linear(64, 2))
    x = torch.randn(5, 4, requires_grad=True)
    upstream = torch.randn(5, 2)
    out = net(x)
    (out * upstream).sum().backward()
    values = {"input": x, "upstream": upstream, "output": out, "input.grad": x.grad}
    for name, p in net.named_parameters():
        values[name] = p
        values[name + ".grad"] = p.grad
    write("mlp.json", values)


def distributions():
    torch.manual_seed(2)
    logits = torch.randn(4, 3, requires_grad=True)
    actions = torch.tensor([0.0, 2.0, 1.0, 2.0])
    cat = torch.distributions.Categorical(logits=logits)
    log_softmax = torch.log_softmax(logits, dim=1)
    cat_logp = cat.log_prob(actions.long())
    cat_entropy = cat.entropy()
    (cat_logp.sum() + 0.5 * cat_entropy.sum()).backward()

    mean = torch.randn(4, 2, requires_grad=True)
    log_std = torch.tensor([-0.3, 0.4], requires_grad=True)
    gauss_actions = torch.randn(4, 2)
    normal = torch.distributions.Normal(mean, log_std.exp())
    gauss_logp = normal.log_prob(gauss_actions).sum(dim=1)
    gauss_entropy = normal.entropy().sum(dim=1)
    (gauss_logp.sum() + 0.5 * gauss_entropy.sum()).backward()

    # SB3's SquashedDiagGaussianDistribution.log_prob: atanh with float32-eps clipping, then the tanh log-det with 1e-6.
    smean = torch.randn(4, 2, requires_grad=True)
    slog_std = torch.tensor([0.2, -0.5], requires_grad=True)
    squashed_actions = torch.tanh(torch.randn(4, 2))
    eps = torch.finfo(torch.float32).eps
    clipped = squashed_actions.clamp(min=-1.0 + eps, max=1.0 - eps)
    pre_tanh = 0.5 * (clipped.log1p() - (-clipped).log1p())
    snormal = torch.distributions.Normal(smean, slog_std.exp())
    squashed_logp = snormal.log_prob(pre_tanh).sum(dim=1) - torch.log(1 - squashed_actions ** 2 + 1e-6).sum(dim=1)
    squashed_logp.sum().backward()

    blogits = torch.randn(4, 3, requires_grad=True)
    bactions = torch.tensor([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
    bern = torch.distributions.Bernoulli(logits=blogits)
    bern_logp = bern.log_prob(bactions).sum(dim=1)
    bern_entropy = bern.entropy().sum(dim=1)
    (bern_logp.sum() + 0.5 * bern_entropy.sum()).backward()

    write("distributions.json", {
        "categorical.logits": logits, "categorical.actions": actions, "categorical.log_softmax": log_softmax,
        "categorical.log_prob": cat_logp, "categorical.entropy": cat_entropy, "categorical.logits.grad": logits.grad,
        "gaussian.mean": mean, "gaussian.log_std": log_std, "gaussian.actions": gauss_actions,
        "gaussian.log_prob": gauss_logp, "gaussian.entropy": gauss_entropy,
        "gaussian.mean.grad": mean.grad, "gaussian.log_std.grad": log_std.grad,
        "squashed.mean": smean, "squashed.log_std": slog_std, "squashed.actions": squashed_actions,
        "squashed.log_prob": squashed_logp, "squashed.mean.grad": smean.grad, "squashed.log_std.grad": slog_std.grad,
        "bernoulli.logits": blogits, "bernoulli.actions": bactions, "bernoulli.log_prob": bern_logp,
        "bernoulli.entropy": bern_entropy, "bernoulli.logits.grad": blogits.grad,
    })


def conv():
    torch.manual_seed(3)
    x = torch.randn(2, 3, 7, 7, requires_grad=True)
    w = torch.randn(4, 3, 3, 3, requires_grad=True)
    b = torch.randn(4, requires_grad=True)
    out = torch.nn.functional.conv2d(x, w, b, stride=2, padding=1)
    upstream = torch.randn(*out.shape)
    (out * upstream).sum().backward()
    pool_in = torch.randn(2, 2, 6, 6, requires_grad=True)
    pooled = torch.nn.functional.max_pool2d(pool_in, 2, 2)
    pool_up = torch.randn(*pooled.shape)
    (pooled * pool_up).sum().backward()
    write("conv2d.json", {
        "input": x, "weight": w, "bias": b, "output": out, "upstream": upstream,
        "input.grad": x.grad, "weight.grad": w.grad, "bias.grad": b.grad,
        "pool.input": pool_in, "pool.output": pooled, "pool.upstream": pool_up, "pool.input.grad": pool_in.grad,
    })


def rmsprop_tf_like_steps(p, a, b, lr, alpha, eps, momentum, centered, steps):
    """SB3's RMSpropTFLike update, written out with torch ops: eps inside the sqrt, square_avg starting at ones."""
    p = p.clone()
    square_avg = torch.ones_like(p)
    grad_avg = torch.zeros_like(p)
    buf = torch.zeros_like(p)
    history = []
    for _ in range(steps):
        grad = 2 * a * p + b
        square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        if centered:
            grad_avg.mul_(alpha).add_(grad, alpha=1 - alpha)
            avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).add_(eps).sqrt_()
        else:
            avg = square_avg.add(eps).sqrt_()
        if momentum > 0:
            buf.mul_(momentum).addcdiv_(grad, avg)
            p.add_(buf, alpha=-lr)
        else:
            p.addcdiv_(grad, avg, value=-lr)
        history.append(p.clone())
    return torch.stack(history)


def optimizers():
    torch.manual_seed(4)
    p0 = torch.randn(10)
    a = torch.rand(10) + 0.5
    b = torch.randn(10)

    def run(make):
        p = p0.clone().requires_grad_(True)
        opt = make([p])
        history = []
        for _ in range(10):
            opt.zero_grad()
            (a * p * p + b * p).sum().backward()
            opt.step()
            history.append(p.detach().clone())
        return torch.stack(history)

    write("optimizers.json", {
        "start": p0, "a": a, "b": b,
        "adam": run(lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-5)),
        "adam_weight_decay": run(lambda ps: torch.optim.Adam(ps, lr=0.01, eps=1e-8, weight_decay=0.1)),
        "rmsprop": run(lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.99, eps=1e-8)),
        "rmsprop_centered_momentum": run(lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, eps=1e-8, momentum=0.9, centered=True)),
        "sgd_momentum": run(lambda ps: torch.optim.SGD(ps, lr=0.01, momentum=0.9)),
        "rmsprop_tf_like": rmsprop_tf_like_steps(p0, a, b, lr=0.01, alpha=0.99, eps=1e-5, momentum=0.0, centered=False, steps=10),
        "rmsprop_tf_like_centered_momentum": rmsprop_tf_like_steps(p0, a, b, lr=0.01, alpha=0.9, eps=1e-5, momentum=0.9, centered=True, steps=10),
    })


def orthogonal():
    values = {}
    for name, (rows, cols), gain, seed in [("tall", (6, 4), 1.0, 5), ("wide", (3, 5), math.sqrt(2), 6)]:
        torch.manual_seed(seed)
        normal = torch.empty(rows, cols).normal_(0, 1)
        torch.manual_seed(seed)
        w = torch.nn.init.orthogonal_(torch.empty(rows, cols), gain=gain)
        values[name + ".normal"] = normal
        values[name + ".result"] = w
        values[name + ".gain"] = torch.tensor([gain])
    write("orthogonal.json", values)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    mlp()
    distributions()
    conv()
    optimizers()
    orthogonal()
    print("wrote golden files to", os.path.abspath(OUT), "with torch", torch.__version__)
