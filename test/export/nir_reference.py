"""A small NIR reference for test/export/nir.test.ts: reads a .nir file with h5py (NIR's layout: root
`version`, `node` of type NIRGraph with `nodes/<name>` and `edges`), checks what it holds, and
simulates the graph step by step with forward Euler over the file's dt:

    LIF  v ← v + (dt/τ)·(v_leak − v + r·I);  z = v ≥ v_threshold;  v ← v_reset where z
    IF   v ← v + dt·r·I;                     same fire and reset
    Conv2d/Conv1d/Affine/Linear/AvgPool2d/Flatten as NIR defines them; Input repeats the frame.

(The ≥ is the engine's fire; NIR's texts write >, which differs only at equality.)

    python3 nir_reference.py FILE.nir INPUT.bin N  → JSON: the layout, spikes per LIF/IF node (per step,
    [N·numel]), outputs per step, and per sample the smallest |v − v_threshold| any neuron saw
"""
import json
import sys

import h5py
import numpy as np
import torch
import torch.nn.functional as F


def read(path):
    f = h5py.File(path, "r")
    g = f["node"]
    nodes = {}
    for name, n in g["nodes"].items():
        nodes[name] = {k: v[()] for k, v in n.items() if isinstance(v, h5py.Dataset)}
        nodes[name]["type"] = nodes[name]["type"].decode()
        if "metadata" in n:
            nodes[name]["metadata"] = {k: v[()] for k, v in n["metadata"].items()}
    edges = [(a.decode(), b.decode()) for a, b in g["edges"][()]]
    layout = {
        "version": f["version"][()].decode(),
        "graph_type": g["type"][()].decode(),
        "dt": float(g["metadata"]["dt"][()]),
        "root_attrs": {k: (v.decode() if isinstance(v, bytes) else (v.item() if hasattr(v, "item") else v)) for k, v in f.attrs.items()},
        "nodes": {k: {"type": v["type"], "arrays": {a: list(np.shape(x)) for a, x in v.items() if a not in ("type", "metadata")}} for k, v in nodes.items()},
        "edges": edges,
    }
    return nodes, edges, layout


def order(nodes, edges):
    """Nodes in topological order from Input; each non-input node has one incoming edge."""
    src = {b: a for a, b in edges}
    done, out = set(), []
    while len(out) < len(nodes):
        for n in nodes:
            if n not in done and (nodes[n]["type"] == "Input" or src.get(n) in done):
                done.add(n)
                out.append(n)
    return out, src


def simulate(nodes, edges, x, steps, dt):
    seq, src = order(nodes, edges)
    state, spikes, outputs = {}, {}, []
    margin = torch.full((x.shape[0],), float("inf"), dtype=torch.float64)
    t64 = lambda a: torch.from_numpy(np.asarray(a, dtype=np.float64))
    for _ in range(steps):
        val = {}
        for name in seq:
            n = nodes[name]
            kind = n["type"]
            i = val.get(src.get(name))
            if kind == "Input":
                y = x
            elif kind == "Conv2d":
                y = F.conv2d(i, t64(n["weight"]), t64(n["bias"]), tuple(n["stride"]), tuple(n["padding"]), tuple(n["dilation"]), int(n["groups"]))
            elif kind == "Conv1d":
                y = F.conv1d(i, t64(n["weight"]), t64(n["bias"]), int(n["stride"]), int(n["padding"]), int(n["dilation"]), int(n["groups"]))
            elif kind == "Affine":
                y = F.linear(i, t64(n["weight"]), t64(n["bias"]))
            elif kind == "Linear":
                y = F.linear(i, t64(n["weight"]))
            elif kind == "AvgPool2d":
                y = F.avg_pool2d(i, tuple(n["kernel_size"]), tuple(n["stride"]), tuple(n["padding"]))
            elif kind == "Flatten":
                y = i.flatten(1 + int(n["start_dim"]), int(n["end_dim"]))
            elif kind in ("LIF", "IF"):
                v = state.get(name, t64(n["v_reset"]).expand_as(i).clone())
                if kind == "LIF":
                    v = v + (dt / t64(n["tau"])) * (t64(n["v_leak"]) - v + t64(n["r"]) * i)
                else:
                    v = v + dt * t64(n["r"]) * i
                gap = (v - t64(n["v_threshold"])).abs().flatten(1).min(1).values
                margin = torch.minimum(margin, gap)
                z = (v >= t64(n["v_threshold"])).to(v.dtype)
                state[name] = torch.where(z > 0, t64(n["v_reset"]).expand_as(v), v)
                spikes.setdefault(name, []).append(z.reshape(-1).tolist())
                y = z
            elif kind == "Threshold":
                y = (i > t64(n["threshold"])).to(i.dtype)
            elif kind == "Output":
                y = i
                outputs.append(i.reshape(-1).tolist())
            else:
                raise ValueError("no reference for NIR node type %s" % kind)
            val[name] = y
    return spikes, outputs, margin.tolist()


def main(path, input_path, batch):
    nodes, edges, layout = read(path)
    shape = [int(s) for s in nodes["input"]["shape"]]
    x = torch.from_numpy(np.fromfile(input_path, dtype=np.float32).astype(np.float64).reshape(batch, *shape))
    steps = int(layout["root_attrs"]["time_steps"])
    spikes, outputs, margins = simulate(nodes, edges, x, steps, layout["dt"])
    print(json.dumps({"layout": layout, "spikes": spikes, "outputs": outputs, "margins": margins}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
