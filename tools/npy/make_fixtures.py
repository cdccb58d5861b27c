"""Writes the .npy/.npz fixtures and their manifest for Research.Tensors.Tests (run with Debian's python3-numpy).

Usage: python3 tools/npy/make_fixtures.py tests/Research.Tensors.Tests/npy-fixtures
The manifest lists, per file, the dtype, shape, header version and the values in C order, so the
C# tests need no Python. Non-finite floats are written as the strings "nan", "inf", "-inf".
"""
import json
import math
import os
import sys
import zipfile

import numpy as np
from numpy.lib import format as npformat

DTYPES = ["<f4", "<f8", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "|b1"]


def values_for(dtype, count):
    """Deterministic values that exercise sign, range edges and (for floats) fractions and non-finite numbers."""
    dt = np.dtype(dtype)
    idx = np.arange(count)
    if dt.kind == "b":
        return (idx % 3 == 1)
    if dt.kind == "f":
        v = (idx * 0.37 - 1.1).astype(dt)
        special = [np.nan, np.inf, -np.inf, -0.0, np.finfo(dt).max, np.finfo(dt).tiny]
        for k, s in enumerate(special[: max(0, count - 2)]):
            v[k + 1] = s
        return v
    info = np.iinfo(dt)
    v = ((idx * 37) % 200 - 100).astype(np.int64)
    if info.min == 0:
        v = np.abs(v)
    v = v.astype(dt)
    if count >= 2:
        v[0] = info.min
        v[-1] = info.max
    return v


def encode(value):
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
    return value


def describe(arr, version):
    flat = np.ascontiguousarray(arr).reshape(-1)
    if arr.dtype.kind == "b":
        values = [int(x) for x in flat]
    elif arr.dtype.kind == "f":
        values = [encode(float(x)) for x in flat]
    else:
        values = [int(x) for x in flat]
    return {
        "descr": arr.dtype.str,
        "shape": list(arr.shape),
        "fortran_order": bool(arr.flags.f_contiguous and not arr.flags.c_contiguous),
        "version": version,
        "values": values,
    }


def save(directory, name, arr, version=None):
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        npformat.write_array(f, arr, version=version, allow_pickle=False)
    with open(path, "rb") as f:
        major = f.read(8)[6]
    return {"file": name, **describe(arr, major)}


def main(directory):
    os.makedirs(directory, exist_ok=True)
    files = []
    for dtype in DTYPES:
        tag = dtype[1:]
        c = values_for(dtype, 6).reshape(2, 3)
        files.append(save(directory, f"{tag}_c.npy", c))
        f = np.asfortranarray(values_for(dtype, 24).reshape(2, 3, 4))
        files.append(save(directory, f"{tag}_fortran.npy", f))
    files.append(save(directory, "f8_v2.npy", values_for("<f8", 5), version=(2, 0)))
    files.append(save(directory, "i4_v3.npy", values_for("<i4", 4).reshape(4, 1), version=(3, 0)))
    files.append(save(directory, "f4_scalar.npy", np.array(2.5, dtype="<f4")))
    files.append(save(directory, "i8_empty.npy", np.zeros((0, 3), dtype="<i8")))
    files.append(save(directory, "f8_bigendian.npy", values_for(">f8", 4)))
    files.append(save(directory, "i4_bigendian_fortran.npy", np.asfortranarray(values_for(">i4", 6).reshape(3, 2))))

    archives = []
    entries = {
        "obs": values_for("<f4", 12).reshape(4, 3),
        "actions": values_for("<i8", 4),
        "dones": values_for("|b1", 4),
    }
    for name, saver in (("stored.npz", np.savez), ("compressed.npz", np.savez_compressed)):
        saver(os.path.join(directory, name), **entries)
        with zipfile.ZipFile(os.path.join(directory, name)) as z:
            methods = sorted({info.compress_type for info in z.infolist()})
        archives.append({
            "file": name,
            "compress_types": methods,
            "entries": {k: describe(v, 1) for k, v in entries.items()},
        })

    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump({"numpy": np.__version__, "files": files, "archives": archives}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
