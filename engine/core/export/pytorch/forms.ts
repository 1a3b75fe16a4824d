/**
 * The PyTorch form of each catalogue block a generated model.py can hold: a class (one per block
 * kind, whatever the number of nodes using it), and the constructor arguments of one node. Every
 * form keeps the engine's layout — time-major [T, B, ...], stateless layers on the T·B-merged
 * batch — and names its tensors as the engine's lowering does (`weight`, `bias`, `running_mean`,
 * `running_var`, `w`), so the exported state_dict keys are the engine's parameter names.
 *
 * The step-by-step neurons come from the neuron table: a class per row, whose charge is written
 * from the row's rate (none, 1/τ, learned sigmoid(w)); fire and reset are the prelude's.
 */
import type { NodeInfo } from '../../graph/infer.js';
import { NEURON_TABLE } from '../../neurons/table.js';
import type { ChargeRule, NeuronAttrs } from '../../neurons/types.js';
import { py } from './python.js';

export interface PyForm {
  /** The Python class the node instantiates. */
  readonly cls: string;
  /** The class definition (written once per model.py). */
  readonly source: string;
  /** The constructor arguments of one node (`T` is the document's number of time steps). */
  readonly args: (n: NodeInfo, T: number) => string;
  /** Why this node's parameters have no form here (the form covers the rest of the block). */
  readonly refuse?: (n: NodeInfo) => string | undefined;
  /** Blocks whose classes this one's source uses (a base class, submodules): written before it. */
  readonly needs?: readonly string[];
}

type P = Record<string, any>;
const pair = (v: number | readonly number[]): readonly number[] => (typeof v === 'number' ? [v, v] : v);
const timed = (n: NodeInfo, port = 'in') => py(n.inputs[port]!.timed);
const lastDim = (n: NodeInfo, port = 'in') => n.inputs[port]!.shape[n.inputs[port]!.shape.length - 1]!;

const LINEAR = `class Linear(nn.Module):
    """y = x·Wᵀ + b on the last dim ([D] vectors and token sets [N, D] alike)."""

    def __init__(self, in_features, out_features, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(out_features, in_features))
        self.bias = nn.Parameter(torch.zeros(out_features)) if bias else None

    def forward(self, x):
        return F.linear(x, self.weight, self.bias)
`;

const BN = (dims: '1d' | '2d') => `class BatchNorm${dims}(nn.Module):
    """BatchNorm${dims === '1d' ? ' of the last dim ([D] or tokens [N, D]), statistics over T·B·N' : ' of the channels of [C, H, W], statistics over T·B·H·W'}; running statistics as PyTorch keeps them."""

    def __init__(self, channels, eps, momentum, timed):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.register_buffer("running_mean", torch.zeros(channels))
        self.register_buffer("running_var", torch.ones(channels))
        self.eps, self.momentum, self.timed = eps, momentum, timed

    def forward(self, x):
        ${dims === '1d' ? 'y = F.batch_norm(x.reshape(-1, x.shape[-1]), self.running_mean, self.running_var, self.weight, self.bias, self.training, self.momentum, self.eps)\n        return y.reshape(x.shape)' : 'norm = lambda z: F.batch_norm(z, self.running_mean, self.running_var, self.weight, self.bias, self.training, self.momentum, self.eps)\n        return stateless(norm, x, self.timed)'}
`;

