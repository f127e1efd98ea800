"""PyTorch side of bench/run.sh: the same work as bench/Skd.Bench, timed the same way.

--suite ops:  (a) per-call overhead: 10,000 adds of two 4-element float32 tensors;
              (b) one training step (forward, cross-entropy, backward, SGD with momentum) of the small conv
              net of Skd.Bench, batch 8 of 1x128x128.
--suite unet: milesial's U-Net (batch norm, transposed-conv upsampling) of width W and depth D in both memory
              formats, in alternating rounds: training (0.5 CE + 0.5 soft Dice over every class with squared
              denominators, smooth 1e-5, as skd's supervised method; Adam 1e-3) in images per second, and
              eval-mode inference of one 1 x I x I image under torch.inference_mode, in seconds (medians);
              --device cuda: on the GPU, each timing ending when the GPU has done the work (a scalar read back).
Prints one JSON object. Run with Debian's python3-torch: /usr/bin/python3 torch_bench.py --threads N
"""
import argparse
import json
import statistics
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


class DoubleConv(nn.Sequential):
    def __init__(self, cin, cout):
        super().__init__(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    """milesial/Pytorch-UNet with width w and depth d, as src/Skd/Models/UNet.cs."""

    def __init__(self, cin, classes, width, depth):
        super().__init__()
        ch = [width * 2 ** i for i in range(depth + 1)]
        self.inc = DoubleConv(cin, ch[0])
        self.downs = nn.ModuleList(nn.Sequential(nn.MaxPool2d(2), DoubleConv(ch[i], ch[i + 1])) for i in range(depth))
        self.ups = nn.ModuleList(nn.ConvTranspose2d(ch[i + 1], ch[i], 2, stride=2) for i in reversed(range(depth)))
        self.convs = nn.ModuleList(DoubleConv(ch[i + 1], ch[i]) for i in reversed(range(depth)))
        self.outc = nn.Conv2d(width, classes, 1)

    def forward(self, x):
        skips = [self.inc(x)]
        for down in self.downs:
            skips.append(down(skips[-1]))
        x = skips.pop()
        for up, conv in zip(self.ups, self.convs):
            x = conv(torch.cat([skips.pop(), up(x)], 1))
        return self.outc(x)


def dice_loss(logits, target, smooth=1e-5):
    p = logits.softmax(1)
    onehot = F.one_hot(target, p.shape[1]).permute(0, 3, 1, 2).to(p.dtype)
    dims = (0, 2, 3)
    intersection = (p * onehot).sum(dims)
    denominator = (p * p).sum(dims) + (onehot * onehot).sum(dims)
    return 1 - ((2 * intersection + smooth) / (denominator + smooth)).mean()


def wait_for(result):
    """Returns when result is computed: a scalar of it read back (on a GPU, after every queued kernel), as Skd.Bench does."""
    result.flatten()[0].item()


def unet_suite(args):
    formats = {"contiguous": torch.contiguous_format, "channels_last": torch.channels_last}
    device = torch.device(args.device)
    images = torch.randn(args.batch, 1, args.size, args.size).to(device)
    labels = (images[:, 0] > 0.5).long()
    image = torch.randn(1, 1, args.infer_size, args.infer_size).to(device)
    trainers, engines = {}, {}
    for name, fmt in formats.items():
        torch.manual_seed(0)
        net = UNet(1, 2, args.width, args.depth).to(device, memory_format=fmt)
        trainers[name] = (net, torch.optim.Adam(net.parameters(), lr=1e-3))
        torch.manual_seed(2)
        engines[name] = UNet(1, 2, args.width, args.depth).to(device, memory_format=fmt).eval()

    def step(name):
        net, opt = trainers[name]
        opt.zero_grad(set_to_none=True)
        x = images.contiguous(memory_format=formats[name])
        logits = net(x)
        loss = 0.5 * F.cross_entropy(logits, labels) + 0.5 * dice_loss(logits, labels)
        loss.backward()
        opt.step()
        wait_for(next(net.parameters()))

    def infer(name):
        with torch.inference_mode():
            wait_for(engines[name](image.contiguous(memory_format=formats[name])))

    def timed(fn):
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    steps = {name: [] for name in formats}
    latency = {name: [] for name in formats}
    for name in formats:
        for _ in range(2):
            step(name)
        infer(name)
    for _ in range(args.rounds):
        for name in formats:
            steps[name] += [timed(lambda: step(name)) for _ in range(args.steps)]
            latency[name] += [timed(lambda: infer(name)) for _ in range(args.infer_repeats)]
    return {"impl": "pytorch " + torch.__version__, "threads": torch.get_num_threads(), "device": str(device),
            "train_img_s": {n: args.batch / statistics.median(t) for n, t in steps.items()},
            "infer_s": {n: statistics.median(t) for n, t in latency.items()}}


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
    parser.add_argument("--suite", choices=["ops", "unet"], default="ops")
    parser.add_argument("--steps", type=int, default=None, help="ops: timed steps (20); unet: steps per round (5)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--width", type=int, default=16)
    parser.add_argument("--depth", type=int, default=4)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--infer-size", type=int, default=512)
    parser.add_argument("--infer-repeats", type=int, default=5)
    parser.add_argument("--device", default="cpu", help="unet: cpu or cuda")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.suite == "unet":
        args.steps = args.steps or 5
        print(json.dumps(unet_suite(args)))
        return
    args.steps = args.steps or 20

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
