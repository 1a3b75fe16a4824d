#!/usr/bin/python3
"""PyTorch eager peer for SNN Studio's inference benchmark.

Builds the same network as the ONNX model in PyTorch, from the primitive IR that SNN Studio lowers a
document to (exported by bench/peers/export.ts as JSON + one binary file of parameters and
constants), loads our parameters, and times eager inference under torch.inference_mode().

Every IR op becomes the torch call a hand-written model would make (F.conv2d, F.batch_norm,
F.linear, torch.matmul, F.max_pool2d, views); spiking neurons are the SpikingJelly multi-step loop
over T written from the spec (charge, fire, reset; spec §1.1), not the engine's rewritten form.
The program is resolved into a list of closures before timing, so the interpreter adds one Python
call per op and nothing else.

    /usr/bin/python3 bench/peers/infer_peer.py --model m.json --blob m.bin --input x.bin \
        --out logits.bin [--threads 2] [--warmup 3] [--min-runs 5] [--min-seconds 3]

prints one JSON line: {"median_ms", "min_ms", "times_ms", "runs", "threads", "torch", "blas"}.
Run it with OMP_WAIT_POLICY=PASSIVE (bench/peers/peer.ts does): with GNU OpenMP's default
spin-wait, torch's OpenMP threads and OpenBLAS's pthreads fight over the 2 cores.
With --serve it loads the model, warms up, prints {"ready": true, ...} and then answers one JSON
line per request line: {"runs": n} -> {"times_ms": [...]}, {"out": path} -> writes the logits,
{"quit": true} -> exits. The benchmark uses this to interleave PyTorch and ORT runs, so that both
see the same machine load.
"""
import argparse
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--blob", required=True)
    ap.add_argument("--input", required=True)
    ap.add_argument("--out")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--min-runs", type=int, default=5)
    ap.add_argument("--max-runs", type=int, default=50)
    ap.add_argument("--min-seconds", type=float, default=3.0)
    ap.add_argument("--serve", action="store_true")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    with open(args.model) as f:
        desc = json.load(f)
    blob = np.fromfile(args.blob, dtype=np.uint8)
    run = build(desc, blob)
    in_shape = desc["values"][desc["input"]]
    x = torch.from_numpy(np.fromfile(args.input, dtype=np.float32).reshape(in_shape))

    info = {"threads": torch.get_num_threads(), "torch": torch.__version__, "blas": blas_name(),
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "default")}
    if args.serve:
        return serve(run, x, args.warmup, info)
    with torch.inference_mode():
        for _ in range(args.warmup):
            y = run(x)
        times = []
        started = time.perf_counter()
        while len(times) < args.max_runs and (len(times) < args.min_runs or time.perf_counter() - started < args.min_seconds):
            t0 = time.perf_counter()
            y = run(x)
            times.append((time.perf_counter() - t0) * 1000.0)
    if args.out:
        y.contiguous().numpy().astype(np.float32).tofile(args.out)
    print(json.dumps(dict(info, median_ms=statistics.median(times), min_ms=min(times), times_ms=times, runs=len(times))))


def serve(run, x, warmup, info):
    with torch.inference_mode():
        y = None
        for _ in range(warmup):
            y = run(x)
        print(json.dumps(dict(info, ready=True)), flush=True)
        for line in sys.stdin:
            req = json.loads(line)
            if req.get("quit"):
                break
            if "out" in req:
                (y if y is not None else run(x)).contiguous().numpy().astype(np.float32).tofile(req["out"])
                print(json.dumps({"ok": True}), flush=True)
                continue
            times = []
            for _ in range(int(req.get("runs", 1))):
                t0 = time.perf_counter()
                y = run(x)
                times.append((time.perf_counter() - t0) * 1000.0)
            print(json.dumps({"times_ms": times}), flush=True)
    return 0


def blas_name():
    try:
        with open("/proc/self/maps") as f:
            maps = f.read()
        for name in ("openblas", "mkl", "blis", "atlas"):
            if name in maps:
                return name
        return "reference" if "libblas" in maps else "unknown"
    except OSError:
        return "unknown"


# ---------------------------------------------------------------------------------------------
# IR → closures
# ---------------------------------------------------------------------------------------------

def build(desc, blob):
    """Returns run(x) -> output tensor. Parameters and constants are loaded once."""
    env = {}
    for t in desc["tensors"]:
        dtype = np.float32 if t["dtype"] == "float32" else np.int64
        arr = blob[t["offset"]:t["offset"] + t["bytes"]].view(dtype).reshape(t["shape"])
        env[t["value"]] = torch.from_numpy(arr.copy())
    steps = []
    for node in desc["nodes"]:
        make = OPS.get(node["op"])
        if make is None:
            raise SystemExit("infer_peer: IR op %r has no PyTorch form here" % node["op"])
        steps.append((make(node["attrs"], [desc["values"][i] for i in node["inputs"]]), node["inputs"], node["outputs"]))
    inp, out = desc["input"], desc["output"]
    consts = dict(env)

    def run(x):
        vals = dict(consts)
        vals[inp] = x
        for fn, ins, outs in steps:
            res = fn(*[vals[i] for i in ins])
            if len(outs) == 1:
                vals[outs[0]] = res
            else:
                for o, r in zip(outs, res):
                    vals[o] = r
        return vals[out]

    return run


