"""Keras weight files in the layout Keras 2's `model.save_weights("w.h5")` writes (h5py), for `research import weights`.

No TensorFlow here, so the files are written with h5py in Keras's documented HDF5 layout: root attributes `layer_names`
(byte strings, in model order), `backend`, `keras_version`; one group per layer with attribute `weight_names`
(`<layer>/kernel:0`, `<layer>/bias:0`) and the datasets at `<layer>/<layer>/kernel:0` (kernel [inputs, outputs]).
The layers are RLlib's default fully connected model for CartPole (what `import_model("weights.h5")` reads):
fc_1, fc_2 (tanh), fc_out (logits), then fc_value_1, fc_value_2, value_out; plus an `input` layer without weights.
Also writes the same weights inside `model_weights/` (Keras's full-model `model.save` layout), a file with a layer
missing and one with a wrong shape, and keras_expected.json: logits and values that a tanh MLP with these weights
computes on fixed observations (NumPy, float64 then rounded to float32).
Writes tests/Research.Interop.Tests/golden/keras/. Run: /usr/bin/python3 tools/keras/make_h5_fixture.py
"""
import json
import pathlib

import h5py
import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[2] / "tests/Research.Interop.Tests/golden/keras"
OUT.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(5)
SIZES = [("fc_1", 4, 16), ("fc_2", 16, 16), ("fc_out", 16, 2), ("fc_value_1", 4, 8), ("fc_value_2", 8, 8), ("value_out", 8, 1)]
LAYERS = {name: (rng.normal(0, 0.5, (i, o)).astype(np.float32), rng.normal(0, 0.1, (o,)).astype(np.float32)) for name, i, o in SIZES}


def write(path, layers, root=None):
    with h5py.File(path, "w") as f:
        group = f if root is None else f.create_group(root)
        names = ["input"] + [name for name, _ in layers]
        group.attrs["layer_names"] = np.array([n.encode() for n in names])
        group.attrs["backend"] = b"tensorflow"
        group.attrs["keras_version"] = b"2.11.0"
        g = group.create_group("input")
        g.attrs["weight_names"] = np.array([], dtype="S1")
        for name, (kernel, bias) in layers:
            g = group.create_group(name)
            g.attrs["weight_names"] = np.array([f"{name}/kernel:0".encode(), f"{name}/bias:0".encode()])
            inner = g.create_group(name)
            inner.create_dataset("kernel:0", data=kernel)
            inner.create_dataset("bias:0", data=bias)


layers = list(LAYERS.items())
write(OUT / "rllib_fc.h5", layers)
write(OUT / "rllib_fc_model.h5", layers, root="model_weights")
write(OUT / "missing_layer.h5", [l for l in layers if l[0] != "fc_out"])
bad = dict(LAYERS)
bad["fc_2"] = (rng.normal(size=(16, 12)).astype(np.float32), np.zeros(12, np.float32))
write(OUT / "wrong_shape.h5", list(bad.items()))

obs = rng.uniform(-1, 1, (6, 4)).astype(np.float32)
h = obs.astype(np.float64)
for name in ("fc_1", "fc_2"):
    h = np.tanh(h @ LAYERS[name][0] + LAYERS[name][1])
logits = h @ LAYERS["fc_out"][0] + LAYERS["fc_out"][1]
v = obs.astype(np.float64)
for name in ("fc_value_1", "fc_value_2"):
    v = np.tanh(v @ LAYERS[name][0] + LAYERS[name][1])
values = (v @ LAYERS["value_out"][0] + LAYERS["value_out"][1])[:, 0]
(OUT / "keras_expected.json").write_text(json.dumps({"observations": obs.tolist(), "logits": logits.tolist(), "values": values.tolist()}, indent=1) + "\n")
print("wrote", sorted(p.name for p in OUT.iterdir()))
