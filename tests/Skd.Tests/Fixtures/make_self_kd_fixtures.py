"""Writes self_kd_reference.json: the losses of dskd, ps-kd and byot computed by PyTorch on tiny
tensors (written out loop by loop from methods.md §2-3, independently of the C# code), for
Distillation/SelfKdLossTests.

    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_self_kd_fixtures.py
"""
import json
import os

import torch
import torch.nn.functional as F

EPS = 1e-8  # floor of the DDL proportions before their log


def side_probabilities(logits):
    """One channel: (1 - sigmoid, sigmoid), background first; K channels: softmax."""
    if logits.shape[1] == 1:
        fg = torch.sigmoid(logits)
        return torch.cat([1 - fg, fg], 1)
    return torch.softmax(logits, 1)


def ddl(student, target, grid, mode, tau_d=3.0, student_first=False):
    """Sum over stages of (1/n) sum over patches of KL(z_T || z_S) (student_first: KL(z_S || z_T)), averaged over images, one patch at a time."""
    total = 0.0
    for ys, yt in zip(student, target):
        b, _, h, w = ys.shape
        sh, sw = h // grid, w // grid
        acc = 0.0
        for i in range(b):
            for gi in range(grid):
                for gj in range(grid):
                    cs = ys[i, :, gi * sh:(gi + 1) * sh, gj * sw:(gj + 1) * sw].sum((1, 2))
                    ct = yt[i, :, gi * sh:(gi + 1) * sh, gj * sw:(gj + 1) * sw].sum((1, 2))
                    if mode == "proportion":
                        zs, zt = cs / (sh * sw), ct / (sh * sw)
                        log_zs, log_zt = torch.log(torch.clamp(zs, min=EPS)), torch.log(torch.clamp(zt, min=EPS))
                    else:
                        zs, zt = torch.softmax(cs / tau_d, 0), torch.softmax(ct / tau_d, 0)
                        log_zs, log_zt = torch.log_softmax(cs / tau_d, 0), torch.log_softmax(ct / tau_d, 0)
                    if student_first:
                        acc = acc + (zs * (log_zs - log_zt)).sum()
                    else:
                        acc = acc + (torch.xlogy(zt, zt) - zt * log_zs).sum()
        total = total + acc / (b * grid * grid)
    return float(total)


def foreground_dice(logits, labels):
    """DSKD re-implementation's Dice: foreground classes only, plain denominator, smooth 1, sums over the batch."""
    p = torch.softmax(logits, 1)
    y = onehot(labels, logits.shape[1])
    losses = []
    for k in range(1, logits.shape[1]):
        inter = (p[:, k] * y[:, k]).sum()
        losses.append(1 - (2 * inter + 1) / (p[:, k].sum() + y[:, k].sum() + 1))
    return float(torch.stack(losses).mean())


def onehot(labels, k):
    return F.one_hot(labels, k).permute(0, 3, 1, 2).double()


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def ints(t):
    return {"shape": list(t.shape), "data": [int(v) for v in t.reshape(-1).tolist()]}


