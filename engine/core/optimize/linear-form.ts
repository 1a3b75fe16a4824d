/**
 * The shape of the one convolution a chain of linear operators folds into, and the rule for
 * extending it by one more operator. The value-kind analysis (which names the folded operator and
 * counts its MACs) and the inference pass (which computes its weights) both ask this rule, so the
 * analysis never claims a fold that compile does not make.
 *
 * These facts (which ops are linear, how they compose) live here rather than on the primitive
 * rows: they concern chains of blocks and IR ops together, and only these two readers need them.
 *
 * A conv y₂ = W₂ ⋆ y₁ (stride s₂, padding p₂) after y₁ = W₁ ⋆ x (stride s₁, padding p₁) is one conv on
 * x with kernel k₁ + (k₂ − 1)·s₁, stride s₁·s₂ and padding p₁ + p₂·s₁ — exact inside the map. The
 * zero padding p₂ of y₁ is exact only if the folded operator gives 0 where y₁ is padded, that is a
 * bias-free 1×1, stride-1, unpadded y₁ (RepConv's first conv). BN-and-pad pads with BN(0), which
 * the folded operator gives on a zero-padded input when the conv before it is bias-free and 1×1:
 * the re-parameterisation RepConv is built for.
 */

export interface ConvForm {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  /** Zero padding of the chain's input: top, left, bottom, right. */
  readonly pads: readonly [number, number, number, number];
  readonly inChannels: number;
  readonly outChannels: number;
  /** Groups of the folded conv: a single conv keeps its own; two or more compose into a dense one. */
  readonly groups: number;
  /** Gives 0 on a zero input (no bias, no BN folded yet). */
  readonly biasFree: boolean;
  /** Convolutions folded so far. */
  readonly convs: number;
}

export interface ConvStep {
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilation?: readonly [number, number];
  readonly groups: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly bias: boolean;
}

/** The form of a chain that starts with `conv`, or undefined for a dilated conv (not folded). */
export function startForm(conv: ConvStep): ConvForm | undefined {
  if (conv.dilation && (conv.dilation[0] !== 1 || conv.dilation[1] !== 1)) return undefined;
  return { kernel: conv.kernel, stride: conv.stride, pads: conv.pads, inChannels: conv.inChannels, outChannels: conv.outChannels, groups: conv.groups, biasFree: !conv.bias, convs: 1 };
}

/** `f` followed by `conv`, or undefined where the composition is not exact. */
export function withConv(f: ConvForm, conv: ConvStep): ConvForm | undefined {
  if (conv.dilation && (conv.dilation[0] !== 1 || conv.dilation[1] !== 1)) return undefined;
  if (conv.inChannels !== f.outChannels) return undefined;
  const padded = conv.pads.some((p) => p !== 0);
  if (padded && !(f.biasFree && isPointwise(f))) return undefined;
  const [s1h, s1w] = f.stride;
  return {
    kernel: [f.kernel[0] + (conv.kernel[0] - 1) * s1h, f.kernel[1] + (conv.kernel[1] - 1) * s1w],
    stride: [s1h * conv.stride[0], s1w * conv.stride[1]],
    pads: [f.pads[0] + conv.pads[0] * s1h, f.pads[1] + conv.pads[1] * s1w, f.pads[2] + conv.pads[2] * s1h, f.pads[3] + conv.pads[3] * s1w],
    inChannels: f.inChannels,
    outChannels: conv.outChannels,
    groups: 1,
    biasFree: f.biasFree && !conv.bias,
    convs: f.convs + 1,
  };
}

/** `f` followed by a per-channel affine map (BatchNorm with frozen statistics). */
export function withAffine(f: ConvForm): ConvForm {
  return { ...f, biasFree: false };
}

/**
 * `f` followed by BN-and-pad (BN, then `pad` pixels of BN(0)): exact when the folded operator
 * before the BN gives 0 on zero input and reads one unpadded pixel per output pixel.
 */
export function withBnPad(f: ConvForm, pad: number): ConvForm | undefined {
  if (pad === 0) return withAffine(f);
  if (!f.biasFree || !isPointwise(f)) return undefined;
  return { ...f, pads: [pad, pad, pad, pad], biasFree: false };
}

/**
 * Whether the folded conv maps an [H, W] input to the [H', W'] the chain gives. With H − k₁ = a·s₁ + r
 * the floors agree for every composition above; callers check it so that a rule added later that
 * breaks this cannot emit a conv of the wrong size.
 */
export function sameOutputSize(f: ConvForm, input: readonly [number, number], output: readonly [number, number]): boolean {
  const at = (n: number, d: 0 | 1) => Math.floor((n + f.pads[d] + f.pads[d + 2]! - f.kernel[d]) / f.stride[d]) + 1;
  return at(input[0], 0) === output[0] && at(input[1], 1) === output[1];
}

/** MACs of the folded conv per output element (one channel at one pixel). */
export function macsPerOutput(f: ConvForm): number {
  return (f.inChannels / f.groups) * f.kernel[0] * f.kernel[1];
}

/** `3×3 conv, 384→384` (`, stride 2` where strided). */
export function describeForm(f: ConvForm): string {
  const k = f.kernel[0] === f.kernel[1] ? `${f.kernel[0]}×${f.kernel[0]}` : `${f.kernel[0]}×${f.kernel[1]}`;
  const dw = f.groups > 1 && f.groups === f.inChannels ? 'depthwise ' : f.groups > 1 ? `${f.groups}-group ` : '';
  const s = f.stride[0] === 1 && f.stride[1] === 1 ? '' : `, stride ${f.stride[0] === f.stride[1] ? f.stride[0] : f.stride.join('×')}`;
  return `${k} ${dw}conv, ${f.inChannels}→${f.outChannels}${s}`;
}

function isPointwise(f: ConvForm): boolean {
  return f.kernel[0] === 1 && f.kernel[1] === 1 && f.stride[0] === 1 && f.stride[1] === 1 && f.pads.every((p) => p === 0);
}
