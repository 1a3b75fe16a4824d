#!/usr/bin/env python3
"""PyTorch eager peer of SNN Studio's training benchmark (bench/suites/training.ts).

The same networks and step as the ONNX training step: forward unrolled over T, BPTT through a
LIF written as SpikingJelly's torch backend does it (a Python loop over T with a custom autograd
spike function: Heaviside forward, sigmoid surrogate α = 4 backward; hard reset to 0, detached),
loss, backward, optimizer step, BN in training mode. Run with Debian's /usr/bin/python3 (torch with
OpenBLAS through the libblas alternative).

    torch_train.py --model cnn|spikformer [--threads 2] [--steps 20] [--warmup 5] [--batch B] [--hoist]
                   [--flavour cifar|imagenet] [--layers 2] [--dim 256] [--heads 8] [--T 4]

Prints one JSON line: {"model", "threads", "batch", "ms_per_step" (median), "ms_min",
"images_per_s", "peak_rss_mb", "torch"}. Inputs are random (timing does not depend on values);
the seed is fixed.

--hoist runs the first conv and BN once on B instead of T·B (exact under direct encoding, as SNN
Studio's pass does), for a like-for-like comparison of that rewrite.

The Spikformer options are the scaling suite's points (bench/suites/scaling.ts); their defaults are
the training suite's row. --flavour imagenet is the released ImageNet model as the engine's preset
builds it: 224×224 input, a pool after each of the four SPS stages (224 → 14), Q/K/V without bias,
Q·(Kᵀ·V), 1000 classes.
"""
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SigmoidSpike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return (x >= 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(4.0 * x)
        return grad * 4.0 * s * (1.0 - s)


class LIF(nn.Module):
    """Multi-step LIF over x [T, ...]: tau 2, decay_input, V_th, hard reset to 0, detach_reset."""

    def __init__(self, threshold=1.0, tau=2.0):
        super().__init__()
        self.threshold, self.tau = threshold, tau

    def forward(self, x):
        v = torch.zeros_like(x[0])
        out = []
        for t in range(x.shape[0]):
            h = v + (x[t] - v) / self.tau
            s = SigmoidSpike.apply(h - self.threshold)
            v = h * (1.0 - s.detach())
            out.append(s)
        return torch.stack(out)


def merged(module, x):
    """Runs a stateless module on the T·B-merged batch of x [T, B, ...]."""
    T, B = x.shape[:2]
    y = module(x.flatten(0, 1))
    return y.reshape(T, B, *y.shape[1:])


class SpikingCNN(nn.Module):
    """notes/ort-training.md: conv3x3(1→32)-BN-LIF-pool2 → conv3x3(32→64)-BN-LIF-pool2 → Linear(3136→10) → mean over T."""

    def __init__(self, T, hoist):
        super().__init__()
        self.T, self.hoist = T, hoist
        self.conv1, self.bn1 = nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32)
        self.conv2, self.bn2 = nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64)
        self.lif1, self.lif2 = LIF(), LIF()
        self.fc = nn.Linear(64 * 7 * 7, 10)

    def forward(self, img):
        if self.hoist:
            y = self.bn1(self.conv1(img))
            x = y.unsqueeze(0).expand(self.T, *y.shape)
        else:
            x = merged(lambda v: self.bn1(self.conv1(v)), img.unsqueeze(0).repeat(self.T, 1, 1, 1, 1))
        x = merged(lambda v: F.max_pool2d(v, 2), self.lif1(x))
        x = self.lif2(merged(lambda v: self.bn2(self.conv2(v)), x))
        x = merged(lambda v: F.max_pool2d(v, 2).flatten(1), x)
        return merged(self.fc, x).mean(0)


class LinearBnLif(nn.Module):
    """Linear → BN1d over T·B·N (2-D [T·B·N, D]) → LIF, on tokens [T, B, N, D]."""

    def __init__(self, d_in, d_out, threshold=1.0, bias=True):
        super().__init__()
        self.linear, self.bn, self.lif = nn.Linear(d_in, d_out, bias=bias), nn.BatchNorm1d(d_out), LIF(threshold)

    def forward(self, x):
        T, B, N, _ = x.shape
        y = self.bn(self.linear(x.reshape(T * B * N, -1)))
        return self.lif(y.reshape(T, B, N, -1))


