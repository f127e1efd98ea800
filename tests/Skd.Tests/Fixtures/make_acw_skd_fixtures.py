"""Writes acw_skd_reference.json for the ACW-SKD tests: the class-wise losses on tiny tensors
(prototypes under a soft mask, class-wise distillation, inter-class relation, pixel KD at a
per-image temperature), and the whole method (methods.md §1, second design, as
Skd.Distillation.AcwSkdMethod documents it) rebuilt in PyTorch on a tiny U-Net: its state dict,
every weighted loss term at a step after the warm-up, the total and the gradient of the total with
respect to every parameter, in float64, for two configurations.

    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_acw_skd_fixtures.py
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_loss_fixtures import TransUNetDiceLoss  # noqa: E402
from make_unet_fixture import OutConv, UNet  # noqa: E402

EPS = 1e-6


class GradientReversal(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, lam):
        ctx.lam = lam
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.lam * grad, None


def prototypes(features, mask):
    m = mask.flatten(2)
    return torch.einsum("bkn,bcn->bkc", m, features.flatten(2)) / (m.sum(2, keepdim=True) + EPS)


def present_classes(labels, k):
    return F.one_hot(labels, k).flatten(1, 2).amax(1).to(torch.float64)


def classwise(student, target, present):
    d = (F.normalize(student, dim=-1) - F.normalize(target.detach(), dim=-1)).pow(2).sum(-1)
    return (d * present).sum() / present.sum().clamp(min=1)


def relation(student, target, present):
    def r(p):
        n = F.normalize(p, dim=-1)
        return n @ n.transpose(1, 2)
    k = present.shape[1]
    pairs = present[:, :, None] * present[:, None, :] * (1 - torch.eye(k, dtype=present.dtype))
    return ((r(student) - r(target.detach())) ** 2 * pairs).sum() / pairs.sum().clamp(min=1)


def kd(student, teacher, tau):
    tau = tau.reshape(-1, 1, 1, 1) if tau.numel() > 1 else tau.reshape(())
    kl = F.kl_div(F.log_softmax(student / tau, 1), F.log_softmax(teacher / tau, 1), reduction="none", log_target=True).sum(1)
    weight = tau.reshape(-1, 1, 1) ** 2 if tau.numel() > 1 else tau ** 2
    return (kl * weight).mean()


def ramp(final, epoch, epochs, warmup):
    """FRSKD's sigmoid ramp after a warm-up of warmup·epochs epochs."""
    start = warmup * epochs
    if epoch < start:
        return 0.0
    r = min(1.0, (epoch - start) / (epochs - start))
    return final * math.exp(-5 * (1 - r) ** 2)


class AuxHead(nn.Module):
    def __init__(self, c, k):
        super().__init__()
        self.layers = nn.Sequential(nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(), nn.Conv2d(c, k, 1))

    def forward(self, x, size):
        z = self.layers(x)
        return z if z.shape[-2:] == size else F.interpolate(z, size=size, mode="bilinear", align_corners=False)


class Frm(nn.Module):
    """Zero-initialised residual block ending in ReLU."""
    def __init__(self, c):
        super().__init__()
        self.block = nn.Sequential(nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
                                   nn.Conv2d(c, c, 3, padding=1, bias=False), nn.BatchNorm2d(c))
        nn.init.zeros_(self.block[4].weight)

    def forward(self, x):
        return F.relu(x + self.block(x))


