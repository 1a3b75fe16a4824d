/**
 * The part of every generated model.py that does not depend on the graph: the time-merging helper
 * of the stateless layers, the surrogate derivatives of spec §1.2 (the engine's, neurons/surrogate.ts),
 * the Heaviside with its surrogate backward, and the shared fire/reset of the step-by-step neurons
 * (a neuron type defines only its charge, as in the engine's neuron table).
 */
export const PRELUDE = String.raw`import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def stateless(fn, x, timed):
    """A stateless layer runs once on the T·B-merged batch, as the engine runs it: [T,B,...] → [T·B,...] → [T,B,...]."""
    if not timed:
        return fn(x)
    y = fn(x.flatten(0, 1))
    return y.reshape(x.shape[0], x.shape[1], *y.shape[1:])


def surrogate_derivative(name, x, p):
    """g'(x) at x = H − θ for the surrogate named in the document (spec §1.2)."""
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
        return torch.where(x.abs() <= p["w"], torch.full_like(x, 1.0 / (2.0 * p["w"])), torch.full_like(x, p["c"]))
    if name == "dspike":
        b, c = p["b"], p["c"]
        inside = ((x > -c) & (x < 1.0 - c)).to(x.dtype)
        return b * (1.0 - torch.tanh(b * x) ** 2) / (2.0 * math.tanh(b / 2.0)) * inside
    raise ValueError("unknown surrogate %r" % (name,))


class Spike(torch.autograd.Function):
    """Θ(x) forward (x > 0 when strict, else x ≥ 0); the surrogate derivative backward."""

    @staticmethod
    def forward(ctx, x, surrogate, strict):
        ctx.save_for_backward(x)
        ctx.surrogate = surrogate
        return (x > 0).to(x.dtype) if strict else (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        p = ctx.surrogate
        return grad * surrogate_derivative(p["name"], x, p), None, None


class SpikingNeuron(nn.Module):
    """Charge, fire, reset over x [T, B, ...], step by step. Fire: S = Θ(H − A − θ) with the
    surrogate backward; reset: hard V = H·(1 − S) + V_reset·S, or soft V = H − (θ + A)·S
    (v_reset None), the S detached when detach_reset; then V ← V·post_reset_decay. An adaptive
    threshold (adaptation = (β, decay)) follows A ← decay·A + β·S. Subclasses define charge(). merge_rows walks
    the T·B rows of x as one sequence of steps over a single sample's elements, t-major (the
    released code's multi-step neuron after x.flatten(0, 1)): the membrane carries from sample to
    sample."""

    def __init__(self, threshold, v_reset, detach_reset, surrogate, strict=False, post_reset_decay=1.0, adaptation=None, merge_rows=False):
        super().__init__()
        self.merge_rows = merge_rows
        self.threshold = threshold
        self.v_reset = v_reset
        self.detach_reset = detach_reset
        self.surrogate = dict(surrogate)
        self.strict = strict
        self.post_reset_decay = post_reset_decay
        self.adaptation = adaptation

    @property
    def v_rest(self):
        """Where the leak pulls the membrane: V_reset, or 0 with a soft reset."""
        return 0.0 if self.v_reset is None else self.v_reset

    def charge(self, v, x):
        raise NotImplementedError

    def forward(self, x):
        if self.merge_rows:
            return self.walk(x.reshape(x.shape[0] * x.shape[1], 1, *x.shape[2:])).reshape(x.shape)
        return self.walk(x)

    def walk(self, x):
        v = torch.full_like(x[0], self.v_rest)
        a = torch.zeros_like(x[0]) if self.adaptation is not None else None
        spikes = []
        for t in range(x.shape[0]):
            h = self.charge(v, x[t])
            s = Spike.apply(h - self.threshold if a is None else (h - a) - self.threshold, self.surrogate, self.strict)
            r = s.detach() if self.detach_reset else s
            if self.v_reset is None:
                v = h - r * (self.threshold if a is None else self.threshold + a)
            else:
                v = h * (1.0 - r) + r * self.v_reset
            if self.post_reset_decay != 1.0:
                v = v * self.post_reset_decay
            if a is not None:
                beta, decay = self.adaptation
                a = decay * a + beta * r
            spikes.append(s)
        return torch.stack(spikes)
`;
