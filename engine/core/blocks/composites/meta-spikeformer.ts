/**
 * The blocks of Meta-SpikeFormer (Spike-driven Transformer V2, spec §5.9), all on feature maps
 * [C,H,W] with membrane shortcuts: strided-conv down-sampling, convolutional blocks (SepConv and a
 * 3×3 conv MLP), and attention blocks whose Q/K/V/projection are RepConvs around an SSA-style
 * Q·(Kᵀ·V)·scale on the map's tokens (`untokens_like` returns them to the block input's size).
 */
import { z } from 'zod';
import type { GraphBuilder, PortRef } from '../../document/builder.js';
import { positiveInt } from '../common.js';
import { defineComposite } from './define.js';
import { checkHeads, dimParam, neuronNode, neuronOf, neuronParam, tauParam } from './units.js';

const conv = (outChannels: number, kernel: number, extra: Record<string, unknown> = {}) => ({ outChannels, kernel, padding: Math.floor(kernel / 2), ...extra });

// ---- RepConv --------------------------------------------------------------------------------

const repconvParams = z.strictObject({ inChannels: positiveInt.default(512), outChannels: positiveInt.default(512) });

export const repconv = defineComposite({
  id: 'repconv',
  label: 'RepConv',
  category: 'layers',
  description:
    'Re-parameterisable conv of Meta-SpikeFormer: Conv1×1(C_in→C_in) → BN padded with BN(0) → depthwise Conv3×3 (no padding) → Conv1×1(C_in→C_out) → BN; all convs without bias. After training it folds into one 3×3 conv.',
  keywords: ['repconv', 'meta-spikeformer', 'sdt-v2', 'reparameterisation'],
  params: repconvParams,
  build: (g, p, { in: x }) =>
    g.chain(x!, [
      ['conv1x1', 'conv2d', conv(p.inChannels, 1)],
      ['bn_pad', 'bn_pad'],
      ['dwconv', 'conv2d', { outChannels: p.inChannels, kernel: 3, padding: 0, groups: p.inChannels }],
      ['pwconv', 'conv2d', conv(p.outChannels, 1)],
      ['bn', 'batchnorm2d'],
    ]),
});

// ---- convolutional stages -------------------------------------------------------------------

const sepConvParams = z.strictObject({ dim: dimParam, expansion: positiveInt.default(2), kernel: positiveInt.default(7), tau: tauParam, neuron: neuronParam });

export const sepConv = defineComposite({
  id: 'sep_conv',
  label: 'Spiking separable conv',
  category: 'layers',
  description: 'Meta-SpikeFormer SepConv on a membrane map: LIF → Conv1×1(C→2C) → BN → LIF → depthwise Conv7×7 → Conv1×1(2C→C) → BN; convs without bias.',
  keywords: ['sepconv', 'depthwise', 'meta-spikeformer'],
  params: sepConvParams,
  build: (g, p, { in: x }) => {
    const med = p.dim * p.expansion;
    return g.chain(x!, [
      ['lif1', ...neuronNode(p)],
      ['pwconv1', 'conv2d', conv(med, 1)],
      ['bn1', 'batchnorm2d'],
      ['lif2', ...neuronNode(p)],
      ['dwconv', 'conv2d', conv(med, p.kernel, { groups: med })],
      ['pwconv2', 'conv2d', conv(p.dim, 1)],
      ['bn2', 'batchnorm2d'],
    ]);
  },
});

const convBlockParams = z.strictObject({ dim: dimParam, mlpRatio: positiveInt.default(4), tau: tauParam, neuron: neuronParam });

export const msConvBlock = defineComposite({
  id: 'ms_conv_block',
  label: 'Meta-SpikeFormer conv block',
  category: 'attention',
  description:
    'U = U + SepConv(U); U = U + BN(Conv3×3(LIF(BN(Conv3×3(LIF(U)))))) with widths C → ratio·C → C; membrane shortcuts, convs without bias.',
  keywords: ['meta-spikeformer', 'sdt-v2', 'conv block', 'membrane shortcut'],
  params: convBlockParams,
  build: (g, p, { in: x }) => {
    const sep = g.add('sep_conv', 'sep_conv', { dim: p.dim, tau: p.tau, ...neuronOf(p) }, x!);
    const u = g.add('sep_add', 'membrane_add', {}, { a: sep, b: x! });
    const mlp = g.chain(u, [
      ['lif1', ...neuronNode(p)],
      ['conv1', 'conv2d', conv(p.dim * p.mlpRatio, 3)],
      ['bn1', 'batchnorm2d'],
      ['lif2', ...neuronNode(p)],
      ['conv2', 'conv2d', conv(p.dim, 3)],
      ['bn2', 'batchnorm2d'],
    ]);
    return g.add('mlp_add', 'membrane_add', {}, { a: mlp, b: u });
  },
});

