#!/usr/bin/env python3
"""Independent PyTorch reference for SNN Studio's engine tests.

Written from /work/shared/specs/snn-architectures.md (sections 0, 1, 3.3, 3.4, 5.3, 5.7, 6.1, 8.1),
never from the engine's code, so that the engine's forward outputs and gradients can be checked
against it.  Run with Debian's interpreter, which has torch 1.13:

    /usr/bin/python3 test/reference/torch_ref.py < request.json      # one request, one response
    /usr/bin/python3 test/reference/torch_ref.py --serve             # newline-delimited JSON, many

Wire format (both directions): an array is {"shape": [...], "dtype": "f32"|"f64"|"i64"|"i32",
"data": "<base64 of the little-endian bytes, C order>"} ("data" may also be a plain JSON list).

Request:  {"op": NAME, "params": {...}, "inputs": {...}, "weights": {...}, "buffers": {...},
           "dtype": "float32"|"float64", "grad": {output_name: cotangent}, "id": any}
Response: {"outputs": {...}, "grads": {"inputs": {...}, "weights": {...}}, "id": ...}
          ("grads" only when "grad" was given: gradients of sum_o <out_o, grad_o>;
           every float input and weight gets an entry, zeros where it does not influence.)
Error:    {"error": "message"} and exit status 1 (in --serve mode the process goes on).

All tensors are time-major where a time axis exists (first axis T).  Per-op request formats are
documented on each op function below (the docstring of every @op); `--help` prints them all.

Surrogates (param "surrogate" of every neuron op: a name or {"name": ..., params}); forward
Θ(x) = 1 iff x >= 0 with x = H - V_th, backward g'(x) of spec table 1.2:
  sigmoid (alpha 4)              alpha·σ(alpha·x)·(1 - σ(alpha·x))
  atan (alpha 2)                 (alpha/2) / (1 + (π/2·alpha·x)²)
  piecewise_quadratic (alpha 1)  max(0, alpha - alpha²·|x|)
  rectangle (alpha 1)            alpha if |x| < 0.5/alpha else 0
  piecewise_leaky_relu (w 1, c 0.01)  1/(2w) if |x| <= w else c
  soft_sign (alpha 2)            alpha / (2·(1 + |alpha·x|)²)
  piecewise_exp (alpha 1)        (alpha/2)·exp(-alpha·|x|)
  dspike (b 3, c 0.3)            b·(1 - tanh²(b·x)) / (2·tanh(b/2)) if -c < x < 1 - c else 0
                                 (spec 8.1's membrane form with m = x + c; the spikedhs_neuron
                                 op uses the membrane form directly)
"""

import base64
import json
import math
import os
import sys
import traceback

import numpy as np
import torch
import torch.nn.functional as F


class RefError(Exception):
    """A request the reference refuses (bad op, param, shape); reported as {"error": ...}."""


OPS = {}


def main(argv):
    torch.set_num_threads(int(os.environ.get("TORCH_REF_THREADS", "1")))
    if "--help" in argv or "-h" in argv:
        sys.stdout.write(describe())
        return 0
    if "--serve" in argv:
        for line in sys.stdin:
            if not line.strip():
                continue
            response, _ok = handle_line(line)
            sys.stdout.write(json.dumps(response) + "\n")
            sys.stdout.flush()
        return 0
    response, ok = handle_line(sys.stdin.read())
    sys.stdout.write(json.dumps(response) + "\n")
    sys.stdout.flush()
    return 0 if ok else 1


def describe():
    """Module docstring plus every op's request format (its docstring)."""
    parts = [__doc__.strip(), "", "Ops:"]
    for name in sorted(OPS):
        spec = OPS[name]
        parts.append("")
        parts.append("%s  inputs=%s optional_inputs=%s weights=%s optional_weights=%s buffers=%s params=%s" % (
            name, list(spec["inputs"]), list(spec["optional_inputs"]), list(spec["weights"]),
            list(spec["optional_weights"]), list(spec["buffers"]), sorted(spec["params"])))
        parts.append("    " + (spec["fn"].__doc__ or "").strip().replace("\n    ", "\n    "))
    return "\n".join(parts) + "\n"


def handle_line(text):
    req_id = None
    try:
        req = json.loads(text)
        if not isinstance(req, dict):
            raise RefError("request must be a JSON object")
        req_id = req.get("id")
        response = handle(req)
        ok = True
    except RefError as e:
        response, ok = {"error": str(e)}, False
    except Exception as e:  # an unexpected failure is still one JSON answer, with the trace
        response, ok = {"error": "%s: %s\n%s" % (type(e).__name__, e, traceback.format_exc())}, False
    if req_id is not None:
        response["id"] = req_id
    return response, ok


def handle(req):
    known = {"op", "params", "inputs", "weights", "buffers", "dtype", "grad", "id"}
    extra = set(req) - known
    if extra:
        raise RefError("unknown request keys %s" % sorted(extra))
    name = req.get("op")
    if name not in OPS:
        raise RefError("unknown op %r (known: %s)" % (name, ", ".join(sorted(OPS))))
    spec = OPS[name]
    dtype_name = req.get("dtype", "float32")
    if dtype_name not in ("float32", "float64"):
        raise RefError('dtype must be "float32" or "float64", got %r' % (dtype_name,))
    dtype = torch.float32 if dtype_name == "float32" else torch.float64
    torch.set_default_dtype(dtype)

    params = req.get("params") or {}
    bad = set(params) - set(spec["params"])
    if bad:
        raise RefError("op %s: unknown params %s (allowed: %s)" % (name, sorted(bad), sorted(spec["params"])))

    want_grad = req.get("grad") is not None
    inputs = load_group(req.get("inputs"), spec["inputs"], spec["optional_inputs"], "inputs", name, dtype, want_grad,
                        spec["no_grad"])
    weights = load_group(req.get("weights"), spec["weights"], spec["optional_weights"], "weights", name, dtype, want_grad)
    buffers = load_group(req.get("buffers"), (), spec["buffers"], "buffers", name, dtype, False)

    ctx = Ctx(params, inputs, weights, buffers, dtype, name)
    outputs = spec["fn"](ctx)

    response = {"outputs": {k: encode(v) for k, v in outputs.items()}}
    if name == "version":
        response["info"] = {"torch": torch.__version__, "python": sys.version.split()[0]}
    if want_grad:
        response["grads"] = backward(outputs, req["grad"], inputs, weights, dtype, name)
    return response


def backward(outputs, cotangents, inputs, weights, dtype, opname):
    outs, cots = [], []
    for oname, wire in cotangents.items():
        if oname not in outputs:
            raise RefError("op %s: grad given for unknown output %r (outputs: %s)" % (opname, oname, sorted(outputs)))
        out = outputs[oname]
        cot = decode(wire, "grad." + oname).to(dtype)
        if cot.numel() != out.numel():
            raise RefError("op %s: grad.%s has %d elements, output has shape %s"
                           % (opname, oname, cot.numel(), list(out.shape)))
        if out.requires_grad:
            outs.append(out)
            cots.append(cot.reshape(out.shape))
    leaves = [(g, k, t) for g, group in (("inputs", inputs), ("weights", weights))
              for k, t in group.items() if t.requires_grad]
    if outs and leaves:
        got = torch.autograd.grad(outs, [t for _, _, t in leaves], cots, allow_unused=True)
    else:
        got = [None] * len(leaves)
    grads = {"inputs": {}, "weights": {}}
    for (group, k, t), g in zip(leaves, got):
        grads[group][k] = encode(torch.zeros_like(t) if g is None else g)
    return grads


