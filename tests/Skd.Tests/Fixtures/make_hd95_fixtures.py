"""Writes hd95_reference.json: HD95 of random 2-D and 3-D mask pairs as medpy computes it (and
MONAI's max-of-directions variant), and scipy's exact Euclidean distance transform of a few
arrays, for HausdorffTests. medpy is not a Debian package, so its hd95 is re-implemented below
from medpy/metric/binary.py with the same scipy calls.

    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_hd95_fixtures.py     (Debian's python3-scipy)
"""
import json
import os

import numpy as np
from scipy.ndimage import binary_erosion, distance_transform_edt, generate_binary_structure


def surface_distances(result, reference, voxelspacing=None, connectivity=1):
    # medpy.metric.binary.__surface_distances:
    #   footprint = generate_binary_structure(result.ndim, connectivity)
    #   result_border = result ^ binary_erosion(result, structure=footprint, iterations=1)
    #   reference_border = reference ^ binary_erosion(reference, structure=footprint, iterations=1)
    #   dt = distance_transform_edt(~reference_border, sampling=voxelspacing)
    #   sds = dt[result_border]
    result, reference = result.astype(bool), reference.astype(bool)
    assert result.any() and reference.any()  # medpy raises RuntimeError on an empty mask
    footprint = generate_binary_structure(result.ndim, connectivity)
    result_border = result ^ binary_erosion(result, structure=footprint, iterations=1)
    reference_border = reference ^ binary_erosion(reference, structure=footprint, iterations=1)
    dt = distance_transform_edt(~reference_border, sampling=voxelspacing)
    return dt[result_border]


def hd95_medpy(result, reference, voxelspacing=None):
    # medpy.metric.binary.hd95: percentile 95 of both directions pooled.
    hd1 = surface_distances(result, reference, voxelspacing)
    hd2 = surface_distances(reference, result, voxelspacing)
    return float(np.percentile(np.hstack((hd1, hd2)), 95))


def hd95_monai(result, reference, voxelspacing=None):
    # MONAI compute_hausdorff_distance(percentile=95, directed=False): max of the two directed ones.
    return float(max(np.percentile(surface_distances(result, reference, voxelspacing), 95),
                     np.percentile(surface_distances(reference, result, voxelspacing), 95)))


rng = np.random.default_rng(20240611)


def ellipsoid(shape, centre, radii):
    grid = np.indices(shape).astype(float)
    d = sum(((g - c) / r) ** 2 for g, c, r in zip(grid, centre, radii))
    return d <= 1.0


def random_blob(shape):
    centre = [rng.uniform(0, s) for s in shape]
    radii = [rng.uniform(1.5, s / 2) for s in shape]
    return ellipsoid(shape, centre, radii)


def noisy(mask, p):
    return mask ^ (rng.random(mask.shape) < p)


