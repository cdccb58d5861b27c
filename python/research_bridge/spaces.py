"""Space descriptions (JSON), their wire layout, and small Gymnasium-compatible spaces for when Gymnasium is absent."""

import numpy as np

from .protocol import BridgeError, from_number, number

# ---- describing a space ----------------------------------------------------------------------------------------------


def describe(space):
    """The protocol's JSON description of a Gymnasium space (or one of the classes below), by duck typing."""
    kind = type(space).__name__
    if kind == "Box":
        return {"type": "Box", "dtype": np.dtype(space.dtype).name, "shape": list(space.shape),
                "low": _bounds(space.low), "high": _bounds(space.high)}
    if kind == "Discrete":
        return {"type": "Discrete", "n": int(space.n), "start": int(getattr(space, "start", 0))}
    if kind == "MultiDiscrete":
        nvec = np.asarray(space.nvec)
        start = np.asarray(getattr(space, "start", np.zeros_like(nvec)))
        return {"type": "MultiDiscrete", "nvec": [int(x) for x in nvec.reshape(-1)], "shape": list(nvec.shape),
                "start": [int(x) for x in start.reshape(-1)], "dtype": np.dtype(space.dtype).name}
    if kind == "MultiBinary":
        return {"type": "MultiBinary", "shape": list(space.shape)}
    if kind == "Dict":
        return {"type": "Dict", "spaces": [[key, describe(sub)] for key, sub in space.spaces.items()]}
    if kind == "Tuple":
        return {"type": "Tuple", "spaces": [describe(sub) for sub in space.spaces]}
    return {"type": "Unsupported", "class": kind, "repr": repr(space)}


def _bounds(array):
    flat = np.asarray(array, dtype=np.float64).reshape(-1)
    if flat.size > 0 and (np.all(flat == flat[0]) or np.all(np.isnan(flat))):
        return number(flat[0])
    return [number(x) for x in flat]


# ---- wire layout -----------------------------------------------------------------------------------------------------


class Codec:
    """Encodes values of a described space into its wire layout and back: the leaves' raw little-endian C-order arrays,
    concatenated in the description's order."""

    def __init__(self, description):
        self.description = description
        self.leaves = []  # (kind, dtype, shape, offset, nbytes)
        self.size = self._add(description, 0)

    def _add(self, d, offset):
        t = d["type"]
        if t == "Box":
            return self._leaf("array", np.dtype(d["dtype"]), tuple(d["shape"]), offset)
        if t == "Discrete":
            return self._leaf("int", np.dtype("<i8"), (), offset)
        if t == "MultiDiscrete":
            return self._leaf("array", np.dtype(d.get("dtype", "int64")), tuple(d["shape"]), offset)
        if t == "MultiBinary":
            return self._leaf("array", np.dtype("i1"), tuple(d["shape"]), offset)
        if t in ("Dict", "Tuple"):
            for sub in d["spaces"]:
                offset = self._add(sub[1] if t == "Dict" else sub, offset)
            return offset
        raise BridgeError(f"space {d.get('repr', t)} has no wire layout")

    def _leaf(self, kind, dtype, shape, offset):
        dtype = dtype.newbyteorder("<")
        nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        self.leaves.append((kind, dtype, shape, offset, nbytes))
        return offset + nbytes

    def writers(self, buffer, offset, count):
        """For count consecutive values starting at offset in buffer: a function (j, value) that writes value j."""
        views = [[np.ndarray(shape, dtype, buffer=buffer, offset=offset + j * self.size + leaf_offset)
                  for (_, dtype, shape, leaf_offset, _) in self.leaves] for j in range(count)]
        d = self.description

        if len(self.leaves) == 1:
            def write_one(j, value):
                views[j][0][...] = value
            return write_one

        def write_nested(j, value):
            it = iter(views[j])
            _write(d, value, it)
        return write_nested

    def read(self, buffer, offset, count, copy=True):
        """count values starting at offset, as Python values (int, arrays, dicts, tuples)."""
        values = []
        for j in range(count):
            it = iter(self.leaves)
            values.append(_read(self.description, buffer, offset + j * self.size, it, copy))
        return values