class Ctx:
    """What an op function sees: parsed params with defaults, tensors by name."""

    def __init__(self, params, inputs, weights, buffers, dtype, opname):
        self.params, self.inputs, self.weights, self.buffers = params, inputs, weights, buffers
        self.dtype, self.opname = dtype, opname

    def p(self, key, default=None):
        return self.params.get(key, default)

    def num(self, key, default):
        v = self.params.get(key, default)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise RefError("op %s: param %s must be a number, got %r" % (self.opname, key, v))
        return float(v)

    def int_(self, key, default):
        v = self.params.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int):
            raise RefError("op %s: param %s must be an integer, got %r" % (self.opname, key, v))
        return v

    def flag(self, key, default):
        v = self.params.get(key, default)
        if not isinstance(v, bool):
            raise RefError("op %s: param %s must be true/false, got %r" % (self.opname, key, v))
        return v

    def fail(self, msg):
        raise RefError("op %s: %s" % (self.opname, msg))


def op(name, params=(), inputs=(), optional_inputs=(), weights=(), optional_weights=(), buffers=(),
       no_grad_inputs=()):
    def register(fn):
        OPS[name] = {"fn": fn, "params": set(params), "inputs": tuple(inputs), "no_grad": set(no_grad_inputs),
                     "optional_inputs": tuple(optional_inputs), "weights": tuple(weights),
                     "optional_weights": tuple(optional_weights), "buffers": tuple(buffers)}
        return fn
    return register


# ---------------------------------------------------------------------------------------------
# Surrogate gradients (spec 1.2).  Forward is always Θ(x) = 1 iff x >= 0; backward is g'(x).
# ---------------------------------------------------------------------------------------------

SURROGATE_DEFAULTS = {
    "sigmoid": {"alpha": 4.0},
    "atan": {"alpha": 2.0},
    "piecewise_quadratic": {"alpha": 1.0},
    "rectangle": {"alpha": 1.0},
    "piecewise_leaky_relu": {"w": 1.0, "c": 0.01},
    "soft_sign": {"alpha": 2.0},
    "piecewise_exp": {"alpha": 1.0},
    "dspike": {"b": 3.0, "c": 0.3},
}
SURROGATE_ALIASES = {"rect": "rectangle", "softsign": "soft_sign", "piecewisequadratic": "piecewise_quadratic",
                     "piecewiseleakyrelu": "piecewise_leaky_relu", "piecewiseexp": "piecewise_exp"}


def surrogate_derivative(name, x, p):
    """g'(x) of spec table 1.2, evaluated elementwise in x's dtype."""
    if name == "sigmoid":
        s = torch.sigmoid(p["alpha"] * x)
        return p["alpha"] * s * (1.0 - s)
    if name == "atan":
        return (p["alpha"] / 2.0) / (1.0 + (math.pi / 2.0 * p["alpha"] * x) ** 2)
    if name == "piecewise_quadratic":
        return torch.clamp(p["alpha"] - p["alpha"] ** 2 * x.abs(), min=0.0)
    if name == "rectangle":
        return p["alpha"] * (x.abs() < 0.5 / p["alpha"]).to(x.dtype)
    if name == "piecewise_leaky_relu":
        inside = x.abs() <= p["w"]
        return torch.where(inside, torch.full_like(x, 1.0 / (2.0 * p["w"])), torch.full_like(x, p["c"]))
    if name == "soft_sign":
        return p["alpha"] / (2.0 * (1.0 + (p["alpha"] * x).abs()) ** 2)
    if name == "piecewise_exp":
        return (p["alpha"] / 2.0) * torch.exp(-p["alpha"] * x.abs())
    if name == "dspike":
        # Spec 8.1 writes g' as a function of the membrane m with window 0 < m < 1 and centre c,
        # and SpikeDHS fires at V_th = c.  As a generic surrogate of x = H - V_th we take m = x + c:
        # g'(x) = b(1 - tanh²(b·x)) / (2 tanh(b/2)) for -c < x < 1 - c, else 0.
        b, c = p["b"], p["c"]
        val = b * (1.0 - torch.tanh(b * x) ** 2) / (2.0 * math.tanh(b / 2.0))
        inside = (x > -c) & (x < 1.0 - c)
        return torch.where(inside, val, torch.zeros_like(x))
    raise RefError("unknown surrogate %r" % (name,))


