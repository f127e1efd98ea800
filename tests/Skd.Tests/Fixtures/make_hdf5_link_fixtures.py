"""Writes HDF5 files whose 'image' dataset is not stored in the file itself, with h5py: the reader
must refuse each (a Synapse .npy.h5 must not make skd read other files of the machine).

    apt-get install python3-h5py python3-numpy
    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_hdf5_link_fixtures.py

external_storage.npy.h5: 'image' kept in the external raw file /etc/passwd (H5Pset_external);
external_link.npy.h5: 'image' an external link to /tmp/elsewhere.h5:/image;
virtual.npy.h5: 'image' a virtual dataset mapping /tmp/elsewhere.h5:/image;
soft_link.npy.h5: 'image' a soft link to the file's own /label (refused too: a dataset is read by its own name).
Each also holds a plain 'label' (2×3×4 uint8 zeros).
"""
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE = (2, 3, 4)


def write(name, add_image):
    with h5py.File(os.path.join(HERE, name), "w") as f:
        f.create_dataset("label", data=np.zeros(SHAPE, dtype=np.uint8))
        add_image(f)


def main():
    write("external_storage.npy.h5",
          lambda f: f.create_dataset("image", shape=SHAPE, dtype=np.uint8, external=[("/etc/passwd", 0, h5py.h5f.UNLIMITED)]))
    write("external_link.npy.h5", lambda f: f.__setitem__("image", h5py.ExternalLink("/tmp/elsewhere.h5", "/image")))

    def virtual(f):
        layout = h5py.VirtualLayout(shape=SHAPE, dtype=np.uint8)
        layout[:] = h5py.VirtualSource("/tmp/elsewhere.h5", "image", shape=SHAPE)
        f.create_virtual_dataset("image", layout)

    write("virtual.npy.h5", virtual)
    write("soft_link.npy.h5", lambda f: f.__setitem__("image", h5py.SoftLink("/label")))


if __name__ == "__main__":
    main()
