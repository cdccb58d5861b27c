#!/usr/bin/python3
"""Times in PyTorch (one thread) the same work as tests/Research.Benchmarks/Tensors, for the README's ratio column.

Run: /usr/bin/python3 tools/bench/torch_bench.py   (Debian's python3-torch; CPU only)
"""
import time

import torch

torch.set_num_threads(1)
torch.manual_seed(1)


def timed(fn, repeat, warmup=None):
    for _ in range(warmup if warmup is not None else max(1, repeat // 10)):
        fn()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - start) / repeat)
    return best


def report(name, seconds):
    if seconds >= 1e-3:
        print(f"{name}: {seconds * 1e3:.3f} ms")
    else:
        print(f"{name}: {seconds * 1e6:.2f} us")


for n, repeat in [(256, 200), (1024, 5)]:
    a, b = torch.randn(n, n), torch.randn(n, n)
    report(f"matmul {n} one thread", timed(lambda: a @ b, repeat))

mlp = torch.nn.Sequential(torch.nn.Linear(4, 64), torch.nn.Tanh(), torch.nn.Linear(64, 64), torch.nn.Tanh(), torch.nn.Linear(64, 2))
obs = torch.tensor([[0.01, -0.02, 0.03, 0.04]])


def forward_one():
    with torch.no_grad():
        return mlp(obs)


report("mlp forward one observation", timed(forward_one, 20000))

adam = torch.optim.Adam(mlp.parameters(), lr=3e-4, eps=1e-5)
batch, target = torch.randn(64, 4), torch.randn(64, 2)


def train_step():
    adam.zero_grad()
    loss = torch.nn.functional.mse_loss(mlp(batch), target)
    loss.backward()
    adam.step()


report("mlp train step batch 64", timed(train_step, 2000))

conv = torch.nn.Conv2d(4, 32, 8, stride=4)
images = torch.rand(32, 4, 84, 84)


def conv_step():
    conv.zero_grad()
    torch.relu(conv(images)).sum().backward()


report("conv2d nature-cnn layer 1 forward+backward", timed(conv_step, 10))
