"""Writes convnet_reference.json: a small conv net's initial weights, forward output, loss and
gradients computed by PyTorch, which ConvNetParityTests reproduces with Skd.Torch.

Run with Debian's python3-torch (1.13, the same libtorch the toolkit binds):
    /usr/bin/python3 tests/Skd.Torch.Tests/Fixtures/make_convnet_fixture.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


class FixtureNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 8, 3, padding=1, bias=False)
        self.gn = nn.GroupNorm(2, 8)
        self.up = nn.ConvTranspose2d(8, 4, 2, stride=2)
        self.head = nn.Conv2d(4, 3, 1)

    def forward(self, x, theta):
        grid = F.affine_grid(theta, list(x.shape), align_corners=False)
        x = F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
        h = F.relu(self.bn1(self.conv1(x)))
        h = F.max_pool2d(h, 2)
        h = F.leaky_relu(self.gn(self.conv2(h)), 0.1)
        h = self.up(h)
        h = h + F.interpolate(F.avg_pool2d(h, 2), scale_factor=2.0, mode="bilinear", align_corners=False)
        return self.head(h)


def loss_terms(logits, y, class_weight, soft_target):
    ce = F.cross_entropy(logits, y, weight=class_weight)
    kl = F.kl_div(F.log_softmax(logits / 2.0, dim=1), soft_target, reduction="batchmean") * 4.0
    bce = F.binary_cross_entropy_with_logits(logits[:, 1], (y == 1).float())
    mse = F.mse_loss(torch.softmax(logits, dim=1), F.one_hot(y, 3).permute(0, 3, 1, 2).float())
    return ce, kl, bce, mse


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def main():
    torch.manual_seed(0)
    net = FixtureNet()
    initial = {k: flat(v) for k, v in net.state_dict().items()}

    torch.manual_seed(1)
    x = torch.randn(2, 1, 8, 8)
    y = torch.randint(0, 3, (2, 8, 8))
    theta = torch.tensor([[[0.9, -0.2, 0.05], [0.2, 0.9, -0.1]], [[1.0, 0.0, 0.0], [0.0, -1.0, 0.0]]])
    class_weight = torch.tensor([0.2, 1.0, 2.0])
    soft_target = torch.softmax(torch.randn(2, 3, 8, 8), dim=1)

    logits = net(x, theta)
    ce, kl, bce, mse = loss_terms(logits, y, class_weight, soft_target)
    loss = ce + kl + bce + mse
    loss.backward()

    out = {
        "initial_state": initial,
        "x": flat(x),
        "y": {"shape": list(y.shape), "data": [int(v) for v in y.reshape(-1).tolist()]},
        "theta": flat(theta),
        "class_weight": flat(class_weight),
        "soft_target": flat(soft_target),
        "logits": flat(logits),
        "losses": {"ce": ce.item(), "kl": kl.item(), "bce": bce.item(), "mse": mse.item(), "total": loss.item()},
        "grads": {k: flat(p.grad) for k, p in net.named_parameters()},
        "state_after": {k: flat(v) for k, v in net.state_dict().items() if "running" in k or "num_batches" in k},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "convnet_reference.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path, "torch", torch.__version__)


if __name__ == "__main__":
    main()