class HeavisideSurrogate(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, name, p):
        ctx.save_for_backward(x)
        ctx.sg_name, ctx.sg_params = name, p
        return (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * surrogate_derivative(ctx.sg_name, x, ctx.sg_params), None, None


def make_surrogate(spec, default_name, default_params=None):
    """spec: null | "name" | {"name": ..., <params>}; returns x -> Θ(x) with the surrogate backward."""
    if spec is None:
        spec = {"name": default_name, **(default_params or {})}
    if isinstance(spec, str):
        spec = {"name": spec}
    if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
        raise RefError("surrogate must be a name or {name, ...params}, got %r" % (spec,))
    raw = spec["name"].strip().lower()
    name = SURROGATE_ALIASES.get(raw.replace("_", ""), raw)
    if name not in SURROGATE_DEFAULTS:
        raise RefError("unknown surrogate %r (known: %s)" % (spec["name"], ", ".join(sorted(SURROGATE_DEFAULTS))))
    p = dict(SURROGATE_DEFAULTS[name])
    for k, v in spec.items():
        if k == "name":
            continue
        if k not in p:
            raise RefError("surrogate %s: unknown param %r (allowed: %s)" % (name, k, sorted(p)))
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise RefError("surrogate %s: param %s must be a number" % (name, k))
        p[k] = float(v)
    return lambda x: HeavisideSurrogate.apply(x, name, p)


# ---------------------------------------------------------------------------------------------
# SpikingJelly 0.0.0.0.12 multi-step node (spec 1.1): charge, fire, reset.  A neuron type is one
# row of NODE_ROWS below: its charge (and, for an adaptive threshold, a second state); fire and
# reset are shared by run_node.
# ---------------------------------------------------------------------------------------------

def run_node(x, charge, v_threshold, v_reset, detach_reset, fire, adaptation=None):
    """x [T, ...] -> (spikes, membrane V after reset, pre-spike charge H, threshold), each [T, ...].
    adaptation (beta, tau_adapt): the threshold is v_threshold + A[t], A[0] = 0,
    A[t+1] = (1 - 1/tau_adapt)·A[t] + beta·S[t], with S detached there as in the reset."""
    v = torch.full_like(x[0], 0.0 if v_reset is None else v_reset)
    a = torch.zeros_like(x[0])
    spikes, mems, hs, ths = [], [], [], []
    for t in range(x.shape[0]):
        h = charge(v, x[t])
        theta = v_threshold + a
        s = fire(h - theta)
        s_reset = s.detach() if detach_reset else s
        if v_reset is None:
            v = h - s_reset * theta
        else:
            v = (1.0 - s_reset) * h + s_reset * v_reset
        if adaptation is not None:
            beta, tau_adapt = adaptation
            a = (1.0 - 1.0 / tau_adapt) * a + beta * s_reset
        spikes.append(s)
        mems.append(v)
        hs.append(h)
        ths.append(theta)
    return torch.stack(spikes), torch.stack(mems), torch.stack(hs), torch.stack(ths)


def lif_charge(tau, decay_input, v_reset):
    """Spec 1.1 LIF table (the leak pulls toward 0 for soft reset, toward V_r for hard reset)."""
    if decay_input:
        if v_reset is None or v_reset == 0.0:
            return lambda v, x: v + (x - v) / tau
        return lambda v, x: v + (x - (v - v_reset)) / tau
    if v_reset is None or v_reset == 0.0:
        return lambda v, x: v * (1.0 - 1.0 / tau) + x
    return lambda v, x: v - (v - v_reset) / tau + x


def plif_charge(k, decay_input, v_reset):
    """As lif_charge with 1/τ replaced by k = sigmoid(w) (a 0-d tensor in the graph)."""
    if decay_input:
        if v_reset is None or v_reset == 0.0:
            return lambda v, x: v + (x - v) * k
        return lambda v, x: v + (x - (v - v_reset)) * k
    if v_reset is None or v_reset == 0.0:
        return lambda v, x: v * (1.0 - k) + x
    return lambda v, x: v - (v - v_reset) * k + x


def plif_rate(ctx):
    """k = sigmoid(w); without w, w = -ln(init_tau - 1) (init_tau default 2 -> w = 0)."""
    w = ctx.weights.get("w")
    if w is None:
        init_tau = ctx.num("init_tau", 2.0)
        w = torch.tensor(-math.log(init_tau - 1.0), dtype=ctx.dtype)
    elif w.numel() != 1:
        ctx.fail("weight w must be a scalar, got shape %s" % list(w.shape))
    return torch.sigmoid(w.reshape(()))


NODE_PARAMS = ("v_threshold", "v_reset", "detach_reset", "surrogate")


def node_settings(ctx, defaults=None):
    d = {"v_threshold": 1.0, "v_reset": 0.0, "detach_reset": False, "surrogate": None}
    d.update(defaults or {})
    v_reset = ctx.params.get("v_reset", d["v_reset"])
    if v_reset is not None and (isinstance(v_reset, bool) or not isinstance(v_reset, (int, float))):
        ctx.fail("v_reset must be a number or null (soft reset)")
    return (ctx.num("v_threshold", d["v_threshold"]), None if v_reset is None else float(v_reset),
            ctx.flag("detach_reset", d["detach_reset"]),
            make_surrogate(ctx.params.get("surrogate", d["surrogate"]), "sigmoid", {"alpha": 4.0}))


def node_outputs(s, v, h, theta=None):
    out = {"spikes": s, "membrane": v, "h": h}
    if theta is not None:
        out["threshold"] = theta
    return out


# One row per neuron type: name, its own params (beside NODE_PARAMS), optional weights, the
# defaults of NODE_PARAMS it changes, charge(ctx, v_reset) -> (v, x) -> H, and for a second
# state adaptation(ctx) -> (beta, tau_adapt).  The docstring is the op's request format.
NODE_ROWS = [
    {"name": "lif", "params": ("tau", "decay_input"),
     "charge": lambda ctx, vr: lif_charge(ctx.num("tau", 2.0), ctx.flag("decay_input", True), vr),
     "doc": """LIF over x [T, ...].  params: tau (2), v_threshold (1), v_reset (0; null = soft reset),
    decay_input (true), detach_reset (false), surrogate (sigmoid alpha 4).
    outputs: spikes, membrane (V after reset), h (charge H before firing), all [T, ...]."""},
    {"name": "if", "params": (),
     "charge": lambda ctx, vr: lambda v, x: v + x,
     "doc": """IF: H = V + X; same params/outputs as lif without tau/decay_input."""},
    {"name": "plif", "params": ("decay_input", "init_tau"), "optional_weights": ("w",),
     "charge": lambda ctx, vr: plif_charge(plif_rate(ctx), ctx.flag("decay_input", True), vr),
     "doc": """PLIF: weight w (0-d or [1]; learnable, 1/τ = sigmoid(w)); without w it is
    initialised to -ln(init_tau - 1) (init_tau default 2 -> w = 0).  Outputs as lif."""},
    {"name": "alif", "params": ("tau", "decay_input", "beta", "tau_adapt"),
     "charge": lambda ctx, vr: lif_charge(ctx.num("tau", 2.0), ctx.flag("decay_input", True), vr),
     "adaptation": lambda ctx: (ctx.num("beta", 0.2), ctx.num("tau_adapt", 20.0)),
     "doc": """Adaptive LIF: the lif charge; fire when H >= v_threshold + A[t], A[0] = 0,
    A[t+1] = (1 - 1/tau_adapt)·A[t] + beta·S[t] (S detached there when detach_reset).  params as lif
    plus beta (0.2), tau_adapt (20).  outputs as lif plus threshold (v_threshold + A[t], [T, ...])."""},
    {"name": "qif", "params": ("tau", "v_rest", "v_c", "a0"), "defaults": {"v_reset": -0.1},
     "charge": lambda ctx, vr: (lambda tau, v_rest, v_c, a0: lambda v, x: v + (x + a0 * (v - v_rest) * (v - v_c)) / tau)(
         ctx.num("tau", 2.0), ctx.num("v_rest", 0.0), ctx.num("v_c", 0.8), ctx.num("a0", 1.0)),
     "doc": """QIF (SpikingJelly QIFNode): H = V + (X + a0·(V - v_rest)·(V - v_c))/tau.  params as if plus
    tau (2), v_rest (0), v_c (0.8), a0 (1); v_reset defaults to -0.1.  Outputs as lif."""},
    {"name": "eif", "params": ("tau", "v_rest", "delta_t", "theta_rh"), "defaults": {"v_reset": -0.1},
     "charge": lambda ctx, vr: (lambda tau, v_rest, dt, th: lambda v, x: v + (x + v_rest - v + dt * torch.exp((v - th) / dt)) / tau)(
         ctx.num("tau", 2.0), ctx.num("v_rest", 0.0), ctx.num("delta_t", 1.0), ctx.num("theta_rh", 0.8)),
     "doc": """EIF (SpikingJelly EIFNode): H = V + (X + v_rest - V + delta_t·exp((V - theta_rh)/delta_t))/tau.
    params as if plus tau (2), v_rest (0), delta_t (1), theta_rh (0.8); v_reset defaults to -0.1."""},
]


def register_node_row(row):
    def fn(ctx):
        v_th, v_reset, detach, fire = node_settings(ctx, row.get("defaults"))
        charge = row["charge"](ctx, v_reset)
        adaptation = row["adaptation"](ctx) if "adaptation" in row else None
        s, v, h, theta = run_node(ctx.inputs["x"], charge, v_th, v_reset, detach, fire, adaptation)
        return node_outputs(s, v, h, theta if adaptation is not None else None)

    fn.__doc__ = row["doc"]
    fn.__name__ = "op_" + row["name"]
    op(row["name"], params=NODE_PARAMS + row["params"], inputs=("x",),
       optional_weights=row.get("optional_weights", ()))(fn)


for _row in NODE_ROWS:
    register_node_row(_row)


# ---------------------------------------------------------------------------------------------
# Parallel spiking neurons (spec 1.3).  X [T, ...] is flattened to [T, M].
# ---------------------------------------------------------------------------------------------

def psn_fire(ctx, h, shape):
    fire = make_surrogate(ctx.params.get("surrogate"), "atan", {"alpha": 2.0})
    return {"spikes": fire(h).reshape(shape), "h": h.reshape(shape)}


def psn_matrix_charge(ctx, w_eff, b):
    x = ctx.inputs["x"]
    T = x.shape[0]
    if tuple(w_eff.shape) != (T, T):
        ctx.fail("weight W must be [T, T] = [%d, %d], got %s" % (T, T, list(w_eff.shape)))
    if b.numel() != T:
        ctx.fail("weight b must have T = %d elements, got shape %s" % (T, list(b.shape)))
    return w_eff @ x.reshape(T, -1) + b.reshape(T, 1)


@op("psn", params=("surrogate",), inputs=("x",), weights=("W", "b"))
def op_psn(ctx):
    """PSN: H = W·X + b (X flattened to [T, M]; W [T, T]; b [T] or [T, 1]); S = Θ(H).
    surrogate default atan alpha 2.  outputs: spikes, h ([T, ...])."""
    h = psn_matrix_charge(ctx, ctx.weights["W"], ctx.weights["b"])
    return psn_fire(ctx, h, ctx.inputs["x"].shape)


@op("masked_psn", params=("surrogate", "k", "lambda"), inputs=("x",), weights=("W", "b"))
def op_masked_psn(ctx):
    """Masked PSN: W_eff = M_λ ⊙ W, M0[i][j] = 1 iff i-k+1 <= j <= i, M_λ = λ·M0 + (1-λ)
    (λ >= 1: M0).  params k (required), lambda (default 1).  outputs: spikes, h, w_eff."""
    T = ctx.inputs["x"].shape[0]
    k = ctx.int_("k", None)
    lam = ctx.num("lambda", 1.0)
    i = torch.arange(T).reshape(T, 1)
    j = torch.arange(T).reshape(1, T)
    m0 = ((j <= i) & (j >= i - k + 1)).to(ctx.dtype)
    mask = m0 if lam >= 1.0 else lam * m0 + (1.0 - lam)
    w_eff = ctx.weights["W"] * mask
    out = psn_fire(ctx, psn_matrix_charge(ctx, w_eff, ctx.weights["b"]), ctx.inputs["x"].shape)
    out["w_eff"] = w_eff
    return out


@op("sliding_psn", params=("surrogate",), inputs=("x",), weights=("w", "b"))
def op_sliding_psn(ctx):
    """Sliding PSN: weights w [k], b scalar; H[t] = Σ_i w[i]·X[t-k+1+i] + b, X[τ<0] = 0.
    outputs: spikes, h ([T, ...])."""
    x = ctx.inputs["x"]
    w = ctx.weights["w"].reshape(-1)
    b = ctx.weights["b"]
    if b.numel() != 1:
        ctx.fail("weight b must be a scalar, got shape %s" % list(b.shape))
    T, k = x.shape[0], w.shape[0]
    flat = x.reshape(T, -1)
    padded = torch.cat([torch.zeros(k - 1, flat.shape[1], dtype=flat.dtype), flat], dim=0)
    rows = [sum(w[i] * padded[t + i] for i in range(k)) + b.reshape(()) for t in range(T)]
    return psn_fire(ctx, torch.stack(rows), x.shape)


# ---------------------------------------------------------------------------------------------
# SpikeDHS neuron (spec 8.1).
# ---------------------------------------------------------------------------------------------

class DspikeOfMembrane(torch.autograd.Function):
    """s = 1[m > V_th] (strict); ds/dm = b(1 - tanh²(b(m - c))) / (2 tanh(b/2)) on 0 < m < 1."""

    @staticmethod
    def forward(ctx, m, v_threshold, b, c):
        ctx.save_for_backward(m)
        ctx.b, ctx.c = b, c
        return (m > v_threshold).to(m.dtype)

    @staticmethod
    def backward(ctx, grad_out):
        (m,) = ctx.saved_tensors
        b, c = ctx.b, ctx.c
        d = b * (1.0 - torch.tanh(b * (m - c)) ** 2) / (2.0 * math.tanh(b / 2.0))
        d = torch.where((m > 0.0) & (m < 1.0), d, torch.zeros_like(d))
        return grad_out * d, None, None, None


@op("spikedhs_neuron", params=("v_threshold", "decay", "b", "c"), inputs=("x",))
def op_spikedhs(ctx):
    """m[t] = m[t-1] + I[t]; s = 1[m > V_th]; m <- m·decay·(1 - s) (reset not detached), m[-1] = 0.
    params v_threshold (0.3), decay (0.2), b (3), c (0.3).  input x = I [T, ...].
    outputs: spikes, membrane (m after decay/reset), h (m before firing)."""
    v_th, decay = ctx.num("v_threshold", 0.3), ctx.num("decay", 0.2)
    b, c = ctx.num("b", 3.0), ctx.num("c", 0.3)
    x = ctx.inputs["x"]
    m = torch.zeros_like(x[0])
    spikes, mems, hs = [], [], []
    for t in range(x.shape[0]):
        m = m + x[t]
        hs.append(m)
        s = DspikeOfMembrane.apply(m, v_th, b, c)
        m = m * decay * (1.0 - s)
        spikes.append(s)
        mems.append(m)
    return node_outputs(torch.stack(spikes), torch.stack(mems), torch.stack(hs))


@op("surrogate", params=("surrogate",), inputs=("x",))
def op_surrogate(ctx):
    """y = Θ(x) (1 iff x >= 0) with the surrogate backward: grads.inputs.x = grad.y · g'(x).
    params surrogate (default sigmoid alpha 4)."""
    fire = make_surrogate(ctx.params.get("surrogate"), "sigmoid", {"alpha": 4.0})
    return {"y": fire(ctx.inputs["x"])}


# ---------------------------------------------------------------------------------------------
# Attention cores: Spikformer SSA (3.3), SDT SDSA (5.3), QKFormer QKTA / QKCA (6.1).
# Token tensors are [T, B, N, D] ("layout": "tbnd", default) or [T, B, D, N] ("tbdn");
# head h owns channels h·d .. h·d + d - 1 (d = D / heads), as the repos' reshapes do.
# ---------------------------------------------------------------------------------------------

ATTN_LIF = {"tau": 2.0, "v_threshold": 0.5, "v_reset": 0.0, "decay_input": True,
            "detach_reset": True, "surrogate": {"name": "sigmoid", "alpha": 4.0}}
BLOCK_LIF = dict(ATTN_LIF, v_threshold=1.0)


def lif_from_dict(ctx, base, override, key):
    cfg = dict(base)
    if override is not None:
        if not isinstance(override, dict):
            ctx.fail("param %s must be an object of LIF settings" % key)
        bad = set(override) - set(cfg)
        if bad:
            ctx.fail("param %s: unknown LIF settings %s (allowed: %s)" % (key, sorted(bad), sorted(cfg)))
        cfg.update(override)
    fire = make_surrogate(cfg["surrogate"], "sigmoid", {"alpha": 4.0})
    vr = None if cfg["v_reset"] is None else float(cfg["v_reset"])
    charge = lif_charge(float(cfg["tau"]), bool(cfg["decay_input"]), vr)
    return lambda x: run_node(x, charge, float(cfg["v_threshold"]), vr, bool(cfg["detach_reset"]), fire)[:3]


def to_tbnd(ctx, x, name):
    if x.dim() != 4:
        ctx.fail("input %s must be 4-D [T,B,N,D] (or [T,B,D,N] with layout tbdn), got %s" % (name, list(x.shape)))
    layout = ctx.p("layout", "tbnd")
    if layout == "tbnd":
        return x
    if layout == "tbdn":
        return x.transpose(2, 3)
    ctx.fail('layout must be "tbnd" or "tbdn", got %r' % (layout,))


def from_tbnd(ctx, x):
    return x if ctx.p("layout", "tbnd") == "tbnd" else x.transpose(2, 3)


def heads_of(ctx, D):
    h = ctx.int_("heads", 1)
    if h < 1 or D % h:
        ctx.fail("heads = %d must divide D = %d" % (h, D))
    return h, D // h


def ssa_product(ctx, q, k, v):
    """[T,B,N,D] spikes -> scaled attention product merged back to [T,B,N,D] (no softmax)."""
    T, B, N, D = q.shape
    h, d = heads_of(ctx, D)
    scale = ctx.num("scale", 0.125)
    order = ctx.p("order", "qk_v")

    def split(a):  # [T,B,N,D] -> [T,B,h,N,d]
        return a.reshape(T, B, N, h, d).permute(0, 1, 3, 2, 4)

    qh, kh, vh = split(q), split(k), split(v)
    if order == "qk_v":
        y = ((qh @ kh.transpose(-2, -1)) * scale) @ vh
    elif order == "q_kv":
        y = (qh @ (kh.transpose(-2, -1) @ vh)) * scale
    else:
        ctx.fail('order must be "qk_v" or "q_kv", got %r' % (order,))
    return y.permute(0, 1, 3, 2, 4).reshape(T, B, N, D)


@op("ssa", params=("heads", "scale", "order", "attn_threshold", "attn_lif", "layout"), inputs=("q", "k", "v"))
def op_ssa(ctx):
    """Spikformer SSA steps 2-4.  inputs q, k, v [T,B,N,D]; params heads (1), scale (0.125),
    order ("qk_v" | "q_kv"), attn_threshold (0.5), attn_lif (override of the LIF settings
    {tau 2, v_reset 0, decay_input true, detach_reset true, surrogate sigmoid 4}), layout.
    outputs: pre (scaled product, [T,B,N,D]), spikes = LIF_attn(pre), membrane, h."""
    q, k, v = (to_tbnd(ctx, ctx.inputs[n], n) for n in ("q", "k", "v"))
    if not (q.shape == k.shape == v.shape):
        ctx.fail("q, k, v must have the same shape")
    pre = ssa_product(ctx, q, k, v)
    base = dict(ATTN_LIF, v_threshold=ctx.num("attn_threshold", 0.5))
    s, mem, h = lif_from_dict(ctx, base, ctx.p("attn_lif"), "attn_lif")(pre)
    return {"pre": from_tbnd(ctx, pre), "spikes": from_tbnd(ctx, s),
            "membrane": from_tbnd(ctx, mem), "h": from_tbnd(ctx, h)}


SSA_BRANCHES = ("q", "k", "v", "proj")


@op("ssa_block",
    params=("heads", "scale", "order", "attn_threshold", "attn_lif", "lif", "layout",
            "training", "momentum", "eps"),
    inputs=("x",),
    weights=tuple("%s.weight" % b for b in SSA_BRANCHES) + tuple("%s_bn.%s" % (b, w) for b in SSA_BRANCHES for w in ("weight", "bias")),
    optional_weights=tuple("%s.bias" % b for b in SSA_BRANCHES),
    buffers=tuple("%s_bn.%s" % (b, r) for b in SSA_BRANCHES for r in ("running_mean", "running_var")))
def op_ssa_block(ctx):
    """Whole Spikformer SSA (3.3), CIFAR Linear form: for b in q, k, v:
    b = LIF(BN1d(Linear(x))); pre = SSA product; a = LIF_attn(pre); out = LIF(BN1d(Linear_proj(a))).
    x [T,B,N,D].  Linear weight [out, in]; *.bias optional (absent = ImageNet Conv1d-no-bias form).
    BN statistics over T·B·N per channel; training (true) uses batch stats with biased variance and
    updates running stats with momentum (0.1) and the unbiased variance; eps 1e-5.  buffers
    <b>_bn.running_mean / running_var (default 0 / 1).  lif overrides the q/k/v/proj LIF
    (default V_th 1), attn_lif the attention LIF (default V_th attn_threshold = 0.5).
    outputs: spikes (SSA output), q, k, v, pre, attn (attention spikes), <b>_bn (the BN outputs =
    LIF inputs, [T,B,N,D]) and <b>_bn.running_mean / running_var after the step."""
    x = to_tbnd(ctx, ctx.inputs["x"], "x")
    T, B, N, D = x.shape
    training = ctx.flag("training", True)
    momentum, eps = ctx.num("momentum", 0.1), ctx.num("eps", 1e-5)
    lif = lif_from_dict(ctx, BLOCK_LIF, ctx.p("lif"), "lif")
    attn_lif = lif_from_dict(ctx, dict(ATTN_LIF, v_threshold=ctx.num("attn_threshold", 0.5)), ctx.p("attn_lif"), "attn_lif")
    out = {}

    def branch(name, inp):
        w = ctx.weights["%s.weight" % name]
        y = F.linear(inp.reshape(T * B * N, inp.shape[-1]), w, ctx.weights.get("%s.bias" % name))
        rm, rv = bn_buffers(ctx, "%s_bn." % name, w.shape[0])
        y = F.batch_norm(y, rm, rv, ctx.weights["%s_bn.weight" % name], ctx.weights["%s_bn.bias" % name],
                         training, momentum, eps)
        y = y.reshape(T, B, N, w.shape[0])
        out["%s_bn" % name] = from_tbnd(ctx, y)
        out["%s_bn.running_mean" % name], out["%s_bn.running_var" % name] = rm, rv
        return lif(y)[0]

    q, k, v = branch("q", x), branch("k", x), branch("v", x)
    pre = ssa_product(ctx, q, k, v)
    a = attn_lif(pre)[0]
    s = branch("proj", a)
    out.update({"q": from_tbnd(ctx, q), "k": from_tbnd(ctx, k), "v": from_tbnd(ctx, v),
                "pre": from_tbnd(ctx, pre), "attn": from_tbnd(ctx, a), "spikes": from_tbnd(ctx, s)})
    return out


@op("sdsa", params=("heads", "form", "attn_threshold", "attn_lif", "layout", "erode", "grid"), inputs=("q", "k", "v"))
def op_sdsa(ctx):
    """SDT spike-driven self-attention (5.3).  inputs q, k, v [T,B,N,D] spikes; heads only checked
    (elementwise ops and a token sum do not mix channels).  form "code" (default):
    pre = Σ_N (K⊙V) -> mask = LIF_0.5(pre) -> out = Q ⊙ mask;  form "paper":
    pre = Σ_N (Q⊙K) -> mask = LIF_0.5(pre) -> out = mask ⊙ V.
    erode (false; code form only): the CIFAR10-DVS model's Erode (5.3 point 5), computed as the
    released MS_SSA_Conv does: nn.MaxPool3d((1,3,3), 1, (0,1,1)) on K and V as [T,B,D,H,W] maps
    (grid [H, W], default square), then on K⊙V and on Q⊙mask in the head-split [T,B,h,N,d] layout.
    outputs: pre [T,B,1,D], mask [T,B,1,D], mask_membrane, out [T,B,N,D] ([T,B,D,1]/[T,B,D,N] in tbdn)."""
    q, k, v = (to_tbnd(ctx, ctx.inputs[n], n) for n in ("q", "k", "v"))
    h, d = heads_of(ctx, q.shape[-1])
    form = ctx.p("form", "code")
    lif = lif_from_dict(ctx, dict(ATTN_LIF, v_threshold=ctx.num("attn_threshold", 0.5)), ctx.p("attn_lif"), "attn_lif")
    if ctx.flag("erode", False):
        if form != "code":
            ctx.fail("erode is defined for the code form only")
        return sdsa_eroded(ctx, q, k, v, h, d, lif)
    if form == "code":
        pre = (k * v).sum(dim=2, keepdim=True)
        mask, mem, _ = lif(pre)
        y = q * mask
    elif form == "paper":
        pre = (q * k).sum(dim=2, keepdim=True)
        mask, mem, _ = lif(pre)
        y = mask * v
    else:
        ctx.fail('form must be "code" or "paper", got %r' % (form,))
    return {"pre": from_tbnd(ctx, pre), "mask": from_tbnd(ctx, mask),
            "mask_membrane": from_tbnd(ctx, mem), "out": from_tbnd(ctx, y)}


def sdsa_eroded(ctx, q, k, v, h, d, lif):
    """The dvs=True path of SDT's module/ms_conv.py MS_SSA_Conv.forward, from the LIF outputs on."""
    T, B, N, D = q.shape
    grid = ctx.params.get("grid")
    if grid is None:
        side = int(round(N ** 0.5))
        grid = [side, side]
    H, W = int(grid[0]), int(grid[1])
    if H * W != N:
        ctx.fail("grid %s does not hold N = %d tokens" % (grid, N))
    pool = torch.nn.MaxPool3d(kernel_size=(1, 3, 3), stride=(1, 1, 1), padding=(0, 1, 1))

    def conv_out(a):  # tokens [T,B,N,D] -> the code's [T,B,C,H,W] LIF output
        return a.transpose(2, 3).reshape(T, B, D, H, W)

    def split(a):  # [T,B,C,H,W] -> [T,B,h,N,d], the code's q/k/v reshape
        return a.flatten(3).transpose(-1, -2).reshape(T, B, N, h, d).permute(0, 1, 3, 2, 4)

    qh = split(conv_out(q))
    kh = split(pool(conv_out(k)))
    vh = split(pool(conv_out(v)))
    kv = pool(kh.mul(vh))
    pre = kv.sum(dim=-2, keepdim=True)  # [T,B,h,1,d]
    mask, mem, _ = lif(pre)
    x = pool(qh.mul(mask))
    # [T,B,h,N,d] -> [T,B,N,D] tokens; [T,B,h,1,d] -> [T,B,1,D]
    merge = lambda a: a.permute(0, 1, 3, 2, 4).reshape(T, B, a.shape[3], D)
    return {"pre": from_tbnd(ctx, merge(pre)), "mask": from_tbnd(ctx, merge(mask)),
            "mask_membrane": from_tbnd(ctx, merge(mem)), "out": from_tbnd(ctx, merge(x))}


@op("qkta", params=("heads", "attn_threshold", "attn_lif", "layout"), inputs=("q", "k"))
def op_qkta(ctx):
    """QKFormer token attention (6.1).  inputs q, k [T,B,N,D]; head h owns channels h·d..h·d+d-1.
    pre[t,b,n,h] = Σ_{j<d} Q[t,b,n,h·d+j];  A = LIF_0.5(pre);  out[t,b,n,c] = A[t,b,n,c//d]·K[t,b,n,c].
    outputs: pre [T,B,N,heads], mask (A) [T,B,N,heads], mask_membrane, out [T,B,N,D]
    (with layout tbdn: pre/mask are [T,B,heads,N], out [T,B,D,N])."""
    q, k = to_tbnd(ctx, ctx.inputs["q"], "q"), to_tbnd(ctx, ctx.inputs["k"], "k")
    T, B, N, D = q.shape
    h, d = heads_of(ctx, D)
    lif = lif_from_dict(ctx, dict(ATTN_LIF, v_threshold=ctx.num("attn_threshold", 0.5)), ctx.p("attn_lif"), "attn_lif")
    pre = q.reshape(T, B, N, h, d).sum(dim=-1)
    mask, mem, _ = lif(pre)
    y = (mask.unsqueeze(-1) * k.reshape(T, B, N, h, d)).reshape(T, B, N, D)
    return {"pre": from_tbnd(ctx, pre), "mask": from_tbnd(ctx, mask),
            "mask_membrane": from_tbnd(ctx, mem), "out": from_tbnd(ctx, y)}


@op("qkca", params=("heads", "attn_threshold", "attn_lif", "layout"), inputs=("q", "k"))
def op_qkca(ctx):
    """QKFormer channel attention (6.1).  inputs q, k [T,B,N,D]; heads only checked.
    pre[t,b,0,c] = Σ_n Q[t,b,n,c];  A = LIF_0.5(pre);  out = A ⊙ K (broadcast over tokens).
    outputs: pre [T,B,1,D], mask [T,B,1,D], mask_membrane, out [T,B,N,D]."""
    q, k = to_tbnd(ctx, ctx.inputs["q"], "q"), to_tbnd(ctx, ctx.inputs["k"], "k")
    heads_of(ctx, q.shape[-1])
    lif = lif_from_dict(ctx, dict(ATTN_LIF, v_threshold=ctx.num("attn_threshold", 0.5)), ctx.p("attn_lif"), "attn_lif")
    pre = q.sum(dim=2, keepdim=True)
    mask, mem, _ = lif(pre)
    return {"pre": from_tbnd(ctx, pre), "mask": from_tbnd(ctx, mask),
            "mask_membrane": from_tbnd(ctx, mem), "out": from_tbnd(ctx, mask * k)}


# ---------------------------------------------------------------------------------------------
# Stateless layers: thin wrappers around torch.nn.functional.
# ---------------------------------------------------------------------------------------------

def pair(ctx, key, default):
    v = ctx.params.get(key, default)
    if isinstance(v, int) and not isinstance(v, bool):
        return (v, v)
    if isinstance(v, (list, tuple)) and len(v) == 2 and all(isinstance(e, int) for e in v):
        return tuple(v)
    ctx.fail("param %s must be an int or [int, int], got %r" % (key, v))


@op("conv2d", params=("stride", "padding", "dilation", "groups"), inputs=("x",), weights=("weight",),
    optional_weights=("bias",))
def op_conv2d(ctx):
    """F.conv2d.  x [N,C,H,W], weight [O, C/groups, kh, kw], bias [O] optional; params stride (1),
    padding (0), dilation (1) as int or [h, w], groups (1).  output: y."""
    return {"y": F.conv2d(ctx.inputs["x"], ctx.weights["weight"], ctx.weights.get("bias"),
                          pair(ctx, "stride", 1), pair(ctx, "padding", 0), pair(ctx, "dilation", 1),
                          ctx.int_("groups", 1))}


def bn_buffers(ctx, prefix, C):
    rm = ctx.buffers.get(prefix + "running_mean")
    rv = ctx.buffers.get(prefix + "running_var")
    rm = torch.zeros(C, dtype=ctx.dtype) if rm is None else rm.clone().reshape(C)
    rv = torch.ones(C, dtype=ctx.dtype) if rv is None else rv.clone().reshape(C)
    return rm, rv


@op("batchnorm", params=("training", "momentum", "eps"), inputs=("x",), optional_weights=("weight", "bias"),
    buffers=("running_mean", "running_var"))
def op_batchnorm(ctx):
    """F.batch_norm over channel axis 1 of x [M, C] / [M, C, L] / [M, C, H, W].  weights weight,
    bias [C] optional (absent = no affine); buffers running_mean (0), running_var (1).
    params training (true), momentum (0.1), eps (1e-5).  Training: normalise with batch mean and
    biased variance; running <- (1-momentum)·running + momentum·(mean | unbiased var).  Eval:
    normalise with the running stats, which are returned unchanged.
    outputs: y, running_mean, running_var, batch_mean, batch_var (biased; training only)."""
    x = ctx.inputs["x"]
    if x.dim() < 2:
        ctx.fail("x must be at least [M, C]")
    training = ctx.flag("training", True)
    rm, rv = bn_buffers(ctx, "", x.shape[1])
    y = F.batch_norm(x, rm, rv, ctx.weights.get("weight"), ctx.weights.get("bias"), training,
                     ctx.num("momentum", 0.1), ctx.num("eps", 1e-5))
    out = {"y": y, "running_mean": rm, "running_var": rv}
    if training:
        dims = [0] + list(range(2, x.dim()))
        xd = x.detach()
        out["batch_mean"] = xd.mean(dim=dims)
        out["batch_var"] = xd.var(dim=dims, unbiased=False)
    return out


@op("maxpool2d", params=("kernel", "stride", "padding", "dilation", "ceil_mode"), inputs=("x",))
def op_maxpool2d(ctx):
    """F.max_pool2d on x [N,C,H,W]; params kernel (required), stride (= kernel), padding (0),
    dilation (1), ceil_mode (false).  outputs: y, indices (i64, flat h·W+w in each input plane; on
    ties PyTorch CPU keeps the first maximum in row-major scan order, and the gradient goes there)."""
    kernel = pair(ctx, "kernel", None)
    y, idx = F.max_pool2d(ctx.inputs["x"], kernel, pair(ctx, "stride", list(kernel)), pair(ctx, "padding", 0),
                          pair(ctx, "dilation", 1), ctx.flag("ceil_mode", False), return_indices=True)
    return {"y": y, "indices": idx}


@op("avgpool2d", params=("kernel", "stride", "padding", "ceil_mode", "count_include_pad"), inputs=("x",))
def op_avgpool2d(ctx):
    """F.avg_pool2d on x [N,C,H,W]; params kernel, stride (= kernel), padding (0), ceil_mode (false),
    count_include_pad (true).  output: y."""
    kernel = pair(ctx, "kernel", None)
    return {"y": F.avg_pool2d(ctx.inputs["x"], kernel, pair(ctx, "stride", list(kernel)), pair(ctx, "padding", 0),
                              ctx.flag("ceil_mode", False), ctx.flag("count_include_pad", True))}


@op("linear", inputs=("x",), weights=("weight",), optional_weights=("bias",))
def op_linear(ctx):
    """F.linear: y = x·weightᵀ + bias; x [..., in], weight [out, in], bias [out] optional.  output: y."""
    return {"y": F.linear(ctx.inputs["x"], ctx.weights["weight"], ctx.weights.get("bias"))}


# ---------------------------------------------------------------------------------------------
# Losses.
# ---------------------------------------------------------------------------------------------

def labels_of(ctx, name, B):
    lab = ctx.inputs[name]
    if lab.is_floating_point():
        if not torch.equal(lab, lab.round()):
            ctx.fail("input %s must hold integers" % name)
    lab = lab.reshape(-1).to(torch.int64)
    if lab.numel() != B:
        ctx.fail("input %s must have B = %d entries, got %d" % (name, B, lab.numel()))
    return lab


@op("cross_entropy", params=("label_smoothing",), inputs=("logits",), optional_inputs=("labels", "targets"),
    no_grad_inputs=("labels", "targets"))
def op_cross_entropy(ctx):
    """Mean over the batch of CE(logits [B, C], labels [B] (i64, or floats holding integers)) with
    label_smoothing (default 0.0; the spec's training runs use 0.1):
    loss = (1-ε)·(-log p_y) + ε·mean_c(-log p_c).  Alternatively a soft-target input
    targets [B, C] (timm SoftTargetCrossEntropy: mean_b Σ_c -t·log p).  output: loss (0-d)."""
    logits = ctx.inputs["logits"]
    if logits.dim() != 2:
        ctx.fail("logits must be [B, C]")
    if "targets" in ctx.inputs:
        t = ctx.inputs["targets"].detach()
        return {"loss": (-t * F.log_softmax(logits, dim=-1)).sum(dim=-1).mean()}
    if "labels" not in ctx.inputs:
        ctx.fail("give input labels (or targets)")
    labels = labels_of(ctx, "labels", logits.shape[0])
    return {"loss": F.cross_entropy(logits, labels, label_smoothing=ctx.num("label_smoothing", 0.0))}


@op("tet_loss", params=("lambda", "means", "label_smoothing"), inputs=("logits", "labels"), no_grad_inputs=("labels",))
def op_tet_loss(ctx):
    """TET (5.7): logits [T,B,C], labels [B].  loss = (1-λ)·(1/T)·Σ_t CE(O_t, y) + λ·MSE(O, φ),
    MSE = mean over all T·B·C elements; params lambda (1e-3), means φ (1.0), label_smoothing (0.0)
    for the CE.  outputs: loss, ce (the mean CE term), mse."""
    logits = ctx.inputs["logits"]
    if logits.dim() != 3:
        ctx.fail("logits must be [T, B, C]")
    labels = labels_of(ctx, "labels", logits.shape[1])
    lam, means = ctx.num("lambda", 1e-3), ctx.num("means", 1.0)
    ls = ctx.num("label_smoothing", 0.0)
    ce = sum(F.cross_entropy(logits[t], labels, label_smoothing=ls) for t in range(logits.shape[0])) / logits.shape[0]
    mse = F.mse_loss(logits, torch.full_like(logits, means))
    return {"loss": (1.0 - lam) * ce + lam * mse, "ce": ce, "mse": mse}


@op("version")
def op_version(ctx):
    """Ping: no inputs, no outputs; the response carries info.torch (the torch version)."""
    return {}


# ---------------------------------------------------------------------------------------------
# Template head tails: each network's readout after its last body block, written from the spec's
# section on that network (or, for SNN Studio's own networks, the template's stated design).
# x is that block's output, time-major.  Every form returns logits [B, classes] (inference: a head
# that runs per step is averaged over T) and, where the tail has a neuron, margin = its charge
# minus its threshold at every step, so that a test can show that no spike sits on a rounding edge.
# ---------------------------------------------------------------------------------------------

def tail_linear(ctx, name, x):
    w = ctx.weights.get(name + ".weight")
    if w is None:
        ctx.fail("form %s needs weight %s.weight" % (ctx.p("form"), name))
    return F.linear(x, w, ctx.weights.get(name + ".bias"))


def tail_lif(x):
    """The head LIF of SDT and Meta-SpikeFormer: SpikingJelly's MultiStepLIFNode(tau=2.0) (V_th 1, hard reset to
    0, decay_input).  Returns spikes and H − V_th."""
    s, _v, h, _th = run_node(x, lif_charge(2.0, True, 0.0), 1.0, 0.0, True, make_surrogate(None, "sigmoid", {"alpha": 4.0}))
    return s, h - 1.0


def tail_spikformer(ctx, x):
    """Spikformer §3.1/§3.5 (and the heads that copy it: QKFormer §6.3, Spikingformer §7.1 on the membrane stream,
    CML §7.2, Spikformer V2 §4, Auto-Spikformer §8.2): x [T,B,N,D] → mean over N → mean over T → head."""
    return {"logits": tail_linear(ctx, "head", x.mean(2).mean(0))}


def tail_sdt(ctx, x):
    """SDT §5.1/§5.5: U_L [T,B,N,D] (membrane) → mean over N → LIF → head per step → mean over T."""
    s, margin = tail_lif(x.mean(2))
    return {"logits": tail_linear(ctx, "head", s).mean(0), "margin": margin}


def tail_meta(ctx, x):
    """Meta-SpikeFormer §5.9 (classification/models.py forward): x [T,B,C,H,W] → x.flatten(3).mean(3) → lif →
    head(x_lif).mean(0); with param kd (the distilled model, kd=True at inference): (head(x_lif).mean(0) +
    head_kd(x_lif).mean(0)) / 2 — both heads read the LIF's spikes."""
    s, margin = tail_lif(x.flatten(3).mean(3))
    logits = tail_linear(ctx, "head", s).mean(0)
    if ctx.flag("kd", False):
        logits = (logits + tail_linear(ctx, "head_kd", s).mean(0)) / 2
    return {"logits": logits, "margin": margin}


def tail_cnn(ctx, x):
    """lif-cnn (SNN Studio's own: Conv→BN→LIF→MaxPool(2) twice, Linear, mean over T): the last LIF's spikes
    x [T,B,C,H,W] → max-pool 2 per step → flatten → fc per step → mean over T."""
    T, B = x.shape[:2]
    pooled = F.max_pool2d(x.flatten(0, 1), 2).reshape(T, B, -1)
    return {"logits": tail_linear(ctx, "fc", pooled).mean(0)}


def tail_psn_csnn(ctx, x):
    """PSN CIFAR10 CSNN §1.3: the last avg-pool's output x [T,B,C,H,W] → flatten → fc1 → PSN (H = W·X + b over
    T, S = Θ(H)) → head → output mean over T."""
    T, B = x.shape[:2]
    h = tail_linear(ctx, "fc1", x.reshape(T, B, -1))
    w, b = ctx.weights["psn.weight"], ctx.weights["psn.bias"]
    charge = (w @ h.reshape(T, -1) + b.reshape(T, 1)).reshape(h.shape)
    s = (charge >= 0).to(charge.dtype)
    return {"logits": tail_linear(ctx, "head", s).mean(0), "margin": charge}


def tail_psn_vgg(ctx, x):
    """PSN CIFAR10-DVS VGG §1.3: the last sliding-PSN's spikes x [T,B,C,H,W] → avg-pool 2 → flatten → dropout
    (identity at inference) → Linear per step (TET) → mean over T at inference."""
    T, B = x.shape[:2]
    pooled = F.avg_pool2d(x.flatten(0, 1), 2).reshape(T, B, -1)
    return {"logits": tail_linear(ctx, "head", pooled).mean(0)}


def tail_sew(ctx, x):
    """SEW ResNet with PSN §1.3 (SpikingJelly's multi-step SEW ResNet): the last block's output x [T,B,C,H,W] →
    adaptive avg-pool 1 → flatten → fc per step (TET) → mean over T at inference."""
    return {"logits": tail_linear(ctx, "fc", x.mean((3, 4))).mean(0)}


def tail_spikedhs(ctx, x):
    """SpikeDHS §8.1: the last cell's spikes x [T,B,C,H,W] → spiking global average pool (mean over H·W, then the
    SpikeDHS neuron: m += I; s = 1[m > 0.3]; m ← 0.2·m·(1 − s)) → Linear → BN1d (eval) → mean over T."""
    pooled = x.mean((3, 4))
    m = torch.zeros_like(pooled[0])
    spikes, margins = [], []
    for t in range(pooled.shape[0]):
        m = m + pooled[t]
        margins.append(m - 0.3)
        s = (m > 0.3).to(m.dtype)
        m = m * 0.2 * (1.0 - s)
        spikes.append(s)
    y = tail_linear(ctx, "classifier", torch.stack(spikes))
    T, B, C = y.shape
    bn = F.batch_norm(y.reshape(T * B, C), ctx.buffers["bn.running_mean"], ctx.buffers["bn.running_var"],
                      ctx.weights["bn.weight"], ctx.weights["bn.bias"], False, 0.1, 1e-5)
    return {"logits": bn.reshape(T, B, C).mean(0), "margin": torch.stack(margins)}


def tail_hybrid(ctx, x):
    """hybrid (SNN Studio's own): the SPS spike tokens x [T,B,N,D] → firing rates (mean over T) → LayerNorm →
    softmax multi-head attention (Q/K/V/out Linear with bias, softmax(QKᵀ/√d)·V) → LayerNorm → mean over N →
    head."""
    heads = ctx.int_("heads", None)
    r = x.mean(0)
    B, N, D = r.shape
    d = D // heads
    a = F.layer_norm(r, (D,), ctx.weights["norm1.weight"], ctx.weights["norm1.bias"], 1e-5)
    split = lambda t: t.reshape(B, N, heads, d).transpose(1, 2)
    q, k, v = (split(tail_linear(ctx, "attn." + n, a)) for n in ("q", "k", "v"))
    att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1) @ v
    y = tail_linear(ctx, "attn.proj", att.transpose(1, 2).reshape(B, N, D))
    y = F.layer_norm(y, (D,), ctx.weights["norm2.weight"], ctx.weights["norm2.bias"], 1e-5)
    return {"logits": tail_linear(ctx, "head", y.mean(1))}


