"""PyTorch side of bench/run.sh's predict latency: the U-Net of bench/Skd.PredictBench (milesial's, as
tests/Skd.Tests/Fixtures/make_unet_fixture.py builds it, the same modules as Skd.Models.UNet), eval mode,
torch.no_grad(), one forward pass of a batch of standard-normal images, timed as Skd.PredictBench times it
(one warm-up, then the median of --rounds passes). Prints one JSON object.
Run with Debian's python3-torch: /usr/bin/python3 predict_bench.py --threads N
"""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Skd.Tests", "Fixtures"))
from make_unet_fixture import UNet  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--size", type=int, default=512)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net = UNet(1, 2, args.width, args.depth).eval()
    x = torch.randn(args.batch, 1, args.size, args.size)
    times = []
    with torch.no_grad():
        net(x)
        for _ in range(args.rounds):
            start = time.perf_counter()
            net(x)
            times.append((time.perf_counter() - start) * 1e3)
    times.sort()
    print(json.dumps({"impl": "pytorch " + torch.__version__, "threads": torch.get_num_threads(),
                      "model": f"U-Net width {args.width}, depth {args.depth}", "input": f"{args.batch}x1x{args.size}x{args.size}",
                      "predict_ms": round(times[len(times) // 2], 1)}))


if __name__ == "__main__":
    main()