const LAYERS: Readonly<Record<string, PyForm>> = {
  direct_encoder: {
    cls: 'DirectEncoder',
    source: `class DirectEncoder(nn.Module):
    """Repeats the analog input at every time step: [B, ...] → [T, B, ...]."""

    def __init__(self, time_steps):
        super().__init__()
        self.time_steps = time_steps

    def forward(self, x):
        return x.unsqueeze(0).expand(self.time_steps, *x.shape)
`,
    args: (_n, T) => `${T}`,
  },
  event_frames: {
    cls: 'EventFrames',
    source: `class EventFrames(nn.Module):
    """Event frames [T, B, 2, H, W], as counts or binarised (count > 0)."""

    def __init__(self, binarize):
        super().__init__()
        self.binarize = binarize

    def forward(self, x):
        return (x > 0).to(x.dtype) if self.binarize else x
`,
    args: (n) => py((n.params as P).binarize),
  },
  conv2d: {
    cls: 'Conv2d',
    source: `class Conv2d(nn.Module):
    """2-D convolution on [C, H, W], shared over time."""

    def __init__(self, in_channels, out_channels, kernel, stride, padding, groups, bias, timed):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(out_channels, in_channels // groups, *kernel))
        self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None
        self.stride, self.padding, self.groups, self.timed = stride, padding, groups, timed

    def forward(self, x):
        conv = lambda z: F.conv2d(z, self.weight, self.bias, self.stride, self.padding, 1, self.groups)
        return stateless(conv, x, self.timed)
`,
    args: (n) => {
      const p = n.params as P;
      return `${n.inputs.in!.shape[0]}, ${p.outChannels}, kernel=${py(pair(p.kernel))}, stride=${py(pair(p.stride))}, padding=${py(pair(p.padding))}, groups=${p.groups}, bias=${py(p.bias)}, timed=${timed(n)}`;
    },
  },
  conv1d: {
    cls: 'Conv1d',
    source: `class Conv1d(nn.Module):
    """Pointwise Conv1d on channels-first [C, L]: W·x (+ b)."""

    def __init__(self, in_channels, out_channels, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(out_channels, in_channels))
        self.bias = nn.Parameter(torch.zeros(out_channels)) if bias else None

    def forward(self, x):
        y = torch.matmul(self.weight, x)
        return y if self.bias is None else y + self.bias[:, None]
`,
    args: (n) => `${n.inputs.in!.shape[0]}, ${(n.params as P).outChannels}, bias=${py((n.params as P).bias)}`,
  },
  linear: { cls: 'Linear', source: LINEAR, args: (n) => `${lastDim(n)}, ${(n.params as P).outFeatures}, bias=${py((n.params as P).bias)}` },
  head: {
    needs: ['linear'],
    cls: 'Head',
    source: `class Head(Linear):
    """The classifier: Linear(D → classes), non-spiking logits (per step on a timed input)."""
`,
    args: (n) => `${lastDim(n)}, ${(n.params as P).classes}, bias=${py((n.params as P).bias)}`,
  },
  batchnorm1d: { cls: 'BatchNorm1d', source: BN('1d'), args: (n) => `${lastDim(n)}, eps=${py((n.params as P).eps)}, momentum=${py((n.params as P).momentum)}, timed=${timed(n)}` },
  batchnorm2d: { cls: 'BatchNorm2d', source: BN('2d'), args: (n) => `${n.inputs.in!.shape[0]}, eps=${py((n.params as P).eps)}, momentum=${py((n.params as P).momentum)}, timed=${timed(n)}` },
  maxpool2d: {
    cls: 'MaxPool2d',
    source: `class MaxPool2d(nn.Module):
    """Max pooling on [C, H, W] (stride defaults to the kernel)."""

    def __init__(self, kernel, stride, padding, timed):
        super().__init__()
        self.kernel, self.stride, self.padding, self.timed = kernel, stride, padding, timed

    def forward(self, x):
        return stateless(lambda z: F.max_pool2d(z, self.kernel, self.stride, self.padding), x, self.timed)
`,
    args: (n) => poolArgs(n),
  },
  avgpool2d: {
    cls: 'AvgPool2d',
    source: `class AvgPool2d(nn.Module):
    """Average pooling on [C, H, W], count_include_pad as PyTorch."""

    def __init__(self, kernel, stride, padding, timed):
        super().__init__()
        self.kernel, self.stride, self.padding, self.timed = kernel, stride, padding, timed

    def forward(self, x):
        return stateless(lambda z: F.avg_pool2d(z, self.kernel, self.stride, self.padding, count_include_pad=True), x, self.timed)
`,
    args: (n) => poolArgs(n),
  },
  global_avgpool: {
    cls: 'GlobalAvgPool',
    source: `class GlobalAvgPool(nn.Module):
    """Mean over H and W: [C, H, W] → [C]."""

    def forward(self, x):
        return x.mean(dim=(-2, -1))
`,
    args: () => '',
  },
  flatten: {
    cls: 'Flatten',
    source: `class Flatten(nn.Module):
    """Flattens the per-sample dims: [C, H, W] → [C·H·W]."""

    def __init__(self, timed):
        super().__init__()
        self.timed = timed

    def forward(self, x):
        return x.flatten(2 if self.timed else 1)
`,
    args: (n) => timed(n),
  },
  tokens: {
    cls: 'Tokens',
    source: `class Tokens(nn.Module):
    """Feature map to tokens: [C, H, W] → [N = H·W, C]."""

    def forward(self, x):
        return x.flatten(-2).transpose(-1, -2)
`,
    args: () => '',
  },
  untokens: {
    cls: 'Untokens',
    source: `class Untokens(nn.Module):
    """Tokens back to a feature map: [N, C] → [C, H, W]."""

    def __init__(self, height, width):
        super().__init__()
        self.height, self.width = height, width

    def forward(self, x):
        return x.transpose(-1, -2).reshape(*x.shape[:-2], x.shape[-1], self.height, self.width)
`,
    args: (n) => `${(n.params as P).height}, ${(n.params as P).width}`,
  },
  reshape: {
    cls: 'Reshape',
    source: `class Reshape(nn.Module):
    """Reshapes the per-sample dims; T and B stay."""

    def __init__(self, shape, timed):
        super().__init__()
        self.shape, self.lead = tuple(shape), 2 if timed else 1

    def forward(self, x):
        return x.reshape(*x.shape[: self.lead], *self.shape)
`,
    args: (n) => `${py((n.params as P).shape)}, timed=${timed(n)}`,
  },
  dropout: {
    cls: 'Dropout',
    source: `class Dropout(nn.Module):
    """Zeroes elements with probability p while training; identity at inference."""

    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, self.training)
`,
    args: (n) => py((n.params as P).p),
  },
  sew: {
    cls: 'SEW',
    source: `class SEW(nn.Module):
    """Spike-element-wise residual of branch a and shortcut b: ADD a + b, AND a·b, IAND (1 − a)·b."""

    def __init__(self, mode):
        super().__init__()
        self.mode = mode

    def forward(self, a, b):
        if self.mode == "add":
            return a + b
        if self.mode == "and":
            return a * b
        return b - a * b
`,
    args: (n) => py((n.params as P).mode),
  },
  membrane_add: {
    cls: 'MembraneAdd',
    source: `class MembraneAdd(nn.Module):
    """Residual on membrane potentials (before the neurons): a + b."""

    def forward(self, a, b):
        return a + b
`,
    args: () => '',
  },
  mean_time: {
    cls: 'MeanTime',
    source: `class MeanTime(nn.Module):
    """Mean over the time steps: [T, B, ...] → [B, ...]."""

    def forward(self, x):
        return x.mean(0)
`,
    args: () => '',
  },
  mean_tokens: {
    cls: 'MeanTokens',
    source: `class MeanTokens(nn.Module):
    """Mean over tokens: [N, D] → [D]."""

    def forward(self, x):
        return x.mean(-2)
`,
    args: () => '',
  },
  ssa_core: {
    cls: 'SSACore',
    source: `class SSACore(nn.Module):
    """Spikformer's spiking self-attention product, per head Q·Kᵀ·V·scale without softmax, on tokens [T, B, N, D]."""

    def __init__(self, heads, scale, order):
        super().__init__()
        self.heads, self.scale, self.order = heads, scale, order

    def forward(self, q, k, v):
        t, b, n, d = q.shape
        split = lambda z: z.reshape(t, b, n, self.heads, d // self.heads).transpose(2, 3)
        qh, kh, vh = split(q), split(k), split(v)
        if self.order == "qk_v":
            y = torch.matmul(torch.matmul(qh, kh.transpose(-1, -2)), vh)
        else:
            y = torch.matmul(qh, torch.matmul(kh.transpose(-1, -2), vh))
        return (y * self.scale).transpose(2, 3).reshape(t, b, n, d)
`,
    args: (n) => `heads=${(n.params as P).heads}, scale=${py((n.params as P).scale)}, order=${py((n.params as P).order)}`,
  },
  sdsa_core: {
    cls: 'SDSACore',
    source: `class SDSACore(nn.Module):
    """SDT's spike-driven attention: the column sum over tokens of a Hadamard product, [N, D] → [1, D]."""

    def forward(self, a, b):
        return (a * b).sum(dim=-2, keepdim=True)
`,
    args: () => '',
    refuse: (n) => ((n.params as P).erode ? 'the eroded SDSA (CIFAR10-DVS code) has no generated PyTorch form' : undefined),
  },
  qkta_core: {
    cls: 'QKTACore',
    source: `class QKTACore(nn.Module):
    """QKFormer's token attention: per token, the sum of Q over each head's channels, [N, D] → [N, heads]."""

    def __init__(self, heads):
        super().__init__()
        self.heads = heads

    def forward(self, q):
        return q.reshape(*q.shape[:-1], self.heads, q.shape[-1] // self.heads).sum(-1)
`,
    args: (n) => `${(n.params as P).heads}`,
  },
  qkca_core: {
    cls: 'QKCACore',
    source: `class QKCACore(nn.Module):
    """QKFormer's channel attention: the sum of Q over tokens, per channel, [N, D] → [1, D]."""

    def forward(self, q):
        return q.sum(dim=-2, keepdim=True)
`,
    args: () => '',
  },
  mask_mul: {
    cls: 'MaskMul',
    source: `class MaskMul(nn.Module):
    """Gates tokens [N, D] with a mask [M, G] (M = 1 or N): column g covers D/G consecutive channels."""

    def forward(self, mask, x):
        g, d = mask.shape[-1], x.shape[-1]
        if g == d:
            return mask * x
        gated = mask.unsqueeze(-1) * x.reshape(*x.shape[:-1], g, d // g)
        return gated.reshape(x.shape)
`,
    args: () => '',
  },
  rate_encoder: {
    cls: 'RateEncoder',
    source: `class RateEncoder(nn.Module):
    """Rate (Bernoulli) encoding: each value in [0, 1] fires with that probability at every step (PyTorch's generator, not the engine's seeded one)."""

    def __init__(self, time_steps):
        super().__init__()
        self.time_steps = time_steps

    def forward(self, x):
        return torch.bernoulli(x.clamp(0, 1).unsqueeze(0).expand(self.time_steps, *x.shape))
`,
    args: (_n, T) => `${T}`,
  },
  relu: {
    cls: 'ReLU',
    source: `class ReLU(nn.Module):
    def forward(self, x):
        return F.relu(x)
`,
    args: () => '',
  },
  gelu: {
    cls: 'GELU',
    source: `class GELU(nn.Module):
    """GELU, exact erf form."""

    def forward(self, x):
        return F.gelu(x)
`,
    args: () => '',
  },
  layernorm: {
    cls: 'LayerNorm',
    source: `class LayerNorm(nn.Module):
    """Layer normalisation over the last dim, learnable scale and shift."""

    def __init__(self, dim, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.bias = nn.Parameter(torch.zeros(dim))
        self.eps = eps

    def forward(self, x):
        return F.layer_norm(x, (x.shape[-1],), self.weight, self.bias, self.eps)
`,
    args: (n) => `${lastDim(n)}, eps=${py((n.params as P).eps)}`,
  },
  softmax_attention: {
    needs: ['linear'],
    cls: 'SoftmaxAttention',
    source: `class SoftmaxAttention(nn.Module):
    """Multi-head self-attention (ANN): softmax(QKᵀ/√d)·V with Q/K/V/output Linear projections, on tokens [N, D]."""

    def __init__(self, dim, heads):
        super().__init__()
        self.q, self.k, self.v, self.proj = (Linear(dim, dim, True) for _ in range(4))
        self.heads = heads

    def forward(self, x):
        n, d = x.shape[-2], x.shape[-1]
        split = lambda z: z.reshape(*z.shape[:-1], self.heads, d // self.heads).transpose(-2, -3)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(d // self.heads))
        y = torch.matmul(torch.softmax(scores, dim=-1), v).transpose(-2, -3).reshape(*x.shape[:-2], n, d)
        return self.proj(y)
`,
    args: (n) => `${lastDim(n)}, heads=${(n.params as P).heads}`,
  },
  concat: {
    cls: 'Concat',
    source: `class Concat(nn.Module):
    """Joins maps (or vectors) along the channel axis, in port order."""

    def __init__(self, timed):
        super().__init__()
        self.dim = 2 if timed else 1

    def forward(self, *xs):
        return torch.cat(xs, dim=self.dim)
`,
    args: (n) => timed(n, 'in1'),
  },
  nearest_resize: {
    cls: 'NearestResize',
    source: `class NearestResize(nn.Module):
    """Nearest-neighbour resampling of [C, H, W] by a whole factor (up), or keeping every factor-th pixel (down)."""

    def __init__(self, factor, up, timed):
        super().__init__()
        self.factor, self.up, self.timed = factor, up, timed

    def forward(self, x):
        f = self.factor
        if f == 1:
            return x
        if self.up:
            return stateless(lambda z: F.interpolate(z, scale_factor=f, mode="nearest"), x, self.timed)
        return x[..., ::f, ::f]
`,
    args: (n) => {
      const scale = (n.params as P).scale as number;
      return `${Math.round(scale >= 1 ? scale : 1 / scale)}, up=${py(scale >= 1)}, timed=${timed(n)}`;
    },
  },
  untokens_like: {
    cls: 'UntokensLike',
    source: `class UntokensLike(nn.Module):
    """Tokens [N, C] back to the map size of a reference [C', H, W]: → [C, H, W]."""

    def forward(self, x, like):
        return x.transpose(-1, -2).reshape(*x.shape[:-2], x.shape[-1], like.shape[-2], like.shape[-1])
`,
    args: () => '',
  },
  bn_pad: {
    needs: ['batchnorm2d'],
    cls: 'BNPad',
    source: `class BNPad(BatchNorm2d):
    """BatchNorm2d, then pad pixels on every side filled per channel with BN(0) = β − μ·γ/√(σ² + ε) from the running statistics, detached (RepConv's BNAndPadLayer)."""

    def __init__(self, channels, pad, eps, momentum, timed):
        super().__init__(channels, eps, momentum, timed)
        self.pad = pad

    def forward(self, x):
        y = super().forward(x)
        if self.pad == 0:
            return y
        p = self.pad
        fill = (self.bias - self.running_mean * self.weight / torch.sqrt(self.running_var + self.eps)).detach()
        inside = F.pad(torch.ones(y.shape[-2], y.shape[-1], dtype=y.dtype, device=y.device), [p, p, p, p])
        return F.pad(y, [p, p, p, p]) + (1.0 - inside) * fill[:, None, None]
`,
    args: (n) => `${n.inputs.in!.shape[0]}, pad=${(n.params as P).pad}, eps=${py((n.params as P).eps)}, momentum=${py((n.params as P).momentum)}, timed=${timed(n)}`,
  },
  psn: {
    cls: 'PSN',
    source: `class PSN(nn.Module):
    """Parallel spiking neuron: H = W·X + b over all T at once (W: T×T, b: T), S = Θ(H); no reset."""

    def __init__(self, time_steps, surrogate):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(time_steps, time_steps))
        self.bias = nn.Parameter(torch.zeros(time_steps, 1))
        self.surrogate = dict(surrogate)

    def effective_weight(self):
        return self.weight

    def forward(self, x):
        h = (torch.matmul(self.effective_weight(), x.reshape(x.shape[0], -1)) + self.bias).reshape(x.shape)
        return torch.stack([Spike.apply(h[t], self.surrogate, False) for t in range(x.shape[0])])
`,
    args: (n, T) => `${T}, surrogate=${py((n.params as P).surrogate)}`,
  },
  masked_psn: {
    needs: ['psn'],
    cls: 'MaskedPSN',
    source: `class MaskedPSN(PSN):
    """PSN with a band mask of order k: W_eff = (λ·M0 + (1 − λ)) ⊙ W."""

    def __init__(self, time_steps, order, lam, surrogate):
        super().__init__(time_steps, surrogate)
        lam = min(lam, 1.0)
        band = torch.tensor([[1.0 if i - order + 1 <= j <= i else 0.0 for j in range(time_steps)] for i in range(time_steps)])
        self.register_buffer("mask", lam * band + (1 - lam), persistent=False)

    def effective_weight(self):
        return self.weight * self.mask.to(self.weight.dtype)
`,
    args: (n, T) => `${T}, order=${(n.params as P).order}, lam=${py((n.params as P).lambda)}, surrogate=${py((n.params as P).surrogate)}`,
  },
  sliding_psn: {
    needs: ['psn'],
    cls: 'SlidingPSN',
    source: `class SlidingPSN(PSN):
    """Sliding PSN of order k: H[t] = Σ_i w[i]·X[t−k+1+i] + b, k shared weights and a scalar bias."""

    def __init__(self, time_steps, order, surrogate):
        super().__init__(time_steps, surrogate)
        self.weight = nn.Parameter(torch.zeros(order))
        self.bias = nn.Parameter(torch.zeros(1))
        gather = torch.zeros(time_steps * time_steps, order)
        for t in range(time_steps):
            for j in range(max(0, t - order + 1), t + 1):
                gather[t * time_steps + j, order - 1 - (t - j)] = 1.0
        self.register_buffer("gather", gather, persistent=False)
        self.time_steps = time_steps

    def effective_weight(self):
        return torch.matmul(self.gather.to(self.weight.dtype), self.weight).reshape(self.time_steps, self.time_steps)
`,
    args: (n, T) => `${T}, order=${(n.params as P).order}, surrogate=${py((n.params as P).surrogate)}`,
  },
};