class ConvBnLif(nn.Module):
    def __init__(self, c_in, c_out, pool):
        super().__init__()
        self.conv, self.bn, self.lif, self.pool = nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), LIF(), pool

    def forward(self, x):
        s = self.lif(merged(lambda v: self.bn(self.conv(v)), x))
        return merged(lambda v: F.max_pool2d(v, 3, 2, 1), s) if self.pool else s


class Spikformer(nn.Module):
    """Spikformer (spec §3): SPS (D/8, D/4, D/2, D with pools, RPE), L × (SSA + MLP) with spike-add residuals, mean, Linear.

    cifar: pools after the last two SPS stages, Q/K/V with bias, (Q·Kᵀ)·V; imagenet: pools after all
    four, Q/K/V without bias, Q·(Kᵀ·V).
    """

    def __init__(self, T, dim=256, layers=2, heads=8, classes=10, flavour="cifar"):
        super().__init__()
        self.T, self.heads = T, heads
        imagenet = flavour == "imagenet"
        self.kv_first = imagenet
        w = [dim // 8, dim // 4, dim // 2, dim]
        pools = [True] * 4 if imagenet else [False, False, True, True]
        c_in = [3, w[0], w[1], w[2]]
        self.sps = nn.ModuleList([ConvBnLif(c_in[i], w[i], pools[i]) for i in range(4)])
        self.rpe = ConvBnLif(dim, dim, False)
        self.blocks = nn.ModuleList()
        qkv_bias = not imagenet
        for _ in range(layers):
            self.blocks.append(nn.ModuleDict({
                "q": LinearBnLif(dim, dim, bias=qkv_bias), "k": LinearBnLif(dim, dim, bias=qkv_bias), "v": LinearBnLif(dim, dim, bias=qkv_bias),
                "attn_lif": LIF(0.5), "proj": LinearBnLif(dim, dim),
                "fc1": LinearBnLif(dim, 4 * dim), "fc2": LinearBnLif(4 * dim, dim),
            }))
        self.head = nn.Linear(dim, classes)

    def forward(self, img):
        x = img.unsqueeze(0).repeat(self.T, 1, 1, 1, 1)
        for unit in self.sps:
            x = unit(x)
        x = x + self.rpe(x)
        T, B, C, H, W = x.shape
        x = x.flatten(3).transpose(2, 3)  # [T, B, N, D]
        for blk in self.blocks:
            N, D, h = x.shape[2], x.shape[3], self.heads
            split = lambda a: a.reshape(T, B, N, h, D // h).transpose(2, 3)
            q, k, v = split(blk["q"](x)), split(blk["k"](x)), split(blk["v"](x))
            attn = (q @ (k.transpose(-2, -1) @ v) if self.kv_first else (q @ k.transpose(-2, -1)) @ v) * 0.125
            a = blk["attn_lif"](attn.transpose(2, 3).reshape(T, B, N, D))
            x = x + blk["proj"](a)
            x = x + blk["fc2"](blk["fc1"](x))
        return self.head(x.mean(2).mean(0))


def peak_rss_mb():
    """VmHWM: ru_maxrss keeps the spawning process's high-water mark across fork + exec (bench/memory.ts)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["cnn", "spikformer"], required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--batch", type=int)
    ap.add_argument("--hoist", action="store_true")
    ap.add_argument("--flavour", choices=["cifar", "imagenet"], default="cifar")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--T", type=int, default=4)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    T = a.T
    if a.model == "cnn":
        batch = a.batch or 64
        net, shape = SpikingCNN(T, a.hoist), (batch, 1, 28, 28)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    else:
        batch = a.batch or 32
        imagenet = a.flavour == "imagenet"
        size, classes = (224, 1000) if imagenet else (32, 10)
        net, shape = Spikformer(T, a.dim, a.layers, a.heads, classes, a.flavour), (batch, 3, size, size)
        opt = torch.optim.AdamW(net.parameters(), lr=5e-4, weight_decay=0.01)
    x = torch.rand(shape)
    y = torch.randint(0, 10, (batch,))
    times = []
    for i in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    ms = statistics.median(times)
    print(json.dumps({
        "model": a.model, "threads": a.threads, "batch": batch, "T": T, "hoist": a.hoist,
        "ms_per_step": ms, "ms_min": min(times), "images_per_s": batch * 1000 / ms,
        "peak_rss_mb": peak_rss_mb(), "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
