"""PyTorch side of bench/run.sh: the same work as bench/Skd.Bench, timed the same way.

(a) per-call overhead: 10,000 adds of two 4-element float32 tensors;
(b) one training step (forward, cross-entropy, backward, SGD with momentum) of the small conv net
    of Skd.Bench, batch 8 of 1x128x128.
Prints one JSON object. Run with Debian's python3-torch: /usr/bin/python3 torch_bench.py --threads N
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def small_conv_net():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
        nn.ConvTranspose2d(32, 16, 2, stride=2), nn.ReLU(),
        nn.Conv2d(16, 2, 1))


def median_seconds(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    a, b = torch.rand(4), torch.rand(4)

    def adds():
        for _ in range(10000):
            a + b

    adds()
    add_us = median_seconds(adds, 7) / 10000 * 1e6

    net = small_conv_net()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    x = torch.randn(8, 1, 128, 128)
    y = (x[:, 0] > 0.5).long()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    step_ms = median_seconds(step, args.steps) * 1e3
    print(json.dumps({"impl": "pytorch " + torch.__version__, "threads": torch.get_num_threads(),
                      "add_us": add_us, "train_step_ms": step_ms}))


if __name__ == "__main__":
    main()