TAIL_FORMS = {"spikformer": tail_spikformer, "sdt": tail_sdt, "meta": tail_meta, "cnn": tail_cnn,
              "psn_csnn": tail_psn_csnn, "psn_vgg": tail_psn_vgg, "sew": tail_sew, "spikedhs": tail_spikedhs,
              "hybrid": tail_hybrid}
TAIL_WEIGHTS = tuple("%s.%s" % (layer, p) for layer in ("head", "head_kd", "fc", "fc1", "psn", "classifier", "bn",
                                                       "norm1", "norm2", "attn.q", "attn.k", "attn.v", "attn.proj")
                     for p in ("weight", "bias"))


@op("head_tail", params=("form", "kd", "heads"), inputs=("x",), optional_weights=TAIL_WEIGHTS,
    buffers=("bn.running_mean", "bn.running_var"))
def op_head_tail(ctx):
    """A template's readout after its last body block (see TAIL_FORMS and each form's docstring).
    params: form (spikformer | sdt | meta | cnn | psn_csnn | psn_vgg | sew | spikedhs | hybrid), kd (meta: the
    distilled model's two heads), heads (hybrid).  input x: the block's output, time-major.  weights: named as in
    the form (head.weight, head_kd.bias, psn.weight [T,T], ...).  outputs: logits [B, classes]; margin (charge −
    threshold of the tail's neuron, [T, ...]) where it has one."""
    form = ctx.p("form")
    if form not in TAIL_FORMS:
        ctx.fail("form must be one of %s, got %r" % (sorted(TAIL_FORMS), form))
    return TAIL_FORMS[form](ctx, ctx.inputs["x"])