function poolArgs(n: NodeInfo): string {
  const p = n.params as P;
  return `kernel=${py(pair(p.kernel))}, stride=${py(pair(p.stride ?? p.kernel))}, padding=${py(pair(p.padding))}, timed=${timed(n)}`;
}

// ---- neurons ------------------------------------------------------------------------------------

const NEURON_CLASS: Readonly<Record<string, string>> = { lif: 'LIF', if: 'IF', plif: 'PLIF', spikedhs_neuron: 'SpikeDHSNeuron', alif: 'ALIF' };

/** The charge H(V, X) of a row, from its rate (spec §1.1): the only thing a neuron type defines. */
function chargeSource(row: ChargeRule): { init: string[]; charge: string[]; params: string } {
  const leak = (k: string) => [
    'leak = v - self.v_rest',
    `return v + (x - leak) * ${k} if self.decay_input else v - leak * ${k} + x`,
  ];
  switch (row.rate) {
    case 'none':
      return { init: [], charge: ['return v + x'], params: '' };
    case 'tau':
      return { init: ['self.tau, self.decay_input = tau, decay_input'], charge: leak('(1.0 / self.tau)'), params: 'tau, decay_input, ' };
    case 'learned':
      return {
        init: ['self.decay_input = decay_input', 'self.w = nn.Parameter(torch.zeros(1))  # 1/τ = sigmoid(w)'],
        charge: ['k = torch.sigmoid(self.w)', ...leak('k')],
        params: 'decay_input, ',
      };
  }
}

