"""Writes prediction_reference.json for the prediction tests (tests/Skd.Tests/Inference/PredictionReferenceTests.cs):

- largest_component: label maps (D, H, W) and, per case, the classes filtered and the expected map after
  nnU-Net's remove_all_but_the_largest_connected_component (v1, nnunet/postprocessing/connected_components.py):
  per class, scipy.ndimage.label with its default structure (face connectivity: 4 in 2-D, 6 in 3-D),
  every component smaller than the class's largest set to background, ties for the largest all kept.
- mirroring: the tiny U-Net of make_unet_fixture.py (torch.manual_seed(0), 1 -> 3 classes, width 4,
  depth 2, eval mode) on a 16x16 input: its softmax, and the softmax averaged over the four in-plane
  mirrorings (none, W, H, both), each flipped back (nnU-Net v1's 2-D do_mirroring).
- npy: the bytes numpy.lib.format.write_array writes for a float32 (2, 3, 4) array and an int64 (5,)
  array, to compare the .npy entries of the toolkit's .npz writer with byte for byte.

Run with Debian's python3-numpy, python3-scipy and python3-torch:
    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_prediction_fixtures.py
"""
import base64
import io
import json
import os
import sys

import numpy as np
import scipy
import scipy.ndimage
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_unet_fixture import UNet  # noqa: E402


def keep_largest(seg, classes):
    out = seg.copy()
    for c in classes:
        components, n = scipy.ndimage.label(seg == c)
        if n == 0:
            continue
        sizes = np.bincount(components.ravel())[1:]
        for i, size in enumerate(sizes, start=1):
            if size != sizes.max():
                out[components == i] = 0
    return out


def component_cases():
    diagonal = np.array([[[1, 1, 0, 0, 0, 2, 2],
                          [1, 1, 0, 0, 0, 2, 0],
                          [0, 0, 1, 0, 0, 0, 0],
                          [0, 0, 0, 1, 1, 0, 2],
                          [0, 0, 0, 1, 0, 0, 2],
                          [1, 0, 0, 0, 0, 0, 0]]])
    ties = np.array([[[1, 1, 0, 1, 1, 0],
                      [1, 1, 0, 1, 1, 0],
                      [0, 0, 0, 0, 0, 0],
                      [1, 0, 0, 2, 2, 2],
                      [1, 0, 2, 0, 0, 0]]])
    volume = np.zeros((3, 5, 5), dtype=np.int64)
    volume[0, 0:2, 0:2] = 2          # 4 voxels, joined through faces to the next slice:
    volume[1, 1, 1] = 2
    volume[1, 1, 2] = 2
    volume[1, 2, 2] = 2              # a component of 7 over two slices
    volume[2, 3, 2] = 2              # an edge neighbour of (1, 2, 2) only: a separate component of 2
    volume[2, 3, 3] = 2              # (26-connectivity would join it to the 7)
    volume[2, 4, 4] = 1
    volume[0, 4, 0] = 1
    volume[0, 4, 1] = 3
    rng = np.random.default_rng(11)
    noisy = rng.choice(4, size=(4, 9, 11), p=[0.4, 0.3, 0.2, 0.1]).astype(np.int64)
    cases = [("2-D diagonal neighbours are separate components", diagonal, [1, 2]),
             ("2-D ties for the largest are all kept", ties, [1, 2]),
             ("3-D face connectivity across slices, class 2 only", volume, [2]),
             ("3-D several classes of random labels", noisy, [1, 2, 3]),
             ("random labels, classes 1 and 3", noisy, [1, 3])]
    return [{"name": name, "shape": list(seg.shape), "labels": seg.ravel().tolist(), "classes": classes,
             "expected": keep_largest(seg, classes).ravel().tolist()} for name, seg, classes in cases]


def mirroring_case():
    torch.manual_seed(0)
    net = UNet(1, 3, width=4, depth=2).eval()
    torch.manual_seed(1)
    x = torch.randn(1, 1, 16, 16)
    with torch.no_grad():
        plain = torch.softmax(net(x), 1)
        flips = [[], [3], [2], [2, 3]]
        mirrored = sum(torch.softmax(net(x.flip(f) if f else x), 1).flip(f) if f else plain for f in flips) / len(flips)
    print("mirroring: max |averaged - plain| =", float((mirrored - plain).abs().max()))
    return {"in_channels": 1, "classes": 3, "width": 4, "depth": 2, "size": 16,
            "x": x.reshape(-1).tolist(), "plain": plain.reshape(-1).tolist(), "mirrored": mirrored.reshape(-1).tolist()}


def npy_bytes(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def main():
    out = {
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "torch": torch.__version__},
        "largest_component": component_cases(),
        "mirroring": mirroring_case(),
        "npy": {
            "float32_2x3x4": npy_bytes((np.arange(24, dtype=np.float32) / 7).reshape(2, 3, 4)),
            "int64_5": npy_bytes(np.array([3, -1, 0, 7, 2**40], dtype=np.int64)),
        },
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "prediction_reference.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path, out["versions"])


if __name__ == "__main__":
    main()