def _write(d, value, views):
    t = d["type"]
    if t == "Dict":
        for key, sub in d["spaces"]:
            _write(sub, value[key], views)
    elif t == "Tuple":
        for sub, v in zip(d["spaces"], value):
            _write(sub, v, views)
    else:
        next(views)[...] = value


def _read(d, buffer, base, leaves, copy):
    t = d["type"]
    if t == "Dict":
        return {key: _read(sub, buffer, base, leaves, copy) for key, sub in d["spaces"]}
    if t == "Tuple":
        return tuple(_read(sub, buffer, base, leaves, copy) for sub in d["spaces"])
    kind, dtype, shape, offset, nbytes = next(leaves)
    array = np.frombuffer(buffer, dtype=dtype, count=nbytes // dtype.itemsize, offset=base + offset).reshape(shape)
    if kind == "int":
        return int(array[()])
    return array.astype(dtype.newbyteorder("="), copy=True) if copy else array


# ---- building spaces from descriptions --------------------------------------------------------------------------------


def build(description):
    """A space object for a description: Gymnasium's when it is installed, else the small classes below."""
    try:
        import gymnasium.spaces as g
    except ImportError:
        g = None
    return _build(description, g)


def _build(d, g):
    t = d["type"]
    mod = g if g is not None else _local
    if t == "Box":
        shape = tuple(d["shape"])
        low = _unbound(d["low"], shape)
        high = _unbound(d["high"], shape)
        return mod.Box(low=low, high=high, shape=shape, dtype=np.dtype(d["dtype"]))
    if t == "Discrete":
        return mod.Discrete(d["n"], start=d["start"])
    if t == "MultiDiscrete":
        shape = tuple(d["shape"])
        return mod.MultiDiscrete(np.asarray(d["nvec"], dtype=np.int64).reshape(shape), dtype=np.dtype(d["dtype"]),
                                 start=np.asarray(d["start"], dtype=np.int64).reshape(shape))
    if t == "MultiBinary":
        shape = d["shape"]
        return mod.MultiBinary(shape[0] if len(shape) == 1 else shape)
    if t == "Dict":
        from collections import OrderedDict
        return mod.Dict(OrderedDict((key, _build(sub, g)) for key, sub in d["spaces"]))
    if t == "Tuple":
        return mod.Tuple(tuple(_build(sub, g) for sub in d["spaces"]))
    raise BridgeError(f"cannot build space {d.get('repr', t)}")


def _unbound(value, shape):
    if isinstance(value, list):
        return np.asarray([from_number(x) for x in value], dtype=np.float64).reshape(shape)
    return np.full(shape, from_number(value), dtype=np.float64)


class _local:
    """Minimal stand-ins for gymnasium.spaces (shape, dtype, sample, contains, seed), used when Gymnasium is absent."""

    class Space:
        def __init__(self, shape, dtype, seed=None):
            self.shape = shape
            self.dtype = None if dtype is None else np.dtype(dtype)
            self.np_random = np.random.default_rng(seed)

        def seed(self, seed=None):
            self.np_random = np.random.default_rng(seed)
            return [seed]

        def __contains__(self, x):
            return self.contains(x)

    class Box(Space):
        def __init__(self, low, high, shape=None, dtype=np.float32, seed=None):
            shape = tuple(shape) if shape is not None else np.shape(low)
            super().__init__(shape, dtype, seed)
            self.low = np.broadcast_to(np.asarray(low, dtype=self.dtype if self.dtype.kind == "f" else np.float64), shape).astype(self.dtype)
            self.high = np.broadcast_to(np.asarray(high, dtype=self.dtype if self.dtype.kind == "f" else np.float64), shape).astype(self.dtype)

        def sample(self):
            low, high = self.low.astype(np.float64), self.high.astype(np.float64)
            low = np.where(np.isfinite(low), low, -1e6)
            high = np.where(np.isfinite(high), high, 1e6)
            if self.dtype.kind in "iub":
                return self.np_random.integers(low, high + 1, size=self.shape).astype(self.dtype)
            return self.np_random.uniform(low, high, size=self.shape).astype(self.dtype)

        def contains(self, x):
            x = np.asarray(x)
            return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

        def __repr__(self):
            return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"

        def __eq__(self, other):
            return (type(other).__name__ == "Box" and self.shape == other.shape and self.dtype == other.dtype
                    and np.array_equal(self.low, other.low) and np.array_equal(self.high, other.high))

    class Discrete(Space):
        def __init__(self, n, seed=None, start=0):
            super().__init__((), np.int64, seed)
            self.n = int(n)
            self.start = int(start)

        def sample(self):
            return int(self.start + self.np_random.integers(self.n))

        def contains(self, x):
            try:
                v = int(x)
            except (TypeError, ValueError):
                return False
            return v == x and self.start <= v < self.start + self.n

        def __repr__(self):
            return f"Discrete({self.n})" if self.start == 0 else f"Discrete({self.n}, start={self.start})"

        def __eq__(self, other):
            return type(other).__name__ == "Discrete" and self.n == other.n and self.start == other.start

    class MultiDiscrete(Space):
        def __init__(self, nvec, dtype=np.int64, seed=None, start=None):
            self.nvec = np.asarray(nvec, dtype=np.int64)
            super().__init__(self.nvec.shape, dtype, seed)
            self.start = np.zeros_like(self.nvec) if start is None else np.asarray(start, dtype=np.int64)

        def sample(self):
            return (self.start + (self.np_random.random(self.nvec.shape) * self.nvec).astype(np.int64)).astype(self.dtype)

        def contains(self, x):
            x = np.asarray(x)
            return x.shape == self.shape and bool(np.all(x >= self.start) and np.all(x < self.start + self.nvec))

        def __repr__(self):
            return f"MultiDiscrete({self.nvec.tolist()})"

    class MultiBinary(Space):
        def __init__(self, n, seed=None):
            shape = (int(n),) if np.isscalar(n) else tuple(n)
            super().__init__(shape, np.int8, seed)
            self.n = n

        def sample(self):
            return self.np_random.integers(0, 2, size=self.shape, dtype=np.int8)

        def contains(self, x):
            x = np.asarray(x)
            return x.shape == self.shape and bool(np.all((x == 0) | (x == 1)))

        def __repr__(self):
            return f"MultiBinary({self.n})"

    class Dict(Space):
        def __init__(self, spaces=None, seed=None):
            super().__init__(None, None, seed)
            self.spaces = dict(spaces or {})

        def sample(self):
            return {k: s.sample() for k, s in self.spaces.items()}

        def contains(self, x):
            return isinstance(x, dict) and x.keys() == self.spaces.keys() and all(s.contains(x[k]) for k, s in self.spaces.items())

        def __getitem__(self, key):
            return self.spaces[key]

        def __repr__(self):
            return "Dict(" + ", ".join(f"{k!r}: {s}" for k, s in self.spaces.items()) + ")"

    class Tuple(Space):
        def __init__(self, spaces, seed=None):
            super().__init__(None, None, seed)
            self.spaces = tuple(spaces)

        def sample(self):
            return tuple(s.sample() for s in self.spaces)

        def contains(self, x):
            return isinstance(x, tuple) and len(x) == len(self.spaces) and all(s.contains(v) for s, v in zip(self.spaces, x))

        def __getitem__(self, i):
            return self.spaces[i]

        def __repr__(self):
            return "Tuple(" + ", ".join(map(repr, self.spaces)) + ")"


Box = _local.Box
Discrete = _local.Discrete
MultiDiscrete = _local.MultiDiscrete
MultiBinary = _local.MultiBinary
Dict = _local.Dict
Tuple = _local.Tuple