function neuronForm(row: ChargeRule): PyForm | undefined {
  // a drive g(V) other than the plain leak has no generated charge yet
  if (row.drive) return undefined;
  const cls = NEURON_CLASS[row.block.id] ?? row.block.id.toUpperCase();
  const c = chargeSource(row);
  const source = [
    `class ${cls}(SpikingNeuron):`,
    `    """${row.block.description.replace(/"""/g, "'''")}"""`,
    '',
    `    def __init__(self, ${c.params}**node):`,
    '        super().__init__(**node)',
    ...c.init.map((l) => `        ${l}`),
    '',
    '    def charge(self, v, x):',
    ...c.charge.map((l) => `        ${l}`),
    '',
  ].join('\n');
  return {
    cls,
    source,
    args: (n) => {
      const a: NeuronAttrs = row.block.attrs(n.params);
      const own = row.rate === 'tau' ? `tau=${py(a.tau)}, decay_input=${py(a.decayInput)}, ` : row.rate === 'learned' ? `decay_input=${py(a.decayInput)}, ` : '';
      const adapt = row.adaptation ? row.adaptation(a) : undefined;
      return (
        `${own}threshold=${py(a.threshold)}, v_reset=${py(a.vReset)}, detach_reset=${py(a.detachReset)}, surrogate=${py(a.surrogate)}` +
        (a.strict ? ', strict=True' : '') +
        (a.postResetDecay !== 1 ? `, post_reset_decay=${py(a.postResetDecay)}` : '') +
        (adapt ? `, adaptation=(${py(adapt.beta)}, ${py(adapt.decay)})` : '') +
        ((n.params as { mergeRows?: boolean }).mergeRows ? ', merge_rows=True' : '')
      );
    },
  };
}

const NEURONS: Readonly<Record<string, PyForm>> = Object.fromEntries(
  NEURON_TABLE.flatMap((row) => {
    const form = neuronForm(row);
    return form ? [[row.block.id, form]] : [];
  }),
);

/** Every block with a PyTorch form, by block id. */
export const PYTORCH_FORMS: Readonly<Record<string, PyForm>> = { ...LAYERS, ...NEURONS };

/** Blocks the model's structure handles itself (its inputs and outputs), not a form. */
export const PYTORCH_STRUCTURAL = new Set(['input', 'output']);

export function pytorchForm(blockId: string): PyForm | undefined {
  return Object.hasOwn(PYTORCH_FORMS, blockId) ? PYTORCH_FORMS[blockId] : undefined;
}
