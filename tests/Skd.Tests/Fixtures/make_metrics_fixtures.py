"""Writes the fixtures of `skd metrics` (MetricsCommandTests): predicted and label maps as 2-D PNGs
(3 classes, two images, pixel units) and as a 3-D NIfTI pair with anisotropic spacing, and in
metrics_reference.json every class's Dice, IoU, Acc, Sen, Spe and HD95 of each pair. HD95 is medpy's
algorithm (medpy.metric.binary.hd95, medpy is not a Debian package) written out with scipy.ndimage:
face-connected binary_erosion, distance_transform_edt with sampling, numpy.percentile 95 of both
directions pooled. The NIfTI spacing is applied in nibabel's (x, y, z) array order.

    apt-get install python3-scipy python3-nibabel python3-pil python3-numpy
    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_metrics_fixtures.py
"""
import json
import os

import nibabel as nib
import numpy as np
from PIL import Image
from scipy.ndimage import binary_erosion, distance_transform_edt, generate_binary_structure

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics")
rng = np.random.default_rng(20240612)


def surface_distances(result, reference, sampling):
    footprint = generate_binary_structure(result.ndim, 1)
    result_border = result ^ binary_erosion(result, structure=footprint, iterations=1)
    reference_border = reference ^ binary_erosion(reference, structure=footprint, iterations=1)
    return distance_transform_edt(~reference_border, sampling=sampling)[result_border]


def hd95(result, reference, sampling=None):
    return float(np.percentile(np.hstack((surface_distances(result, reference, sampling),
                                          surface_distances(reference, result, sampling))), 95))


def scores(pred, label, classes, sampling=None):
    rows = []
    for k in range(1, classes):
        p, g = pred == k, label == k
        tp = float(np.sum(p & g)); fp = float(np.sum(p & ~g)); fn = float(np.sum(~p & g)); tn = float(np.sum(~p & ~g))
        rows.append({"class": k, "dice": 2 * tp / (2 * tp + fp + fn), "iou": tp / (tp + fp + fn),
                     "acc": (tp + tn) / p.size, "sen": tp / (tp + fn), "spe": tn / (tn + fp),
                     "hd95": hd95(p, g, sampling)})
    return rows


def blobs(shape, classes):
    """A label map of overlapping random ellipsoids, one or two per class."""
    grid = np.indices(shape).astype(float)
    out = np.zeros(shape, np.uint8)
    for k in range(1, classes):
        for _ in range(2):
            centre = [rng.uniform(0.2 * s, 0.8 * s) for s in shape]
            radii = [rng.uniform(0.1 * s, 0.3 * s) for s in shape]
            out[sum(((g - c) / r) ** 2 for g, c, r in zip(grid, centre, radii)) <= 1] = k
    return out


def perturbed(label, classes):
    """The label with its blobs shifted and a sprinkle of wrong pixels: a plausible prediction."""
    pred = np.roll(label, (2, -1) + (1,) * (label.ndim - 2), axis=tuple(range(label.ndim)))
    noise = rng.random(label.shape) < 0.03
    pred[noise] = rng.integers(0, classes, int(noise.sum()))
    return pred


reference = {"png": [], "nifti": []}
for folder in ["png/pred", "png/label", "nifti"]:
    os.makedirs(os.path.join(HERE, folder), exist_ok=True)
for name, shape in [("a", (40, 36)), ("b", (32, 44))]:
    label = blobs(shape, 3)
    pred = perturbed(label, 3)
    Image.fromarray(label).save(os.path.join(HERE, "png/label", name + ".png"))
    Image.fromarray(pred).save(os.path.join(HERE, "png/pred", name + ".png"))
    reference["png"].append({"case": name, "classes": scores(pred, label, 3)})

spacing = (0.8, 0.7, 2.5)                     # x, y, z (pixdim)
label = blobs((20, 24, 10), 3)                # nibabel's (x, y, z) array
pred = perturbed(label, 3)
affine = np.diag(spacing + (1.0,))
for name, data in [("label", label), ("pred", pred)]:
    nib.save(nib.Nifti1Image(data, affine), os.path.join(HERE, "nifti", name + ".nii.gz"))
reference["nifti"] = {"spacing": list(spacing), "mm": scores(pred, label, 3, spacing), "voxels": scores(pred, label, 3)}

with open(os.path.join(HERE, "metrics_reference.json"), "w") as f:
    json.dump(reference, f, indent=1)
print("wrote", HERE)