class Projector(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc1 = nn.Linear(c, c)
        self.fc2 = nn.Linear(c, c)

    def forward(self, p):
        return self.fc2(F.relu(self.fc1(p)))


class GlobalTemperature(nn.Module):
    def __init__(self):
        super().__init__()
        self.theta = nn.Parameter(torch.zeros(()))

    def forward(self, zt, z):
        return self.theta


class PerImageTemperature(nn.Module):
    def __init__(self, k):
        super().__init__()
        self.conv = nn.Conv2d(2 * k, 16, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16, 1)

    def forward(self, zt, z):
        return self.fc(F.relu(self.bn(self.conv(torch.cat([zt, z], 1)))).mean((2, 3))).reshape(-1)


class AcwSkd(nn.Module):
    def __init__(self, classes, width, depth, aux_stage, head, mask, projector, adversarial, frm_input):
        super().__init__()
        self.classes, self.aux_stage, self.mask, self.adversarial, self.frm_input, self.head = classes, aux_stage, mask, adversarial, frm_input, head
        self.student = UNet(1, classes, width, depth)
        self.aux_head = AuxHead(width if aux_stage == "penultimate" else 2 * width, classes)
        self.frm = Frm(width)
        if head in ("own", "residual"):
            self.frm_head = OutConv(width, classes)
        if head == "residual":  # zero-initialised: the teacher starts as the student
            with torch.no_grad():
                for p in self.frm_head.parameters():
                    p.zero_()
        if projector:
            self.cw_projector = Projector(width)
        if adversarial:
            self.temperature = PerImageTemperature(classes)
        self.dice = TransUNetDiceLoss(classes)

    def decoder(self, x):
        s = self.student
        encoder = [s.inc(x)]
        for i in range(1, s.depth + 1):
            encoder.append(getattr(s, f"down{i}")(encoder[-1]))
        h, decoder = encoder[-1], []
        for i in range(1, s.depth + 1):
            h = getattr(s, f"up{i}")(h, encoder[-1 - i])
            decoder.append(h)
        return decoder

    def seg(self, z, y):
        return 0.5 * F.cross_entropy(z, y) + 0.5 * self.dice(z, y)

    def terms(self, x, y, lam, fixed_tau):
        k = self.classes
        decoder = self.decoder(x)
        f = decoder[-1]
        head = self.student.outc
        z = head(f)
        z_aux = self.aux_head(f if self.aux_stage == "penultimate" else decoder[-2], x.shape[-2:])
        f_hat = self.frm(f.detach() if self.frm_input == "detached" else f)
        if self.head == "own":
            z_t = self.frm_head(f_hat)
        elif self.head == "shared":
            z_t = head(f_hat)
        else:  # residual: the student's head without its gradient plus the teacher's own conv
            z_t = F.conv2d(f_hat, head.conv.weight.detach(), head.conv.bias.detach()) + self.frm_head(f_hat)
        teacher = z_t.detach()
        if self.adversarial:
            tau = 1 + 4 * torch.sigmoid(GradientReversal.apply(self.temperature(teacher, z.detach()), lam))
        else:
            tau = torch.tensor(fixed_tau, dtype=torch.float64)
        mask = z_aux.detach().softmax(1) if self.mask == "aux" else F.one_hot(y, k).permute(0, 3, 1, 2).to(torch.float64)
        present = present_classes(y, k)
        student_p = prototypes(f, mask)
        if hasattr(self, "cw_projector"):
            student_p = self.cw_projector(student_p)
        target = prototypes(f_hat.detach(), mask)
        return {
            "seg": self.seg(z, y), "aux": self.seg(z_aux, y), "self_teacher": self.seg(z_t, y),
            "kd": kd(z, teacher, tau), "cw": classwise(student_p, target, present),
            "relation": relation(student_p, target, present),
            "feature": ((f - f_hat.detach()) ** 2).mean(),
        }, tau


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def state(t):
    return {"shape": list(t.shape), "data": t.reshape(-1).tolist(), "int": not t.is_floating_point()}


def loss_cases():
    torch.manual_seed(0)
    features = torch.randn(2, 3, 4, 5, dtype=torch.float64)
    teacher_features = torch.randn(2, 3, 4, 5, dtype=torch.float64)
    mask = torch.softmax(torch.randn(2, 4, 4, 5, dtype=torch.float64), 1)
    labels = torch.randint(0, 4, (2, 4, 5))
    labels[0][labels[0] == 3] = 1  # image 0 has no class 3: it must not count
    present = present_classes(labels, 4)
    student_p, target_p = prototypes(features, mask), prototypes(teacher_features, mask)
    logits, teacher = torch.randn(2, 4, 4, 5, dtype=torch.float64), torch.randn(2, 4, 4, 5, dtype=torch.float64)
    theta = torch.tensor([-0.5, 1.2], dtype=torch.float64)
    return {
        "features": flat(features), "teacher_features": flat(teacher_features), "mask": flat(mask),
        "labels": {"shape": list(labels.shape), "data": labels.reshape(-1).tolist()},
        "logits": flat(logits), "teacher": flat(teacher), "theta": flat(theta),
        "present": flat(present),
        "prototypes": flat(student_p),
        "classwise": classwise(student_p, target_p, present).item(),
        "relation": relation(student_p, target_p, present).item(),
        "kd_per_image": kd(logits, teacher, 1 + 20 * torch.sigmoid(theta)).item(),
    }


def method_case(options, seed, aux_stage="previous", head="own", mask="label", projector=False, adversarial=False, fixed_tau=1.0,
                frm_input="detached", feature_weight=0.0):
    torch.manual_seed(seed)
    net = AcwSkd(3, 4, 2, aux_stage, head, mask, projector, adversarial, frm_input).double()
    # A trained-looking FRM: at its zero initialisation F̂ = F and the class-wise terms would be 0.
    with torch.no_grad():
        net.frm.block[4].weight.normal_(0, 0.5)
        if head == "residual":  # a trained-looking residual head too, so that its forward counts
            net.frm_head.conv.weight.normal_(0, 0.3)
    x = torch.randn(2, 1, 8, 8, dtype=torch.float64)
    y = torch.randint(0, 3, (2, 8, 8))
    y[0][y[0] == 2] = 0  # image 0 without class 2
    step = {"epoch": 12, "epochs": 20, "step": 5, "steps_per_epoch": 10}
    epoch = step["epoch"] + step["step"] / step["steps_per_epoch"]
    warmup = 1 / 3
    lam = (1 - math.cos(math.pi * min((epoch - warmup * step["epochs"]) / 10, 1))) / 2
    w_kd = ramp(1.0, epoch, step["epochs"], warmup)
    w_cw = ramp(0.1, epoch, step["epochs"], warmup)
    weights = {"seg": 1.0, "aux": 0.4, "self_teacher": 1.0, "kd": w_kd, "cw": w_cw, "relation": w_cw,
               "feature": ramp(feature_weight, epoch, step["epochs"], warmup)}
    initial = {k: state(v.clone()) for k, v in net.state_dict().items()}
    terms, tau = net.terms(x, y, lam, fixed_tau)
    if feature_weight == 0:  # the term is computed and logged only with feature-weight > 0
        del terms["feature"]
    weighted = {k: weights[k] * v for k, v in terms.items()}
    total = sum(weighted.values())
    total.backward()
    return {
        "options": options, "step": step, "lambda": lam, "kd_weight": w_kd, "cw_weight": w_cw,
        "state": initial,
        "x": flat(x), "labels": {"shape": list(y.shape), "data": y.reshape(-1).tolist()},
        "terms": {k: v.item() for k, v in weighted.items()},
        "total": total.item(), "temperature": tau.mean().item(),
        "grads": {n: flat(p.grad) for n, p in net.named_parameters()},
    }


def main():
    out = {
        "losses": loss_cases(),
        "methods": [
            method_case({"frm-head": "own"}, 10),
            method_case({"aux-stage": "penultimate", "frm-head": "shared", "cw-mask": "aux", "cw-projector": "on",
                         "adversarial": "on", "temperature": "per-image"}, 11,
                        aux_stage="penultimate", head="shared", mask="aux", projector=True, adversarial=True),
            method_case({"fixed-temperature": "4", "frm-input": "attached", "frm-head": "own"}, 12, fixed_tau=4.0, frm_input="attached"),
            method_case({}, 13, head="residual"),   # the defaults: frm-head=residual
            method_case({"feature-weight": "2"}, 14, head="residual", feature_weight=2.0),
        ],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "acw_skd_reference.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path, "torch", torch.__version__, [m["terms"] for m in out["methods"]])


if __name__ == "__main__":
    main()