def main():
    torch.manual_seed(0)
    d = torch.float64
    out = {}

    # DDL, binary: two stages of one-channel side logits, 8x8, grid 4 (2x2 patches) and grid 2.
    s1 = [torch.randn(2, 1, 8, 8, dtype=d) * 2 for _ in range(2)]
    t1 = [torch.randn(2, 1, 8, 8, dtype=d) * 2 for _ in range(2)]
    y2 = torch.randint(0, 2, (2, 8, 8))
    ps, pt, gt = [side_probabilities(x) for x in s1], [side_probabilities(x) for x in t1], [onehot(y2, 2)] * 2
    out.update({
        "side_student_binary_0": flat(s1[0]), "side_student_binary_1": flat(s1[1]),
        "side_teacher_binary_0": flat(t1[0]), "side_teacher_binary_1": flat(t1[1]),
        "labels_binary": ints(y2),
        "ddl_binary_proportion_teacher": ddl(ps, pt, 4, "proportion"),
        "ddl_binary_softmax_teacher": ddl(ps, pt, 4, "softmax"),
        "ddl_binary_proportion_label": ddl(ps, gt, 4, "proportion"),
        "ddl_binary_softmax_label": ddl(ps, gt, 4, "softmax"),
        "ddl_binary_proportion_label_grid2": ddl(ps, gt, 2, "proportion"),
        "ddl_binary_proportion_teacher_student_first": ddl(ps, pt, 4, "proportion", student_first=True),
        "ddl_binary_softmax_teacher_student_first": ddl(ps, pt, 4, "softmax", student_first=True),
        "ddl_binary_proportion_label_student_first": ddl(ps, gt, 4, "proportion", student_first=True),
    })

    # DDL, 3 classes: two stages of three-channel side logits.
    s3 = [torch.randn(2, 3, 8, 8, dtype=d) * 2 for _ in range(2)]
    t3 = [torch.randn(2, 3, 8, 8, dtype=d) * 2 for _ in range(2)]
    y3 = torch.randint(0, 3, (2, 8, 8))
    ps3, pt3 = [side_probabilities(x) for x in s3], [side_probabilities(x) for x in t3]
    out.update({
        "side_student_k3_0": flat(s3[0]), "side_student_k3_1": flat(s3[1]),
        "side_teacher_k3_0": flat(t3[0]), "side_teacher_k3_1": flat(t3[1]),
        "labels_k3": ints(y3),
        "ddl_k3_proportion_teacher": ddl(ps3, pt3, 4, "proportion"),
        "ddl_k3_softmax_label": ddl(ps3, [onehot(y3, 3)] * 2, 4, "softmax"),
        "ddl_k3_proportion_teacher_student_first": ddl(ps3, pt3, 4, "proportion", student_first=True),
    })

    # PSDL, binary: BCE of the student's foreground probability against alpha*teacher + (1-alpha)*y.
    z2, zt2, alpha = torch.randn(2, 2, 8, 8, dtype=d) * 2, torch.randn(2, 2, 8, 8, dtype=d) * 2, 0.25
    target = alpha * torch.softmax(zt2, 1)[:, 1] + (1 - alpha) * y2.double()
    out.update({
        "logits_binary": flat(z2), "teacher_binary": flat(zt2), "alpha_binary": alpha,
        "psdl_binary": F.binary_cross_entropy(torch.softmax(z2, 1)[:, 1], target).item(),
        "dice_foreground_binary": foreground_dice(z2, y2),
    })

    # PSDL / PS-KD, 4 classes: soft cross-entropy against (1-alpha)*onehot + alpha*p_T.
    y4 = torch.randint(0, 4, (2, 8, 8))
    z4, zt4, alpha4 = torch.randn(2, 4, 8, 8, dtype=d) * 2, torch.randn(2, 4, 8, 8, dtype=d) * 2, 0.8 * 3 / 10
    soft = (1 - alpha4) * onehot(y4, 4) + alpha4 * torch.softmax(zt4, 1)
    out.update({
        "logits_k4": flat(z4), "teacher_k4": flat(zt4), "labels_k4": ints(y4), "alpha_k4": alpha4,
        "pskd_k4": (-(soft * torch.log_softmax(z4, 1)).sum(1)).mean().item(),
        "dice_foreground_k4": foreground_dice(z4, y4),
    })

    # BYOT: two shallow heads (3 classes) and their adapted features (4 channels) against the deep head.
    tau = 3.0
    shallow = [torch.randn(2, 3, 8, 8, dtype=d) * 2 for _ in range(2)]
    feats = [torch.randn(2, 4, 8, 8, dtype=d) for _ in range(2)]
    deep, deep_feat = torch.randn(2, 3, 8, 8, dtype=d) * 2, torch.randn(2, 4, 8, 8, dtype=d)
    ce = sum(F.cross_entropy(q, y3) for q in shallow)
    kd = sum(tau ** 2 * F.kl_div(F.log_softmax(q / tau, 1), F.softmax(deep / tau, 1), reduction="none").sum(1).mean() for q in shallow)
    feature = sum(((f - deep_feat) ** 2).sum() / f.shape[0] for f in feats)
    out.update({
        "byot_shallow_0": flat(shallow[0]), "byot_shallow_1": flat(shallow[1]),
        "byot_feature_0": flat(feats[0]), "byot_feature_1": flat(feats[1]),
        "byot_deep": flat(deep), "byot_deep_feature": flat(deep_feat),
        "byot_ce": ce.item(), "byot_kd": kd.item(), "byot_feature": feature.item(),
    })

    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "self_kd_reference.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
