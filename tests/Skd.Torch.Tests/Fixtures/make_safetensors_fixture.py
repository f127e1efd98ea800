"""Writes reference.safetensors and safetensors_expected.json for SafetensorsTests.

The file is built by hand (json + struct) from PyTorch tensors, laid out as the reference writer
(Hugging Face safetensors, Rust `serialize_to_file`, which `safetensors.torch.save_file` calls) lays
it out:
  - u64 little-endian header length N, then the header, then the data buffer;
  - header: compact JSON, non-ASCII written as UTF-8 (serde_json's escaping, which is Python's
    json with ensure_ascii=False), "__metadata__" first, then the tensors in data order, each
    {"dtype", "shape", "data_offsets"} in that field order; padded with spaces to a multiple of 8;
  - data order: descending dtype alignment (the reference Dtype enum order), then name (byte
    order of UTF-8, which is Python's str order).
The expected JSON holds the same tensors' values, flattened, for the C# test to compare.

Run with Debian's python3-torch (1.13):
    /usr/bin/python3 tests/Skd.Torch.Tests/Fixtures/make_safetensors_fixture.py
    /usr/bin/python3 tests/Skd.Torch.Tests/Fixtures/make_safetensors_fixture.py --check FILE
The second form reads any safetensors file (one Skd.Torch wrote, say) with this independent
reader and prints each tensor.
"""
import json
import math
import os
import struct
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))

# The reference's Dtype enum order ("They MUST be in increasing alignment order"), restricted to
# the dtypes torch 1.13 has.
DTYPES = [("BOOL", torch.bool), ("U8", torch.uint8), ("I8", torch.int8), ("I16", torch.int16),
          ("F16", torch.float16), ("BF16", torch.bfloat16), ("I32", torch.int32),
          ("F32", torch.float32), ("F64", torch.float64), ("I64", torch.int64)]
NAME_OF = {dt: name for name, dt in DTYPES}
DTYPE_OF = dict(DTYPES)
RANK = {name: i for i, (name, _) in enumerate(DTYPES)}


def fixture_tensors():
    return {
        "mask": torch.tensor([[True, False, True], [False, False, True]]),
        "pixels": torch.tensor([0, 1, 127, 128, 200, 255], dtype=torch.uint8).reshape(2, 3),
        "i8": torch.tensor([-128, -1, 0, 1, 127], dtype=torch.int8),
        "i16": torch.tensor([-32768, -2, 0, 3, 32767], dtype=torch.int16),
        "i32": torch.tensor([[-2147483648, 7], [0, 2147483647]], dtype=torch.int32),
        "i64": torch.tensor([-(2 ** 63), -1, 0, 1, 2 ** 63 - 1], dtype=torch.int64),
        "half": torch.tensor([-2.5, 0.0, 0.25, 65504.0, 2.0 ** -10], dtype=torch.float16),
        "bhalf": torch.tensor([-3.0, 0.5, 1.5, 256.0, 2.0 ** -20], dtype=torch.bfloat16),
        "layer.0.weight": ((torch.arange(12, dtype=torch.float32) - 5.5) / 3).reshape(2, 2, 3),
        "layer.0.bias": torch.tensor([0.1, -0.2], dtype=torch.float32),
        "double": torch.tensor([math.pi, -1e-300, 1e300, 0.1], dtype=torch.float64),
        "scalar": torch.tensor(2.5, dtype=torch.float32),
        "empty": torch.zeros(0, 3, dtype=torch.float32),
        "naïve \"quoted\" \\ name\t": torch.tensor([42], dtype=torch.int32),
    }


METADATA = {"format": "pt", "note": "fixture ✓"}


def tensor_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: same bits as int16
        t = t.view(torch.int16)
    a = t.numpy()
    return a.astype(a.dtype.newbyteorder("<")).tobytes()


def serialize(tensors, metadata):
    order = sorted(tensors, key=lambda name: (-RANK[NAME_OF[tensors[name].dtype]], name.encode("utf-8")))
    header = {} if metadata is None else {"__metadata__": dict(sorted(metadata.items()))}
    chunks, offset = [], 0
    for name in order:
        t = tensors[name]
        data = tensor_bytes(t)
        header[name] = {"dtype": NAME_OF[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks), order


def read(path):
    """An independent reader: the header's tensors as torch tensors, and the metadata."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    buffer = bytearray(blob[8 + n:])
    end = 0
    tensors = {}
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        begin, stop = info["data_offsets"]
        assert begin == end, f"{name}: begins at {begin}, previous tensor ends at {end}"
        end = stop
        dtype = DTYPE_OF[info["dtype"]]
        numel = math.prod(info["shape"])
        assert stop - begin == numel * torch.empty(0, dtype=dtype).element_size(), f"{name}: offsets do not match the shape"
        t = torch.frombuffer(buffer, dtype=dtype, count=numel, offset=begin).clone() if numel else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(info["shape"])  # little-endian host, as the format's data
    assert end == len(buffer), f"data buffer has {len(buffer)} bytes, tensors cover {end}"
    return tensors, metadata


def values(t):
    flat = t.reshape(-1)
    if t.dtype == torch.bool or not t.is_floating_point():
        return flat.tolist()
    return [float(v) for v in flat.to(torch.float64)]


def main():
    tensors = fixture_tensors()
    blob, order = serialize(tensors, METADATA)
    path = os.path.join(HERE, "reference.safetensors")
    with open(path, "wb") as f:
        f.write(blob)
    back, metadata = read(path)
    assert metadata == METADATA and list(back) == order
    for name, t in tensors.items():
        assert back[name].dtype == t.dtype and torch.equal(back[name], t), name
    expected = {
        "metadata": METADATA,
        "order": order,
        "tensors": {name: {"dtype": NAME_OF[t.dtype], "shape": list(t.shape), "data": values(t)} for name, t in tensors.items()},
    }
    with open(os.path.join(HERE, "safetensors_expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")


def check(path):
    tensors, metadata = read(path)
    print("metadata:", metadata)
    for name, t in tensors.items():
        print(f"{name!r}: {NAME_OF[t.dtype]} {list(t.shape)} {values(t)}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        main()
