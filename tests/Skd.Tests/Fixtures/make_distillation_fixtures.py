"""Writes distillation_reference.json: the offline-KD losses (CWD, AT, IFVD) on tiny tensors,
computed by reference implementations written after the authors' code, for DistillationLossTests.

    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_distillation_fixtures.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


def cwd(preds_S, preds_T, tau):
    """Channel-wise divergence as mmrazor's ChannelWiseDivergence (Shu et al. 2021), loss_weight 1."""
    N, C, H, W = preds_S.shape
    softmax_pred_T = F.softmax(preds_T.reshape(-1, W * H) / tau, dim=1)
    logsoftmax = nn.LogSoftmax(dim=1)
    loss = torch.sum(softmax_pred_T * logsoftmax(preds_T.reshape(-1, W * H) / tau)
                     - softmax_pred_T * logsoftmax(preds_S.reshape(-1, W * H) / tau)) * (tau ** 2)
    return loss / (C * N)


def at(x):
    """Zagoruyko & Komodakis' attention map: F.normalize(mean_c x^2, flattened)."""
    return F.normalize(x.pow(2).mean(1).view(x.size(0), -1))


def at_loss(stages_S, stages_T):
    """methods.md §3: mean over stages of the batch mean of ||a_S - a_T||^2."""
    return torch.stack([(at(s) - at(t)).pow(2).sum(1).mean() for s, t in zip(stages_S, stages_T)]).mean()


class CriterionIFV(nn.Module):
    """IFVD's CriterionIFV (Wang et al. 2020, networks/kd_model.py), as published (2-D)."""

    def __init__(self, classes):
        super().__init__()
        self.num_classes = classes

    def forward(self, feat_S, feat_T, target):
        feat_T = feat_T.detach()
        size_f = (feat_S.shape[2], feat_S.shape[3])
        tar_feat_S = nn.Upsample(size_f, mode='nearest')(target.unsqueeze(1).float()).expand(feat_S.size())
        tar_feat_T = nn.Upsample(size_f, mode='nearest')(target.unsqueeze(1).float()).expand(feat_T.size())
        center_feat_S = feat_S.clone()
        center_feat_T = feat_T.clone()
        for i in range(self.num_classes):
            mask_feat_S = (tar_feat_S == i).float().to(feat_S.dtype)
            mask_feat_T = (tar_feat_T == i).float().to(feat_T.dtype)
            center_feat_S = (1 - mask_feat_S) * center_feat_S + mask_feat_S * (
                (mask_feat_S * feat_S).sum(-1).sum(-1) / (mask_feat_S.sum(-1).sum(-1) + 1e-6)).unsqueeze(-1).unsqueeze(-1)
            center_feat_T = (1 - mask_feat_T) * center_feat_T + mask_feat_T * (
                (mask_feat_T * feat_T).sum(-1).sum(-1) / (mask_feat_T.sum(-1).sum(-1) + 1e-6)).unsqueeze(-1).unsqueeze(-1)
        cos = nn.CosineSimilarity(dim=1)
        pcsim_feat_S = cos(feat_S, center_feat_S)
        pcsim_feat_T = cos(feat_T, center_feat_T)
        return nn.MSELoss()(pcsim_feat_S, pcsim_feat_T)


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


def flat_long(t):
    return {"shape": list(t.shape), "data": [int(v) for v in t.reshape(-1).tolist()]}


def main():
    torch.manual_seed(0)
    d = torch.float64
    logits_S = torch.randn(2, 3, 4, 5, dtype=d)
    logits_T = torch.randn(2, 3, 4, 5, dtype=d) * 2

    stages_S = [torch.randn(2, 3, 4, 6, dtype=d), torch.randn(2, 2, 8, 12, dtype=d)]
    stages_T = [torch.randn(2, 5, 4, 6, dtype=d), torch.randn(2, 4, 8, 12, dtype=d)]

    feat_S = torch.randn(2, 3, 8, 8, dtype=d, requires_grad=True)
    feat_T = torch.randn(2, 5, 8, 8, dtype=d)
    labels = torch.randint(0, 3, (2, 8, 8))  # class 3 of 4 never occurs
    labels[1, :4, :4] = 3                     # except in one corner of image 1
    ifv = CriterionIFV(4)(feat_S, feat_T, labels)
    ifv.backward()

    coarse_S = torch.randn(2, 3, 4, 4, dtype=d)
    coarse_T = torch.randn(2, 5, 4, 4, dtype=d)

    out = {
        "logits_s": flat(logits_S), "logits_t": flat(logits_T),
        "cwd_tau1": cwd(logits_S, logits_T, 1.0).item(),
        "cwd_tau2": cwd(logits_S, logits_T, 2.0).item(),
        "at_s0": flat(stages_S[0]), "at_s1": flat(stages_S[1]), "at_t0": flat(stages_T[0]), "at_t1": flat(stages_T[1]),
        "at_map_s1": flat(at(stages_S[1])),
        "at": at_loss(stages_S, stages_T).item(),
        "feat_s": flat(feat_S), "feat_t": flat(feat_T), "labels": flat_long(labels),
        "ifvd": ifv.item(), "ifvd_grad_s": flat(feat_S.grad),
        "coarse_s": flat(coarse_S), "coarse_t": flat(coarse_T),
        "ifvd_coarse": CriterionIFV(4)(coarse_S, coarse_T, labels).item(),
    }
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "distillation_reference.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