# ---------------------------------------------------------------------------------------------
# Wire format.
# ---------------------------------------------------------------------------------------------

WIRE_DTYPES = {"f32": "<f4", "f64": "<f8", "i64": "<i8", "i32": "<i4"}


def decode(a, where):
    if not isinstance(a, dict) or "shape" not in a or "data" not in a:
        raise RefError("%s: an array must be {shape, dtype, data}" % where)
    shape = a["shape"]
    if not isinstance(shape, list) or not all(isinstance(s, int) and s >= 0 for s in shape):
        raise RefError("%s: shape must be a list of non-negative integers" % where)
    dt = a.get("dtype", "f32")
    if dt not in WIRE_DTYPES:
        raise RefError("%s: dtype must be one of %s, got %r" % (where, sorted(WIRE_DTYPES), dt))
    n = int(np.prod(shape)) if shape else 1
    data = a["data"]
    if isinstance(data, list):
        arr = np.asarray(data, dtype=WIRE_DTYPES[dt]).reshape(-1)
    else:
        arr = np.frombuffer(base64.b64decode(data), dtype=WIRE_DTYPES[dt])
    if arr.size != n:
        raise RefError("%s: shape %s needs %d elements, data has %d" % (where, shape, n, arr.size))
    return torch.from_numpy(arr.astype(arr.dtype.newbyteorder("="), copy=True).reshape(shape))


