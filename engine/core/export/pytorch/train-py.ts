/**
 * train.py of a PyTorch export: the document's recipe (optimizer, schedule, loss, T, batch, epochs,
 * label smoothing, gradient clipping, weight decay on weights only, as the engine) under
 * `torchrun --nproc_per_node N` with DistributedDataParallel and a DistributedSampler — gloo on
 * CPU, nccl on GPU. Data: an .npz with x [N, ...input shape] (float32) and y [N] (int64) per split.
 */
import { py } from './python.js';

/** The resolved recipe (runtime/train/options.ts resolves the document's with the engine's defaults). */
export interface Recipe {
  readonly optimizer: { readonly name: 'sgd' | 'adam' | 'adamw' | 'lamb'; readonly weightDecay: number; readonly momentum: number; readonly nesterov: boolean; readonly beta1: number; readonly beta2: number; readonly eps: number };
  readonly schedule: { readonly kind: 'constant' | 'cosine' | 'step'; readonly lr: number; readonly minLr?: number; readonly warmupEpochs?: number; readonly warmupLr?: number; readonly cooldownEpochs?: number };
  readonly loss: { readonly kind: 'ce'; readonly labelSmoothing: number } | { readonly kind: 'tet'; readonly lambda: number; readonly means: number; readonly labelSmoothing: number } | { readonly kind: 'mse_rate' };
  readonly epochs: number;
  readonly batchSize: number;
  readonly gradClip?: number;
  readonly seed: number;
  readonly dataset: string;
}

