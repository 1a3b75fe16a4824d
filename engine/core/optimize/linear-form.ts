/**
 * The shape of the one convolution a chain of linear operators folds into, and the rule for
 * extending it by one more operator: a conv, an average pool (a depthwise conv of equal weights),
 * a per-channel affine map (BN with frozen statistics), a constant scale, BN-and-pad, or the sum of
 * two chains that read the same input. The value-kind analysis (which names the folded operator and
 * counts its MACs) and the inference pass (which computes its weights) both ask this rule, so the
 * analysis never claims a fold that compile does not make.
 *
 * These facts (which ops are linear, how they compose) live here rather than on the primitive
 * rows: they concern chains of blocks and IR ops together, and only these two readers need them.
 *
 * A conv y₂ = W₂ ⋆ y₁ (stride s₂, padding p₂) after y₁ = W₁ ⋆ x (stride s₁, padding p₁) is one conv on
 * x with kernel k₁ + (k₂ − 1)·s₁, stride s₁·s₂ and padding p₁ + p₂·s₁ — exact inside the map. The
 * zero padding p₂ of y₁ is exact only if the folded operator gives 0 where y₁ is padded: it is
 * bias-free and its windows there read only the zero padding of x (RepConv's 1×1 first conv; a
 * 2×2 pool of stride 2 on an even map). BN-and-pad pads with BN(0), which the folded operator gives
 * on a zero-padded input under the same condition: the re-parameterisation RepConv is built for.
 * Two chains from the same input with the same stride add into one conv whose kernel holds both,
 * each at its own offset (RepVGG's 3×3 + 1×1).
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
  /** Convolutions (average pools included) folded so far. */
  readonly convs: number;
  /** [H, W] of the chain's input map: where the padding rule asks which windows read real pixels. */
  readonly input: readonly [number, number];
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

/** The form of a chain that starts with `conv` on an [H, W] map, or undefined for a dilated conv (not folded). */
export function startForm(conv: ConvStep, input: readonly [number, number]): ConvForm | undefined {
  if (conv.dilation && (conv.dilation[0] !== 1 || conv.dilation[1] !== 1)) return undefined;
  return { kernel: conv.kernel, stride: conv.stride, pads: conv.pads, inChannels: conv.inChannels, outChannels: conv.outChannels, groups: conv.groups, biasFree: !conv.bias, convs: 1, input };
}

/** AvgPool2d with count_include_pad over `channels` maps, as the conv it is: depthwise, every weight 1/(kh·kw), no bias. */
export function poolStep(kernel: readonly [number, number], stride: readonly [number, number], pads: readonly [number, number, number, number], channels: number): ConvStep {
  return { kernel, stride, pads, groups: channels, inChannels: channels, outChannels: channels, bias: false };
}

/** `f` followed by `conv`, or undefined where the composition is not exact. */
export function withConv(f: ConvForm, conv: ConvStep): ConvForm | undefined {
  if (conv.dilation && (conv.dilation[0] !== 1 || conv.dilation[1] !== 1)) return undefined;
  if (conv.inChannels !== f.outChannels) return undefined;
  const padded = conv.pads.some((p) => p !== 0);
  if (padded && !zeroWherePadded(f)) return undefined;
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
    input: f.input,
  };
}

/**
 * The sum of two chains that read the same input: one conv whose kernel spans both windows, each
 * chain's kernel placed at its own offset (`sumOffsets`); undefined where the strides or channels
 * differ. Groups stay only where both have the same; otherwise the sum is dense.
 */
export function withSum(a: ConvForm, b: ConvForm): ConvForm | undefined {
  if (a.inChannels !== b.inChannels || a.outChannels !== b.outChannels) return undefined;
  if (a.stride[0] !== b.stride[0] || a.stride[1] !== b.stride[1]) return undefined;
  if (a.input[0] !== b.input[0] || a.input[1] !== b.input[1]) return undefined;
  // per axis: the window starts max(p) before o·s and ends max(k − p) after it
  const axis = (d: 0 | 1) => {
    const before = Math.max(a.pads[d], b.pads[d]);
    const kernel = before + Math.max(a.kernel[d] - a.pads[d], b.kernel[d] - b.pads[d]);
    const after = Math.max(a.pads[d + 2]! + kernel - before - (a.kernel[d] - a.pads[d]), b.pads[d + 2]! + kernel - before - (b.kernel[d] - b.pads[d]));
    return { before, kernel, after };
  };
  const [h, w] = [axis(0), axis(1)];
  return {
    kernel: [h.kernel, w.kernel],
    stride: a.stride,
    pads: [h.before, w.before, h.after, w.after],
    inChannels: a.inChannels,
    outChannels: a.outChannels,
    groups: a.groups === b.groups ? a.groups : 1,
    biasFree: a.biasFree && b.biasFree,
    convs: a.convs + b.convs,
    input: a.input,
  };
}

/** Where chain `part`'s kernel sits inside the kernel of `sum` (withSum's result): [rows, columns] from the top left. */
export function sumOffsets(sum: ConvForm, part: ConvForm): [number, number] {
  return [sum.pads[0] - part.pads[0], sum.pads[1] - part.pads[1]];
}

/** `f` followed by a per-channel affine map (BatchNorm with frozen statistics). */
export function withAffine(f: ConvForm): ConvForm {
  return { ...f, biasFree: false };
}

/** `f` followed by a multiplication by a constant: the same form, still 0 on zero input if `f` is. */
export function withScale(f: ConvForm): ConvForm {
  return f;
}

/**
 * `f` followed by BN-and-pad (BN, then `pad` pixels of BN(0)): exact when the folded operator
 * before the BN gives 0 on zero input and reads one unpadded pixel per output pixel.
 */
export function withBnPad(f: ConvForm, pad: number): ConvForm | undefined {
  if (pad === 0) return withAffine(f);
  if (!zeroWherePadded(f)) return undefined;
  const [sh, sw] = f.stride;
  return { ...f, pads: [f.pads[0] + pad * sh, f.pads[1] + pad * sw, f.pads[2] + pad * sh, f.pads[3] + pad * sw], biasFree: false };
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

/**
 * Whether the folded operator, run one pixel past the edge of its own output on the zero-padded
 * input, gives 0: bias-free, and every such window reads padding only. Before the map (top, left)
 * that is k ≤ s + p; after it (bottom, right), the first window past the last output starts at or
 * beyond the input's end.
 */
function zeroWherePadded(f: ConvForm): boolean {
  if (!f.biasFree) return false;
  for (const d of [0, 1] as const) {
    const out = Math.floor((f.input[d] + f.pads[d] + f.pads[d + 2]! - f.kernel[d]) / f.stride[d]) + 1;
    if (f.kernel[d] > f.stride[d] + f.pads[d]) return false;
    if (out * f.stride[d] - f.pads[d] < f.input[d]) return false;
  }
  return true;
}
