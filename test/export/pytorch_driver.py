"""Runs an SNN Studio PyTorch export on given inputs, for test/export/pytorch.test.ts.

    python3 pytorch_driver.py EXPORT_DIR REQUEST_JSON

Request: {"x": file of float32 inputs, "shape": [...], "mode": "eval" | "grad", "r": file of float32
cotangents (grad mode)}. With "min_margin": x holds candidate batches [K, *shape] (and in grad mode r
K cotangents); the first whose every neuron stays min_margin from its threshold is used ("candidate"). The model runs in float64. Prints one JSON object: logits, margin (the
smallest nonzero |H − θ| any neuron saw: the distance from a spike flip), and in grad mode the gradients of
Σ logits·r for every parameter (train-mode BatchNorm) and the running statistics after the step;
margins: that distance per sample; rates: each neuron layer's firing rate, in forward order.
"""
import json
import sys

import numpy as np
import torch


def main(export_dir, request_path):
    sys.path.insert(0, export_dir)
    import model as snn

    req = json.load(open(request_path))
    torch.set_num_threads(1)
    margins = []
    batch = [int(req["shape"][0])]
    spike = snn.Spike

    class Recorded(spike):
        @staticmethod
        def forward(ctx, x, surrogate, strict):
            # every neuron input is one step [B, ...]: the closest call per sample. An exact tie
            # (H − θ == 0: spike counts times a power-of-two scale against θ = 0.5) is computed
            # exactly in float32 too, so it is not a near miss
            d = x.detach().abs().flatten(1)
            m = torch.where(d == 0, torch.full_like(d, float("inf")), d).min(1).values
            # a neuron walking the merged T·B rows (merge_rows) steps one sample at a time, and its
            # membrane couples the samples: its closest call counts against every sample
            margins.append(m if m.shape[0] == batch[0] else m.min().expand(batch[0]))
            return spike.forward(ctx, x, surrogate, strict)

    snn.Spike = Recorded
    net = snn.load_weights(snn.Model(), export_dir + "/weights.safetensors").double()
    rates = {}
    neurons = tuple(c for c in (getattr(snn, "SpikingNeuron", None), getattr(snn, "PSN", None)) if c is not None)
    for name, m in net.named_modules():
        if isinstance(m, neurons):
            m.register_forward_hook(lambda mod, inp, out, name=name: rates.__setitem__(name, out.detach().mean().item()))
    raw = np.fromfile(req["x"], dtype=np.float32).astype(np.float64)
    out = {}
    if req["mode"] == "eval":
        # with "min_margin": x holds candidate batches; the first whose every neuron stays that far from its threshold is used
        k = len(raw) // int(np.prod(req["shape"]))
        xs = raw.reshape(k, *req["shape"])
        net.eval()
        for c in range(k):
            margins.clear()
            x = torch.from_numpy(xs[c])
            with torch.no_grad():
                y = net(x)
            if torch.stack(margins).min().item() >= req.get("min_margin", 0.0):
                break
        if "min_margin" in req:
            out["candidate"] = c
    else:
        net.train()
        k = len(raw) // int(np.prod(req["shape"]))
        xs = raw.reshape(k, *req["shape"])
        rs = np.fromfile(req["r"], dtype=np.float32).astype(np.float64).reshape(k, -1)
        state = {n: b.clone() for n, b in net.named_buffers()}
        for c in range(k):
            for n, b in net.named_buffers():
                b.copy_(state[n])
            net.zero_grad(set_to_none=True)
            margins.clear()
            x = torch.from_numpy(xs[c])
            y = net(x)
            if torch.stack(margins).min().item() >= req.get("min_margin", 0.0):
                break
        r = torch.from_numpy(rs[c]).reshape(y.shape)
        (y * r).sum().backward()
        out["candidate"] = c
        out["grads"] = {n: p.grad.reshape(-1).tolist() for n, p in net.named_parameters() if p.grad is not None}
        out["buffers"] = {n: b.reshape(-1).tolist() for n, b in net.named_buffers()}
    out["logits"] = y.detach().reshape(-1).tolist()
    per_sample = torch.stack(margins).min(0).values if margins else torch.full((x.shape[0],), float("inf"))
    out["margins"] = per_sample.tolist()
    out["margin"] = per_sample.min().item()
    out["rates"] = list(rates.items())
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
