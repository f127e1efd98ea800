"""Writes the image and HDF5 fixtures that the Data tests read, with libraries independent of
the toolkit's OpenCV and libhdf5 bindings' own writers: Pillow for images, h5py for HDF5.

    apt-get install python3-pil python3-h5py python3-numpy
    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_io_fixtures.py
"""
import json
import os

import h5py
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    rng = np.random.default_rng(0)
    grey = rng.integers(0, 256, size=(5, 7), dtype=np.uint8)
    rgb = rng.integers(0, 256, size=(4, 6, 3), dtype=np.uint8)
    grey16 = rng.integers(0, 65536, size=(3, 5), dtype=np.uint16)
    Image.fromarray(grey).save(os.path.join(HERE, "grey8.png"))
    Image.fromarray(rgb).save(os.path.join(HERE, "rgb8.png"))
    Image.fromarray(rgb).save(os.path.join(HERE, "rgb8.bmp"))
    Image.fromarray(grey).save(os.path.join(HERE, "grey8.pgm"))
    Image.fromarray(grey).save(os.path.join(HERE, "grey8.tif"))
    Image.fromarray(grey16).save(os.path.join(HERE, "grey16.png"))

    image = rng.random((3, 4, 5)).astype(np.float32)
    label = rng.integers(0, 9, size=(3, 4, 5)).astype(np.float32)  # TransUNet stores labels as float
    with h5py.File(os.path.join(HERE, "case0001.npy.h5"), "w") as f:
        f.create_dataset("image", data=image)
        f.create_dataset("label", data=label)
        f.create_dataset("counts", data=np.arange(6, dtype=np.int16).reshape(2, 3))

    expected = {
        "grey8": grey.reshape(-1).tolist(),
        "rgb8": rgb.transpose(2, 0, 1).reshape(-1).tolist(),
        "grey16": grey16.reshape(-1).tolist(),
        "h5_image": image.reshape(-1).tolist(),
        "h5_label": label.reshape(-1).tolist(),
    }
    with open(os.path.join(HERE, "io_expected.json"), "w") as f:
        json.dump(expected, f)


if __name__ == "__main__":
    main()
