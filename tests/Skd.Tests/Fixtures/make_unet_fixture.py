"""Writes unet_reference.json for the U-Net tests: parameter counts, state-dict keys, MACs counted
by forward hooks on the running model, and the logits of a tiny U-Net built after
torch.manual_seed(0), in train and then eval mode (running statistics updated by the train pass).

The U-Net is milesial/Pytorch-UNet's (transposed-conv upsampling, bilinear=False) with the width
and depth as parameters, registering its modules in the same order as Skd.Models.UNet, so that
the same seed gives the same initial weights. Sizes divisible by 2**depth only, so Up needs no
padding.

Run with Debian's python3-torch (1.13, the same libtorch the toolkit binds):
    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_unet_fixture.py
"""
import json
import os

import torch
import torch.nn as nn


class DoubleConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True),
        )

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(in_channels, out_channels))

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
        self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x, skip):
        return self.conv(torch.cat([skip, self.up(x)], dim=1))


class OutConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


class UNet(nn.Module):
    def __init__(self, in_channels, classes, width=64, depth=4):
        super().__init__()
        self.depth = depth
        self.inc = DoubleConv(in_channels, width)
        for i in range(1, depth + 1):
            setattr(self, f"down{i}", Down(width << (i - 1), width << i))
        for i in range(1, depth + 1):
            setattr(self, f"up{i}", Up(width << (depth - i + 1), width << (depth - i)))
        self.outc = OutConv(width, classes)

    def forward(self, x):
        encoder = [self.inc(x)]
        for i in range(1, self.depth + 1):
            encoder.append(getattr(self, f"down{i}")(encoder[-1]))
        h = encoder[-1]
        for i in range(1, self.depth + 1):
            h = getattr(self, f"up{i}")(h, encoder[-1 - i])
        return self.outc(h)


def count_macs(net, x):
    """Runs the net and counts conv MACs from each layer's real input and output shapes:
    Conv2d at every output position, ConvTranspose2d at every input position (fvcore's rule).
    Returns {top-level stage name: MACs}."""
    macs = {}

    def hook(name):
        def count(module, inputs, output):
            k = module.kernel_size[0] * module.kernel_size[1]
            per_position = module.in_channels * module.out_channels * k // module.groups
            positions = inputs[0][0, 0].numel() if isinstance(module, nn.ConvTranspose2d) else output[0, 0].numel()
            stage = name.split(".")[0]
            macs[stage] = macs.get(stage, 0) + per_position * positions
        return count

    handles = [m.register_forward_hook(hook(n)) for n, m in net.named_modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d))]
    with torch.no_grad():
        net(x)
    for h in handles:
        h.remove()
    return macs


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def parameter_count(net):
    return sum(p.numel() for p in net.parameters())


def main():
    w16 = UNet(1, 2, width=16)
    w64 = UNet(1, 2, width=64)
    profiles = []
    for config, size in [((1, 2, 16, 4), 64), ((3, 5, 8, 3), 32), ((1, 3, 4, 2), 16)]:
        net = UNet(*config).eval()
        profiles.append({
            "in_channels": config[0], "classes": config[1], "width": config[2], "depth": config[3], "size": size,
            "parameters": parameter_count(net),
            "macs": count_macs(net, torch.zeros(1, config[0], size, size)),
        })

    torch.manual_seed(0)
    tiny = UNet(1, 3, width=4, depth=2)
    torch.manual_seed(1)
    x = torch.randn(1, 1, 16, 16)
    tiny.train()
    logits_train = tiny(x)
    tiny.eval()
    with torch.no_grad():
        logits_eval = tiny(x)

    out = {
        "parameters_w16": parameter_count(w16),
        "parameters_w64": parameter_count(w64),
        "keys_w16": list(w16.state_dict().keys()),
        "profiles": profiles,
        "tiny": {
            "in_channels": 1, "classes": 3, "width": 4, "depth": 2,
            "x": flat(x),
            "logits_train": flat(logits_train),
            "logits_eval": flat(logits_eval),
        },
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "unet_reference.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path, "torch", torch.__version__, "parameters w16", out["parameters_w16"], "w64", out["parameters_w64"])


if __name__ == "__main__":
    main()