const downsampleParams = z.strictObject({
  outChannels: positiveInt.default(128),
  kernel: positiveInt.default(3),
  stride: positiveInt.default(2),
  /** The very first layer reads the encoded image: no neuron before its conv. */
  first: z.boolean().default(false),
  tau: tauParam,
  neuron: neuronParam,
});

export const msDownsample = defineComposite({
  id: 'ms_downsample',
  label: 'Meta-SpikeFormer down-sampling',
  category: 'stems',
  description: '(LIF, except on the first layer) → Conv k×k, stride s, \'same\' padding, with bias → BN: the strided-conv down-sampling between Meta-SpikeFormer stages (no max-pool).',
  keywords: ['meta-spikeformer', 'downsample', 'stem', 'strided conv'],
  params: downsampleParams,
  build: (g, p, { in: x }) => {
    const s = p.first ? x! : g.add('encode_lif', ...neuronNode(p), x!);
    return g.chain(s, [
      ['encode_conv', 'conv2d', conv(p.outChannels, p.kernel, { stride: p.stride, bias: true })],
      ['encode_bn', 'batchnorm2d'],
    ]);
  },
});

// ---- attention stages -----------------------------------------------------------------------

const metaBlockParams = z
  .strictObject({
    dim: dimParam,
    heads: positiveInt.default(8),
    scale: z.number().positive().default(0.125),
    mlpRatio: z.number().positive().default(4),
    tau: tauParam,
    neuron: neuronParam,
  })
  .superRefine(checkHeads);
type MetaBlockParams = z.infer<typeof metaBlockParams>;

/** `<name>` = LIF(BN(RepConv(S))) as tokens. */
function repconvBranch(g: GraphBuilder, s: PortRef, name: string, p: MetaBlockParams): PortRef {
  return g.chain(s, [
    [`${name}_conv`, 'repconv', { inChannels: p.dim, outChannels: p.dim }],
    [`${name}_bn`, 'batchnorm2d'],
    [`${name}_lif`, ...neuronNode(p)],
    [`${name}_tokens`, 'tokens'],
  ]);
}

export const metaBlock = defineComposite({
  id: 'meta_block',
  label: 'Meta-SpikeFormer attention block',
  category: 'attention',
  description:
    'On a membrane map: U = U + BN(RepConv(map(LIF_0.5(Q·(Kᵀ·V)·scale)))) with Q, K, V = LIF(BN(RepConv(LIF(U)))) on the H·W tokens; then U = U + MLP(U), the spiking MLP (Conv1d 1×1 with bias, BN) on the tokens. Membrane shortcuts.',
  keywords: ['meta-spikeformer', 'sdt-v2', 'repconv', 'attention', 'membrane shortcut'],
  params: metaBlockParams,
  build: (g, p, { in: x }) => {
    const s = g.add('head_lif', ...neuronNode(p), x!);
    const [q, k, v] = (['q', 'k', 'v'] as const).map((n) => repconvBranch(g, s, n, p));
    const a = g.add('attn_lif', ...neuronNode(p, 0.5), g.add('attn', 'ssa_core', { heads: p.heads, scale: p.scale, order: 'q_kv' }, { q: q!, k: k!, v: v! }));
    const attn = g.chain(g.add('attn_map', 'untokens_like', {}, { in: a, like: x! }), [
      ['proj_conv', 'repconv', { inChannels: p.dim, outChannels: p.dim }],
      ['proj_bn', 'batchnorm2d'],
    ]);
    const u = g.add('attn_add', 'membrane_add', {}, { a: attn, b: x! });
    const h = g.chain(u, [
      ['mlp_tokens', 'tokens'],
      ['mlp', 'spiking_mlp', { dim: p.dim, ratio: p.mlpRatio, shortcut: 'membrane', tau: p.tau, ...neuronOf(p) }],
    ]);
    const mlp = g.add('mlp_map', 'untokens_like', {}, { in: h, like: u });
    return g.add('mlp_add', 'membrane_add', {}, { a: mlp, b: u });
  },
});

export const META_SPIKEFORMER_BLOCKS = [repconv, sepConv, msConvBlock, msDownsample, metaBlock];
