"""Writes a Spikformer state_dict under the released code's module names, as the authors' training
saves it, and the logits the network gives with it, for test/export/import.test.ts:

    python3 authors_state_dict.py EXPORT_DIR OUT.pth INPUT.bin N [--wrap] [--family=spikformer|sdt|spikingformer|qkformer]

The network is EXPORT_DIR/model.py (a PyTorch export of the template: the engine's names). Its
tensors get random values (BatchNorm γ large enough that spikes reach the head), are saved under
the released names — `block.<i>.…` for the document's `block<i+1>.…`, plus the released blocks'
unused LayerNorms norm1/norm2 and every BatchNorm's num_batches_tracked — with torch.save (under
{"model": …, "epoch": …} with --wrap). --family=sdt: SDT's released names (1×1 Conv2d projections
q_conv … fc2_conv, the unused talking_heads Conv1d); --family=spikingformer: Spikingformer's (tokenizer
block<k>_conv/bn, Conv1d q_conv … proj_conv, MLP mlp1/mlp2). Prints JSON: logits (float64) and per sample the smallest
nonzero |H − θ| of any neuron.
"""
import collections
import json
import re
import sys

import numpy as np
import torch


def released_name(name, family):
    """The released code's name of a document tensor."""
    key = re.sub(r"^block(\d+)\.", lambda m: "block.%d." % (int(m.group(1)) - 1), name)
    if family == "sdt":
        key = re.sub(r"^(block\.\d+\.(attn\.(q|k|v|proj)|mlp\.(fc1|fc2)))_linear\.", r"\1_conv.", key)
    if family == "spikingformer":
        key = re.sub(r"^(block\.\d+\.attn\.(q|k|v|proj))_linear\.", r"\1_conv.", key)
        key = re.sub(r"^(block\.\d+\.mlp\.)fc([12])_(linear|bn)\.", lambda m: "%smlp%s_%s." % (m.group(1), m.group(2), "conv" if m.group(3) == "linear" else "bn"), key)
        key = re.sub(r"^patch_embed\.proj_(conv|bn)(\d?)\.", lambda m: "patch_embed.block%s_%s." % (m.group(2) or "0", m.group(1)), key)
    if family == "qkformer":
        attn = lambda stage: "ssa" if stage == "3" else "tssa"
        key = re.sub(r"^stage(\d)_block(\d+)\.attn\.(q|k|v|proj)_linear\.", lambda m: "stage%s.%d.%s.%s_conv." % (m.group(1), int(m.group(2)) - 1, attn(m.group(1)), m.group(3)), key)
        key = re.sub(r"^stage(\d)_block(\d+)\.attn\.", lambda m: "stage%s.%d.%s." % (m.group(1), int(m.group(2)) - 1, attn(m.group(1))), key)
        key = re.sub(r"^stage(\d)_block(\d+)\.mlp\.fc([12])_(linear|bn)\.", lambda m: "stage%s.%d.mlp.mlp%s_%s." % (m.group(1), int(m.group(2)) - 1, m.group(3), "conv" if m.group(4) == "linear" else "bn"), key)
        key = re.sub(r"^patch_embed1\.proj_(conv|bn)1\.", r"patch_embed1.proj1_\1.", key)
        key = re.sub(r"^patch_embed([23])\.proj_(conv|bn)1\.", r"patch_embed\1.proj4_\2.", key)
        key = re.sub(r"^patch_embed([23])\.proj_(conv|bn)\.", r"patch_embed\1.proj3_\2.", key)
    return key


KERNEL = {"sdt": (1, 1), "spikingformer": (1,), "qkformer": (1,)}


def main(export_dir, out, input_path, n, wrap, family):
    sys.path.insert(0, export_dir)
    import model as snn

    torch.manual_seed(0)
    net = snn.Model().double().eval()
    released = collections.OrderedDict()
    with torch.no_grad():
        for name, t in net.state_dict().items():
            if name.endswith("running_var"):
                t.uniform_(0.5, 1.5)
            elif name.endswith("running_mean"):
                t.normal_(0, 0.1)
            elif re.search(r"_bn\d*\.weight$|bn\.weight$", name):
                t.uniform_(10, 16)
            elif name.endswith("bias"):
                t.normal_(0, 0.1)
            else:
                t.normal_(0, 1.0 / np.sqrt(max(1, t[0].numel())))
            key = released_name(name, family)
            # the released 1×1 convolutions keep their kernel dims (SDT Conv2d [O, I, 1, 1]; Spikingformer's attention Conv1d [O, I, 1], its MLP Conv2d)
            kernel = (1, 1) if family in ("spikingformer", "qkformer") and ".mlp." in key else KERNEL.get(family, ())
            released[key] = t.float().clone().reshape(*t.shape, *kernel) if re.match(r"^(block|stage\d)\.", key) and key.endswith("_conv.weight") else t.float().clone()
            if name.endswith("running_var"):
                released[key[: -len("running_var")] + "num_batches_tracked"] = torch.tensor(1000)
        blocks = sorted({int(m.group(1)) for k in released for m in [re.match(r"^block\.(\d+)\.", k)] if m})
        for b in blocks:
            if family == "sdt":
                released["block.%d.attn.talking_heads.weight" % b] = torch.randn(8, 8, 1)
                continue
            dim = released["block.%d.attn.%s.weight" % (b, "q_conv" if family == "spikingformer" else "q_linear")].shape[0]
            for norm in ("norm1", "norm2"):
                released["block.%d.%s.weight" % (b, norm)] = torch.ones(dim)
                released["block.%d.%s.bias" % (b, norm)] = torch.zeros(dim)
    # the network computes with exactly the float32 values saved
    net.load_state_dict({k: released[released_name(k, family)].reshape(v.shape).double() for k, v in net.state_dict().items()})
    torch.save({"model": released, "epoch": 299} if wrap else released, out)

    margins = []
    spike = snn.Spike

    class Recorded(spike):
        @staticmethod
        def forward(ctx, x, surrogate, strict):
            d = x.detach().abs().flatten(1)
            margins.append(torch.where(d == 0, torch.full_like(d, float("inf")), d).min(1).values)
            return spike.forward(ctx, x, surrogate, strict)

    snn.Spike = Recorded
    shape = [n] + list(snn.INPUT_SHAPE)
    x = torch.from_numpy(np.fromfile(input_path, dtype=np.float32).astype(np.float64).reshape(shape))
    with torch.no_grad():
        y = net(x)
    print(json.dumps({"logits": y.reshape(-1).tolist(), "margins": torch.stack(margins).min(0).values.tolist()}))


if __name__ == "__main__":
    family = next((a[len("--family="):] for a in sys.argv if a.startswith("--family=")), "spikformer")
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), "--wrap" in sys.argv, family)
