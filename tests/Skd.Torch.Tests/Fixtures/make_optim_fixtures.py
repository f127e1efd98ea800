"""Writes optim_reference.json: parameter trajectories of torch.optim's SGD, Adam and AdamW on a
fixed small problem, learning-rate schedule values and clip_grad_norm_ results, which the tests
in Optim/ reproduce with Skd.Torch.Optim.

Run with Debian's python3-torch (1.13, the same libtorch the toolkit binds):
    /usr/bin/python3 tests/Skd.Torch.Tests/Fixtures/make_optim_fixtures.py
"""
import json
import math
import os

import torch
from torch.optim import lr_scheduler
from torch.nn.utils import clip_grad_norm_

STEPS = 5
f64 = torch.float64


def encode(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


# The problem: loss = mean((x @ w + b - y)^2) + 0.1 * sum(w^4). The tests build the same loss
# with Skd.Torch's ops; z is a parameter the loss never touches (its grad stays None).
x = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-2.0, 1.0, 0.75], [0.1, -0.3, 1.2]], dtype=f64)
y = torch.tensor([[1.0, -1.0], [0.5, 2.0], [-1.5, 0.0], [0.3, 0.7]], dtype=f64)
w0 = torch.tensor([[0.2, -0.4], [0.7, 0.1], [-0.3, 0.5]], dtype=f64)
b0 = torch.tensor([0.05, -0.1], dtype=f64)
z0 = torch.tensor([1.0, 2.0, 3.0], dtype=f64)


def loss_fn(w, b):
    return ((x @ w + b - y) ** 2).mean() + 0.1 * (w ** 4).sum()


# Each case: the optimiser, its keyword arguments, and how parameters [w, b, z] split into
# groups (None: one group holding all three).
CASES = {
    "sgd_plain": ("sgd", {"lr": 0.1}, None),
    "sgd_momentum_wd": ("sgd", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01}, None),
    "sgd_nesterov": ("sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}, None),
    "adam": ("adam", {"lr": 0.01}, None),
    "adam_wd": ("adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.05}, None),
    "adamw": ("adamw", {"lr": 0.01, "weight_decay": 0.1}, None),
    "adam_groups": ("adam", {"lr": 0.01}, [{"params": [0], "lr": 0.02}, {"params": [1, 2], "weight_decay": 0.1}]),
}
OPTIMISERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}


def run_case(kind, kwargs, groups):
    params = [t.clone().requires_grad_() for t in (w0, b0, z0)]
    spec = params if groups is None else [
        {**{k: v for k, v in g.items() if k != "params"}, "params": [params[i] for i in g["params"]]} for g in groups]
    opt = OPTIMISERS[kind](spec, foreach=False, **kwargs)
    trajectory = []
    for _ in range(STEPS):
        opt.zero_grad(set_to_none=True)
        loss_fn(params[0], params[1]).backward()
        opt.step()
        trajectory.append({"w": encode(params[0]), "b": encode(params[1])})
    assert torch.equal(params[2], z0), "z has no gradient and must not move"
    return {"optimizer": kind, "kwargs": {k: list(v) if isinstance(v, tuple) else v for k, v in kwargs.items()},
            "groups": groups, "trajectory": trajectory}


def schedule(make, steps):
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    sched = make(opt)
    values = []
    for _ in range(steps):
        values.append(sched.get_last_lr()[0])
        opt.step()
        sched.step()
    return values


def schedules():
    cosine = schedule(lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=8, eta_min=0.001), 13)
    closed = [0.001 + (0.1 - 0.001) * (1 + math.cos(math.pi * t / 8)) / 2 for t in range(13)]
    assert max(abs(a - b) for a, b in zip(cosine, closed)) < 1e-12, "recursive and closed-form cosine differ"
    return {
        "base_lr": 0.1,
        "poly": {"total_steps": 10, "power": 0.9,
                 "values": schedule(lambda o: lr_scheduler.PolynomialLR(o, total_iters=10, power=0.9), 13)},
        "cosine": {"total_steps": 8, "min_lr": 0.001, "values": cosine},
        "step": {"step_size": 3, "gamma": 0.5,
                 "values": schedule(lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5), 11)},
        "linear_warmup": {"warmup_steps": 4, "start_factor": 0.1,
                          "values": schedule(lambda o: lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=4), 9)},
    }


def clip_cases():
    g1 = torch.tensor([[0.5, -1.5], [2.0, 0.25], [-0.75, 1.0]], dtype=f64)
    g2 = torch.tensor([3.0, -0.5, 0.1, -2.5], dtype=f64)
    cases = []
    for max_norm, norm_type in [(1.0, 2.0), (0.5, math.inf), (100.0, 1.0), (2.0, 3.0)]:
        params = [torch.zeros(3, 2, dtype=f64, requires_grad=True), torch.zeros(4, dtype=f64, requires_grad=True),
                  torch.zeros(2, dtype=f64, requires_grad=True)]  # the last has no grad
        params[0].grad, params[1].grad = g1.clone(), g2.clone()
        total = clip_grad_norm_(params, max_norm, norm_type)
        cases.append({"max_norm": max_norm, "norm_type": "inf" if math.isinf(norm_type) else norm_type,
                      "total_norm": total.item(), "grads": [encode(params[0].grad), encode(params[1].grad)]})
    return {"grads": [encode(g1), encode(g2)], "cases": cases}


def main():
    fixture = {
        "torch_version": torch.__version__,
        "problem": {"x": encode(x), "y": encode(y), "w": encode(w0), "b": encode(b0), "z": encode(z0)},
        "optimizers": {name: run_case(*case) for name, case in CASES.items()},
        "schedules": schedules(),
        "clip_grad_norm": clip_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_reference.json")
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
