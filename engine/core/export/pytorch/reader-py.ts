/** safetensors_reader.py: reads weights.safetensors with numpy alone, for machines without the safetensors package. */
export const SAFETENSORS_READER_PY = `"""A minimal safetensors reader (numpy + torch, no safetensors package).

Format: an 8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}},
then the raw little-endian tensor bytes.
"""
import json
import struct

import numpy as np
import torch

DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32, "U8": np.uint8, "BOOL": np.bool_}


def load_file(path):
    """{name: torch.Tensor} of every tensor in the file."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("%s: too short to be a safetensors file" % path)
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError("%s: header of %d bytes runs past the end of the file" % (path, n))
    header = json.loads(data[8 : 8 + n].decode("utf-8"))
    body = data[8 + n :]
    out = {}
    for name, t in header.items():
        if name == "__metadata__":
            continue
        if t["dtype"] not in DTYPES:
            raise ValueError("%s: tensor %s has dtype %s, which this reader does not know" % (path, name, t["dtype"]))
        begin, end = t["data_offsets"]
        if not 0 <= begin <= end <= len(body):
            raise ValueError("%s: tensor %s lies outside the file" % (path, name))
        array = np.frombuffer(body[begin:end], dtype=np.dtype(DTYPES[t["dtype"]]).newbyteorder("<"))
        out[name] = torch.from_numpy(array.astype(array.dtype.newbyteorder("="), copy=True).reshape(t["shape"]))
    return out
`;
