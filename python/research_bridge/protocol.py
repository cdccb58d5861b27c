"""Frames, message kinds and info sections of the bridge protocol (docs/bridge-protocol.md)."""

import json
import math
import os
import struct

import numpy as np

PROTOCOL_VERSION = 1

# (input fd, output fd) of the protocol stream inside a server process (set by research_bridge.worker); None elsewhere.
SERVER_FDS = None

HELLO, RESET, STEP, RENDER, CLOSE = 0x01, 0x02, 0x03, 0x04, 0x05
READY, OBSERVATIONS, STEPPED, FRAME, CLOSED = 0x81, 0x82, 0x83, 0x84, 0x85
ERROR = 0xEE

NAMES = {HELLO: "HELLO", RESET: "RESET", STEP: "STEP", RENDER: "RENDER", CLOSE: "CLOSE", READY: "READY",
         OBSERVATIONS: "OBSERVATIONS", STEPPED: "STEPPED", FRAME: "FRAME", CLOSED: "CLOSED", ERROR: "ERROR"}

_U32 = struct.Struct("<I")
_HEADER = struct.Struct("<IB")


class BridgeError(Exception):
    """The other side broke the protocol, went away, or reported an error."""


class Connection:
    """Reads and writes frames on two file descriptors (a server's stdin/stdout, or a client's pipes to a server)."""

    def __init__(self, read_fd, write_fd, max_frame=1 << 30):
        self._read_fd = read_fd
        self._write_fd = write_fd
        self._max_frame = max_frame
        self._buffer = bytearray(1 << 16)

    def read(self):
        """Returns (kind, body) with body a memoryview valid until the next read; None at end of stream."""
        header = self._read_exactly(4, allow_eof=True)
        if header is None:
            return None
        (length,) = _U32.unpack(header)
        if length < 1 or length > self._max_frame:
            raise BridgeError(f"malformed frame: length {length} is outside 1..{self._max_frame}")
        if len(self._buffer) < length:
            self._buffer = bytearray(max(length, 2 * len(self._buffer)))
        view = memoryview(self._buffer)[:length]
        self._read_into(view)
        return view[0], view[1:]

    def write(self, kind, *parts):
        """Writes one frame whose body is the concatenation of parts (bytes-like objects)."""
        size = 1 + sum(len(p) if not isinstance(p, memoryview) else p.nbytes for p in parts)
        chunks = [_HEADER.pack(size, kind), *parts]
        total = 4 + size
        written = os.writev(self._write_fd, chunks)
        if written < total:  # a pipe may take part of it: write the rest
            rest = b"".join(bytes(c) for c in chunks)[written:]
            while rest:
                n = os.write(self._write_fd, rest)
                rest = rest[n:]

    def write_json(self, kind, obj):
        self.write(kind, dumps(obj))

    def _read_exactly(self, n, allow_eof=False):
        data = bytearray(n)
        if not self._read_into(memoryview(data), allow_eof):
            return None
        return data

    def _read_into(self, view, allow_eof=False):
        got = 0
        while got < len(view):
            n = os.readv(self._read_fd, [view[got:]])
            if n == 0:
                if got == 0 and allow_eof:
                    return False
                raise BridgeError(f"stream ended after {got} of {len(view)} bytes of a frame")
            got += n
        return True


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), allow_nan=False).encode("utf-8")


def loads(body):
    return json.loads(bytes(body).decode("utf-8"))


def number(x):
    """A float for JSON: inf and nan as strings."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return int(x) if x.is_integer() and abs(x) < 2**53 else x


def from_number(x):
    return float(x) if isinstance(x, str) else x


# ---- infos -----------------------------------------------------------------------------------------------------------

_EMPTY_INFO = b"\x00\x00"
_ENTRY_BOOL = struct.Struct("<B")
_ENTRY_INT = struct.Struct("<q")
_ENTRY_FLOAT = struct.Struct("<d")


def encode_info(info, out):
    """Appends one env's info (its scalar items) to the bytearray out."""
    if not info:
        out += _EMPTY_INFO
        return
    start = len(out)
    out += _EMPTY_INFO
    count = 0
    for key, value in info.items():
        if type(key) is not str:
            continue
        if isinstance(value, np.ndarray):
            if value.ndim != 0:
                continue
            value = value[()]
        if isinstance(value, (bool, np.bool_)):
            tag, packed = b"?", _ENTRY_BOOL.pack(1 if value else 0)
        elif isinstance(value, (int, np.integer)):
            if not -(2**63) <= int(value) < 2**63:
                continue
            tag, packed = b"q", _ENTRY_INT.pack(int(value))
        elif isinstance(value, (float, np.floating)):
            tag, packed = b"d", _ENTRY_FLOAT.pack(float(value))
        else:
            continue
        encoded = key.encode("utf-8")
        if len(encoded) > 255:
            continue
        out += bytes((len(encoded),)) + encoded + tag + packed
        count += 1
        if count == 0xFFFF:
            break
    out[start:start + 2] = struct.pack("<H", count)


def decode_infos(body, offset, count):
    """Reads count infos starting at offset; returns (list of dicts, new offset)."""
    infos = []
    for _ in range(count):
        (items,) = struct.unpack_from("<H", body, offset)
        offset += 2
        info = {}
        for _ in range(items):
            n = body[offset]
            key = bytes(body[offset + 1: offset + 1 + n]).decode("utf-8")
            offset += 1 + n
            tag = chr(body[offset])
            offset += 1
            if tag == "?":
                info[key] = bool(body[offset])
                offset += 1
            elif tag == "q":
                (info[key],) = _ENTRY_INT.unpack_from(body, offset)
                offset += 8
            elif tag == "d":
                (info[key],) = _ENTRY_FLOAT.unpack_from(body, offset)
                offset += 8
            else:
                raise BridgeError(f"malformed info: unknown tag {tag!r} for key {key!r}")
        infos.append(info)
    return infos, offset