/** `decayed`: the parameters weight decay applies to (the engine's role `weight`: not biases, norms, neuron rates). */
export function trainPy(recipe: Recipe, decayed: readonly string[], inputShape: readonly number[]): string {
  const s = recipe.schedule;
  const o = recipe.optimizer;
  return `"""Trains model.py with the document's recipe, on one process or many:

    python3 train.py --data train.npz [--test test.npz]
    torchrun --nproc_per_node N train.py --data train.npz        # DistributedDataParallel

gloo on CPU, nccl when CUDA is available (--backend to choose). The .npz files hold x [N, ${inputShape.join(', ')}]
float32 (normalised as the model expects) and y [N] int64. The recipe below is the document's
(dataset "${recipe.dataset}"); every value can be overridden on the command line.
"""
import argparse
import json
import math
import os

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

import model as snn

RECIPE = {
    "optimizer": ${py(o.name)},
    "lr": ${py(s.lr)},
    "min_lr": ${py(s.minLr ?? 0)},
    "weight_decay": ${py(o.weightDecay)},
    "momentum": ${py(o.momentum)},
    "nesterov": ${py(o.nesterov)},
    "betas": (${py(o.beta1)}, ${py(o.beta2)}),
    "eps": ${py(o.eps)},
    "schedule": ${py(s.kind)},
    "warmup_epochs": ${py(s.warmupEpochs ?? 0)},
    "warmup_lr": ${py(s.warmupLr ?? 0)},
    "cooldown_epochs": ${py(s.cooldownEpochs ?? 0)},
    "loss": ${py(recipe.loss.kind)},
    "label_smoothing": ${py('labelSmoothing' in recipe.loss ? recipe.loss.labelSmoothing : 0)},
    "tet_lambda": ${py(recipe.loss.kind === 'tet' ? recipe.loss.lambda : 0)},
    "tet_means": ${py(recipe.loss.kind === 'tet' ? recipe.loss.means : 0)},
    "epochs": ${py(recipe.epochs)},
    "batch_size": ${py(recipe.batchSize)},
    "grad_clip": ${py(recipe.gradClip ?? null)},
    "seed": ${py(recipe.seed)},
}

# weight decay reaches weights only (not biases, norms, neuron rates), as in the engine
DECAYED = set(${decayed.length === 0 ? '()' : py(decayed)})


def learning_rate(step, steps_per_epoch, r):
    """The engine's schedule per step: linear warmup, then constant, step (×0.1 every third of the run) or cosine to min_lr."""
    epoch = step / steps_per_epoch
    warmup = r["warmup_epochs"]
    if epoch < warmup:
        return r["warmup_lr"] + (r["lr"] - r["warmup_lr"]) * (epoch / warmup)
    if r["schedule"] == "constant":
        return r["lr"]
    if r["schedule"] == "step":
        every = max(1, round(r["epochs"] / 3))
        return r["lr"] * 0.1 ** math.floor((epoch - warmup) / every)
    span = r["epochs"] - warmup - r["cooldown_epochs"]
    t = 1.0 if span <= 0 else min(1.0, (epoch - warmup) / span)
    return r["min_lr"] + 0.5 * (r["lr"] - r["min_lr"]) * (1 + math.cos(math.pi * t))


def loss_of(out, y, r):
    """CE on the logits (their mean over T when per step), TET on per-step logits, or MSE of rates against one-hot."""
    if r["loss"] == "tet":
        ce = torch.stack([F.cross_entropy(o, y, label_smoothing=r["label_smoothing"]) for o in out]).mean()
        return (1 - r["tet_lambda"]) * ce + r["tet_lambda"] * ((out - r["tet_means"]) ** 2).mean()
    logits = out.mean(0) if out.dim() == 3 else out
    if r["loss"] == "mse_rate":
        return ((logits - F.one_hot(y, logits.shape[1]).to(logits.dtype)) ** 2).mean()
    return F.cross_entropy(logits, y, label_smoothing=r["label_smoothing"])


class Lamb(torch.optim.Optimizer):
    """LAMB (You et al. 2020): Adam's update, decoupled weight decay, scaled by the trust ratio ‖w‖/‖update‖."""

    def __init__(self, params, lr, betas, eps, weight_decay):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            b1, b2 = g["betas"]
            for p in g["params"]:
                if p.grad is None:
                    continue
                st = self.state[p]
                if not st:
                    st["step"], st["exp_avg"], st["exp_avg_sq"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                st["step"] += 1
                st["exp_avg"].mul_(b1).add_(p.grad, alpha=1 - b1)
                st["exp_avg_sq"].mul_(b2).addcmul_(p.grad, p.grad, value=1 - b2)
                m = st["exp_avg"] / (1 - b1 ** st["step"])
                v = st["exp_avg_sq"] / (1 - b2 ** st["step"])
                u = m / (v.sqrt() + g["eps"]) + g["weight_decay"] * p
                wn, un = p.norm(), u.norm()
                trust = (wn / un).item() if wn > 0 and un > 0 else 1.0
                p.add_(u, alpha=-g["lr"] * trust)


def make_optimizer(named, r):
    decay = [p for n, p in named if n in DECAYED]
    rest = [p for n, p in named if n not in DECAYED]
    groups = [dict(params=decay, weight_decay=r["weight_decay"]), dict(params=rest, weight_decay=0.0)]
    if r["optimizer"] == "sgd":
        return torch.optim.SGD(groups, lr=r["lr"], momentum=r["momentum"], nesterov=r["nesterov"])
    if r["optimizer"] == "adam":
        return torch.optim.Adam(groups, lr=r["lr"], betas=r["betas"], eps=r["eps"])
    if r["optimizer"] == "adamw":
        return torch.optim.AdamW(groups, lr=r["lr"], betas=r["betas"], eps=r["eps"])
    return Lamb(groups, lr=r["lr"], betas=r["betas"], eps=r["eps"], weight_decay=r["weight_decay"])


def load_split(path):
    data = np.load(path)
    return TensorDataset(torch.from_numpy(data["x"].astype(np.float32)), torch.from_numpy(data["y"].astype(np.int64)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="training split (.npz with x, y)")
    ap.add_argument("--test", help="test split (.npz), evaluated after each epoch")
    ap.add_argument("--weights", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "weights.safetensors"))
    ap.add_argument("--out", default="trained.pt", help="state_dict written by rank 0 at the end")
    ap.add_argument("--backend", choices=["gloo", "nccl"], help="default: nccl with CUDA, else gloo")
    ap.add_argument("--max-steps", type=int, help="stop each epoch after this many steps")
    ap.add_argument("--log", help="rank 0 appends one JSON line per step here")
    for key in ("epochs", "batch_size", "lr"):
        ap.add_argument("--" + key.replace("_", "-"), type=type(RECIPE[key]))
    args = ap.parse_args()
    r = dict(RECIPE)
    for key in ("epochs", "batch_size", "lr"):
        if getattr(args, key) is not None:
            r[key] = getattr(args, key)

    distributed = "WORLD_SIZE" in os.environ
    cuda = torch.cuda.is_available()
    if distributed:
        dist.init_process_group(args.backend or ("nccl" if cuda else "gloo"))
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    local = int(os.environ.get("LOCAL_RANK", 0))
    device = torch.device("cuda", local) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    torch.manual_seed(r["seed"])

    net = snn.load_weights(snn.Model(), args.weights).to(device)
    named = list(net.named_parameters())
    model = DistributedDataParallel(net, device_ids=[local] if cuda else None) if distributed else net
    train_set = load_split(args.data)
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=r["seed"]) if distributed else None
    # the recipe's batch is the global batch: each of the N processes takes its share
    per_rank = max(1, r["batch_size"] // world)
    loader = DataLoader(train_set, batch_size=per_rank, sampler=sampler, shuffle=sampler is None, drop_last=True)
    opt = make_optimizer(named, r)
    steps_per_epoch = min(len(loader), args.max_steps or len(loader))
    log = open(args.log, "a") if args.log and rank == 0 else None
    step = 0
    for epoch in range(r["epochs"]):
        if sampler is not None:
            sampler.set_epoch(epoch)
        model.train()
        for i, (x, y) in enumerate(loader):
            if i >= steps_per_epoch:
                break
            lr = learning_rate(step, steps_per_epoch, r)
            for g in opt.param_groups:
                g["lr"] = lr
            x, y = x.to(device), y.to(device)
            loss = loss_of(model(x) if r["loss"] != "tet" else per_step(model, x), y, r)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if r["grad_clip"]:
                torch.nn.utils.clip_grad_norm_(model.parameters(), r["grad_clip"])
            opt.step()
            step += 1
            if log:
                log.write(json.dumps({"epoch": epoch, "step": step, "lr": lr, "loss": loss.item()}) + "\\n")
                log.flush()
        if args.test and rank == 0:
            print(json.dumps({"epoch": epoch, "test_accuracy": evaluate(net, args.test, device)}), flush=True)
    if rank == 0:
        torch.save(net.state_dict(), args.out)
    if distributed:
        dist.destroy_process_group()


def per_step(model, x):
    """TET scores each step's logits: the model's output before its mean over T."""
    net = model.module if isinstance(model, DistributedDataParallel) else model
    if not hasattr(net, "forward_steps"):
        raise SystemExit("the TET loss needs per-step logits; this model ends with a mean over T")
    return net.forward_steps(x)


@torch.no_grad()
def evaluate(net, path, device):
    net.eval()
    data = load_split(path)
    correct = 0
    for x, y in DataLoader(data, batch_size=256):
        correct += (net(x.to(device)).argmax(1).cpu() == y).sum().item()
    return correct / len(data)


if __name__ == "__main__":
    main()
`;
}
