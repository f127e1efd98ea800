"""Writes .npy/.npz fixtures with NumPy itself, for NpyFileTests.

    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_npy_fixtures.py
"""
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    base = np.arange(24).reshape(2, 3, 4)
    arrays = {
        "f4": base.astype("<f4") / 7, "f8": base.astype("<f8") / 7, "i8": base.astype("<i8") - 5,
        "i4": base.astype("<i4") - 5, "i2": base.astype("<i2") - 5, "u1": base.astype("u1"),
        "i1": base.astype("i1") - 5, "u2": base.astype("<u2") * 2000, "u4": base.astype("<u4") * 100000000, "b1": base % 3 == 0,
        "f2": base.astype("<f2") / 4, "bigendian_f4": (base / 7).astype(">f4"),
        "fortran_f4": np.asfortranarray(base.astype("<f4") / 7),
    }
    for name, a in arrays.items():
        np.save(os.path.join(HERE, f"{name}.npy"), a)
    np.save(os.path.join(HERE, "scalar.npy"), np.float32(2.5))
    np.save(os.path.join(HERE, "empty.npy"), np.zeros((0, 3), dtype=np.float32))
    # TransUNet's Synapse training slices: keys image (float32) and label (float32), 512x512 there.
    image = (base[0] / 23).astype(np.float32)
    label = (base[0] % 9).astype(np.float32)
    np.savez(os.path.join(HERE, "case0005_slice012.npz"), image=image, label=label)
    np.savez_compressed(os.path.join(HERE, "compressed.npz"), image=image, label=label)


if __name__ == "__main__":
    main()