def pairs():
    yield "blobs_2d", (40, 36), None, random_blob((40, 36)), random_blob((40, 36))
    yield "blobs_2d_spacing", (32, 40), (0.7, 1.3), random_blob((32, 40)), random_blob((32, 40))
    yield "noisy_2d", (30, 30), None, noisy(random_blob((30, 30)), 0.08), noisy(random_blob((30, 30)), 0.08)
    yield "salt_2d", (24, 28), (1.0, 0.5), rng.random((24, 28)) < 0.1, rng.random((24, 28)) < 0.1
    full = np.ones((20, 25), bool)
    yield "full_vs_blob_2d", (20, 25), None, full, random_blob((20, 25))
    line = np.zeros((30, 30), bool); line[5, 2:28] = True
    diag = np.eye(30, dtype=bool)
    yield "thin_lines_2d", (30, 30), None, line, diag
    a = np.zeros((16, 16), bool); a[3, 4] = True
    b = np.zeros((16, 16), bool); b[12, 13] = True
    yield "single_pixels_2d", (16, 16), (0.9, 0.6), a, b
    edge = np.zeros((25, 20), bool); edge[:, :4] = True
    corner = np.zeros((25, 20), bool); corner[18:, 15:] = True
    yield "border_2d", (25, 20), None, edge, corner
    same = random_blob((22, 22))
    yield "identical_2d", (22, 22), None, same, same.copy()
    yield "blobs_3d", (12, 24, 20), None, random_blob((12, 24, 20)), random_blob((12, 24, 20))
    yield "blobs_3d_ct_spacing", (10, 24, 24), (2.5, 0.8, 0.8), random_blob((10, 24, 24)), random_blob((10, 24, 24))
    yield "noisy_3d", (10, 16, 16), (0.8, 0.8, 2.5), noisy(random_blob((10, 16, 16)), 0.05), noisy(random_blob((10, 16, 16)), 0.05)
    yield "salt_3d", (8, 12, 14), (1.5, 0.7, 1.0), rng.random((8, 12, 14)) < 0.05, rng.random((8, 12, 14)) < 0.05
    tube = np.zeros((14, 18, 18), bool); tube[:, 8, 9] = True
    sheet = np.zeros((14, 18, 18), bool); sheet[7, 2:16, :] = True
    yield "tube_vs_sheet_3d", (14, 18, 18), (2.0, 0.75, 0.75), tube, sheet
    a = np.zeros((9, 11, 13), bool); a[0, 0, 0] = True
    b = np.zeros((9, 11, 13), bool); b[8, 10, 12] = True
    yield "single_voxels_corners_3d", (9, 11, 13), (0.8, 0.8, 2.5), a, b
    slab = np.zeros((10, 14, 12), bool); slab[:3] = True
    yield "border_slab_3d", (10, 14, 12), None, slab, random_blob((10, 14, 12))
    yield "full_3d", (6, 8, 10), (1.2, 1.0, 0.9), np.ones((6, 8, 10), bool), random_blob((6, 8, 10))
    s = random_blob((12, 20, 20))
    shifted = np.roll(s, 2, axis=2)
    yield "shifted_3d", (12, 20, 20), (3.0, 0.7, 0.7), s, shifted
    big = ellipsoid((16, 32, 32), (8, 16, 16), (6, 12, 12))
    small = ellipsoid((16, 32, 32), (9, 15, 17), (2, 3, 3))
    yield "nested_3d", (16, 32, 32), None, big, small
    yield "blobs_3d_b", (14, 18, 22), (0.8, 0.8, 2.5), noisy(random_blob((14, 18, 22)), 0.02), random_blob((14, 18, 22))


def bits(mask):
    return "".join("1" if v else "0" for v in mask.reshape(-1))


cases = []
for name, shape, spacing, a, b in pairs():
    assert a.shape == shape and b.shape == shape and a.any() and b.any(), name
    cases.append({"name": name, "shape": list(shape), "spacing": spacing, "a": bits(a), "b": bits(b),
                  "hd95": hd95_medpy(a, b, spacing), "hd95_monai": hd95_monai(a, b, spacing)})

edts = []
for shape, spacing, p in [((7, 9), None, 0.15), ((20, 13), (0.6, 1.7), 0.03), ((5, 8, 6), (2.5, 0.8, 0.8), 0.05),
                          ((9, 10, 11), None, 0.01), ((1, 12), (1.0, 0.3), 0.2)]:
    x = rng.random(shape) >= p           # non-zero everywhere except a few background points
    x.reshape(-1)[rng.integers(0, x.size)] = False
    edts.append({"shape": list(shape), "spacing": spacing, "input": bits(x),
                 "distances": distance_transform_edt(x, sampling=spacing).reshape(-1).tolist()})

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "hd95_reference.json"), "w") as f:
    json.dump({"hd95": cases, "edt": edts}, f)
print(f"{len(cases)} hd95 cases, {len(edts)} distance transforms")
