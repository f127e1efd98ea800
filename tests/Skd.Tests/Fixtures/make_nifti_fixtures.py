"""Writes NIfTI-1 fixtures with nibabel (the reference Python library) for NiftiFileTests:
several datatypes, scaling, gzip, sform/qform/no orientation, big-endian; and the values and
affines nibabel reads back, in nifti_expected.json.

    apt-get install python3-nibabel python3-numpy
    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_nifti_fixtures.py
"""
import json
import os

import nibabel as nib
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, data, affine, dtype, *, slope=None, inter=None, qform_only=False, no_orientation=False, big_endian=False):
    header = nib.Nifti1Header(endianness=">" if big_endian else "<")
    header.set_data_dtype(dtype)
    img = nib.Nifti1Image(data, affine, header=header)
    if qform_only:
        img.set_sform(None, code=0)
        img.set_qform(affine, code=1)
    if no_orientation:
        img.set_sform(None, code=0)
        img.set_qform(None, code=0)
    if slope is not None:
        img.header.set_slope_inter(slope, inter)
    path = os.path.join(HERE, name)
    nib.save(img, path)
    back = nib.load(path)
    return {
        "shape": list(back.shape),
        "values": np.asarray(back.get_fdata()).transpose().reshape(-1).tolist(),  # (k, j, i) order
        "affine": back.affine.tolist(),
        "zooms": [float(z) for z in back.header.get_zooms()[:3]],
    }


def main():
    rng = np.random.default_rng(0)
    rot = np.array([[0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    affine = np.eye(4)
    affine[:3, :3] = rot @ np.diag([0.8, 0.9, 2.5])
    affine[:3, 3] = [-10.0, 20.5, 3.0]
    labels = rng.integers(0, 5, size=(4, 3, 2)).astype(np.uint8)
    ct = rng.integers(-1000, 1000, size=(4, 3, 2)).astype(np.int16)
    mri = rng.standard_normal((4, 3, 2)).astype(np.float32)
    expected = {
        "labels_u8.nii.gz": save("labels_u8.nii.gz", labels, affine, np.uint8),
        "ct_i16_scaled.nii": save("ct_i16_scaled.nii", ct, affine, np.int16, slope=2.0, inter=-1024.0),
        "mri_f32_qform.nii.gz": save("mri_f32_qform.nii.gz", mri, affine, np.float32, qform_only=True),
        "mri_f64_plain.nii": save("mri_f64_plain.nii", mri.astype(np.float64), np.diag([1.5, 1.5, 3.0, 1.0]), np.float64, no_orientation=True),
        "labels_u16_bigendian.nii": save("labels_u16_bigendian.nii", labels.astype(np.uint16) * 1000, affine, np.uint16, big_endian=True),
        "counts_i32.nii.gz": save("counts_i32.nii.gz", ct.astype(np.int32) * 1000, affine, np.int32),
        "series_4d.nii.gz": save("series_4d.nii.gz", rng.standard_normal((3, 2, 2, 2)).astype(np.float32), affine, np.float32),
    }
    with open(os.path.join(HERE, "nifti_expected.json"), "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    main()