def encode(t):
    t = t.detach().cpu().contiguous()
    if t.dtype == torch.float32:
        dt = "f32"
    elif t.dtype == torch.float64:
        dt = "f64"
    elif t.dtype in (torch.int64, torch.int32, torch.bool, torch.uint8):
        dt, t = "i64", t.to(torch.int64)
    else:
        raise RefError("cannot encode dtype %s" % t.dtype)
    arr = t.numpy().astype(WIRE_DTYPES[dt], copy=False)
    return {"shape": list(t.shape), "dtype": dt, "data": base64.b64encode(arr.tobytes()).decode("ascii")}


def load_group(wires, required, optional, group, opname, dtype, want_grad, no_grad=()):
    wires = wires or {}
    if not isinstance(wires, dict):
        raise RefError("op %s: %s must be an object" % (opname, group))
    allowed = set(required) | set(optional)
    extra = set(wires) - allowed
    if extra:
        raise RefError("op %s: unknown %s %s (allowed: %s)" % (opname, group, sorted(extra), sorted(allowed)))
    missing = [k for k in required if k not in wires]
    if missing:
        raise RefError("op %s: missing %s %s" % (opname, group, missing))
    out = {}
    for k, w in wires.items():
        t = decode(w, "%s.%s" % (group, k))
        if t.is_floating_point():
            t = t.to(dtype)
            if want_grad and k not in no_grad:
                t.requires_grad_(True)
        out[k] = t
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
