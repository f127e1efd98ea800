"""Writes loss_reference.json: the shared losses computed by PyTorch and by TransUNet's DiceLoss
(re-implemented below from its utils.py), for LossTests.

    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_loss_fixtures.py
"""
import json
import os

import torch
import torch.nn.functional as F


class TransUNetDiceLoss(torch.nn.Module):
    """TransUNet utils.DiceLoss (Chen et al. 2021), as published: softmax, one-hot, per-class
    1 - (2*intersect + smooth) / (z_sum + y_sum + smooth) with z_sum = sum(score^2),
    y_sum = sum(target^2), smooth = 1e-5, averaged over all classes including background."""

    def __init__(self, n_classes):
        super().__init__()
        self.n_classes = n_classes

    def _dice_loss(self, score, target):
        target = target.float()
        smooth = 1e-5
        intersect = torch.sum(score * target)
        y_sum = torch.sum(target * target)
        z_sum = torch.sum(score * score)
        return 1 - (2 * intersect + smooth) / (z_sum + y_sum + smooth)

    def forward(self, inputs, target):
        inputs = torch.softmax(inputs, dim=1)
        target = F.one_hot(target, self.n_classes).permute(0, 3, 1, 2)
        loss = 0.0
        for i in range(self.n_classes):
            loss += self._dice_loss(inputs[:, i], target[:, i])
        return loss / self.n_classes


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def main():
    torch.manual_seed(0)
    logits = torch.randn(2, 4, 5, 6, dtype=torch.float64)
    teacher = torch.randn(2, 4, 5, 6, dtype=torch.float64)
    labels = torch.randint(0, 4, (2, 5, 6))
    soft = torch.softmax(torch.randn(2, 4, 5, 6, dtype=torch.float64), dim=1)
    tau_image = torch.tensor([2.0, 5.0], dtype=torch.float64)

    dice = TransUNetDiceLoss(4)(logits, labels)
    ce = F.cross_entropy(logits, labels)

    def kd(s, t, tau):
        return (tau ** 2 * F.kl_div(F.log_softmax(s / tau, 1), F.softmax(t / tau, 1), reduction="none").sum(1)).mean()

    per_image = torch.stack([kd(logits[b:b + 1], teacher[b:b + 1], tau_image[b]) for b in range(2)]).mean()
    out = {
        "logits": flat(logits), "teacher": flat(teacher), "soft": flat(soft),
        "labels": {"shape": list(labels.shape), "data": labels.reshape(-1).tolist()},
        "dice_transunet": dice.item(),
        "ce": ce.item(),
        "seg_half_half": (0.5 * ce + 0.5 * dice).item(),
        "soft_ce": (-(soft * F.log_softmax(logits, 1)).sum(1)).mean().item(),
        "kd_tau4": kd(logits, teacher, torch.tensor(4.0, dtype=torch.float64)).item(),
        "kd_per_image": per_image.item(),
    }
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "loss_reference.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