def pair_pads(pads):
    # ONNX pads [top, left, bottom, right]; PyTorch pads symmetrically
    if pads[0] != pads[2] or pads[1] != pads[3]:
        raise SystemExit("infer_peer: asymmetric padding %r" % (pads,))
    return (pads[0], pads[1])


def neuron(a, _shapes):
    """SpikingJelly 0.0.0.0.12 multi-step node over x [T, M] (spec §1.1): charge, fire, reset."""
    charge_kind, tau, decay_input = a["charge"], a["tau"], a["decayInput"]
    v_reset, v_th, strict, post = a["vReset"], a["threshold"], a["strict"], a["postResetDecay"]
    vr = 0.0 if v_reset is None else v_reset

    def run(x, w=None):
        if charge_kind == "plif":
            k = torch.sigmoid(w.reshape(()))
        elif charge_kind == "lif":
            k = 1.0 / tau
        if charge_kind in ("lif", "plif"):
            if decay_input:
                charge = (lambda v, xt: v + (xt - v) * k) if vr == 0.0 else (lambda v, xt: v + (xt - (v - vr)) * k)
            else:
                charge = (lambda v, xt: v * (1.0 - k) + xt) if vr == 0.0 else (lambda v, xt: v - (v - vr) * k + xt)
        else:  # if, dhs
            charge = lambda v, xt: v + xt
        v = torch.full_like(x[0], vr)
        out = torch.empty_like(x)
        for t in range(x.shape[0]):
            h = charge(v, x[t])
            s = (h > v_th) if strict else (h >= v_th)
            s = s.to(x.dtype)
            out[t] = s
            if v_reset is None:
                v = h - s * v_th
            else:
                v = h * (1.0 - s) + s * vr if vr != 0.0 else h * (1.0 - s)
            if post != 1:
                v = v * post
        return out

    return run


def reduce(fn):
    def make(a, _shapes):
        axes = tuple(a["axes"])
        keep = bool(a["keepdims"])
        return lambda x: fn(x, dim=axes, keepdim=keep)
    return make


def sl(a, _shapes):
    idx = [slice(None)] * 8
    def run(x):
        i = list(idx[:x.dim()])
        i[a["axis"]] = slice(a["start"], a["end"])
        return x[tuple(i)]
    return run


OPS = {
    "add": lambda a, s: torch.add,
    "sub": lambda a, s: torch.sub,
    "mul": lambda a, s: torch.mul,
    "div": lambda a, s: torch.div,
    "relu": lambda a, s: torch.relu,
    "sigmoid": lambda a, s: torch.sigmoid,
    "tanh": lambda a, s: torch.tanh,
    "exp": lambda a, s: torch.exp,
    "neg": lambda a, s: torch.neg,
    "identity": lambda a, s: (lambda x: x),
    "dropout": lambda a, s: (lambda x: x),
    "gelu": lambda a, s: F.gelu,
    "scale": lambda a, s: (lambda x, f=a["factor"]: x * f),
    "shift": lambda a, s: (lambda x, c=a["offset"]: x + c),
    "reshape": lambda a, s: (lambda x, shape=tuple(a["shape"]): x.reshape(shape)),
    "transpose": lambda a, s: (lambda x, perm=tuple(a["perm"]): x.permute(perm)),
    "expand": lambda a, s: (lambda x, shape=tuple(a["shape"]): x.expand(shape)),
    "concat": lambda a, s: (lambda *xs: torch.cat(xs, dim=a["axis"])),
    "slice": sl,
    "pad": lambda a, s: (lambda x, p=a["pads"]: F.pad(x, [v for i in reversed(range(len(p) // 2)) for v in (p[i], p[len(p) // 2 + i])])),
    "reduce_mean": reduce(torch.mean),
    "reduce_sum": reduce(torch.sum),
    "matmul": lambda a, s: torch.matmul,
    "linear": lambda a, s: F.linear,
    "conv2d": lambda a, s: (lambda x, w, b=None: F.conv2d(x, w, b, tuple(a["stride"]), pair_pads(a["pads"]), tuple(a["dilation"]), a["groups"])),
    "batchnorm": lambda a, s: (lambda x, w, b, m, v: F.batch_norm(x, m, v, w, b, False, 0.0, a["eps"])),
    "layernorm": lambda a, s: (lambda x, w, b: F.layer_norm(x, (x.shape[-1],), w, b, a["eps"])),
    "softmax": lambda a, s: (lambda x: torch.softmax(x, a["axis"])),
    "log_softmax": lambda a, s: (lambda x: torch.log_softmax(x, a["axis"])),
    "maxpool2d": lambda a, s: (lambda x: F.max_pool2d(x, tuple(a["kernel"]), tuple(a["stride"]), pair_pads(a["pads"]))),
    "avgpool2d": lambda a, s: (lambda x: F.avg_pool2d(x, tuple(a["kernel"]), tuple(a["stride"]), pair_pads(a["pads"]), False, a.get("countIncludePad", True) is not False)),
    "heaviside": lambda a, s: (lambda x: ((x > a["threshold"]) if a["strict"] else (x >= a["threshold"])).to(x.dtype)),
    "neuron": neuron,
}


if __name__ == "__main__":
    sys.exit(main())
