/**
 * Encoder blocks: an attention branch and a spiking MLP, each with its residual. The residual is
 * what tells the families apart (spec §9): Spikformer and QKFormer add spikes after the neurons
 * (SEW ADD, the stream becomes spike counts); Spikingformer and SDT add membranes before them.
 *
 * Released code builds modules these blocks never call (Spikformer's LayerNorms norm1/norm2, SDT's
 * talking_heads Conv1d, DropPath); they are left out, which is also how the papers count parameters.
 */
import { z } from 'zod';
import type { GraphBuilder, PortRef } from '../../document/builder.js';
import { positiveInt } from '../common.js';
import { defineComposite } from './define.js';
import { checkHeads, dimParam, initParam, neuronOf, neuronParam, tauParam } from './units.js';

const common = {
  dim: dimParam,
  mlpRatio: z.number().positive().default(4),
  tau: tauParam,
  neuron: neuronParam,
  init: initParam,
};

const order = z.enum(['qk_v', 'q_kv']);
const scale = z.number().positive().default(0.125);

/** x → x + attn(x) → (·) + mlp(·), with the residual block `add` ('sew' or 'membrane_add'). */
function residualPair(g: GraphBuilder, x: PortRef, attn: [block: string, params: Record<string, unknown>], mlp: Record<string, unknown>, add: 'sew' | 'membrane_add'): PortRef {
  const a = g.add('attn', attn[0], attn[1], x);
  const x1 = g.add('attn_add', add, {}, { a, b: x });
  const m = g.add('mlp', 'spiking_mlp', mlp, x1);
  return g.add('mlp_add', add, {}, { a: m, b: x1 });
}

// ---- Spikformer -----------------------------------------------------------------------------

const spikformerParams = z
  .strictObject({
    ...common,
    heads: positiveInt.default(12),
    scale,
    order: order.default('qk_v'),
    qkvBias: z.boolean().default(true),
    /** Auto-Spikformer's per-block threshold gene (first MLP LIF only). */
    mlpThreshold: z.number().positive().default(1),
  })
  .superRefine(checkHeads);

export const spikformerBlock = defineComposite({
  id: 'spikformer_block',
  label: 'Spikformer encoder block',
  category: 'attention',
  description:
    'X\' = X + SSA(X); X = X\' + MLP(X\'), both residuals spike-element-wise additions after the neurons (SEW ADD), so the stream carries spike counts. The released Block\'s LayerNorms are never called in forward and are left out.',
  keywords: ['spikformer', 'transformer', 'encoder', 'sew'],
  params: spikformerParams,
  build: (g, p, { in: x }) =>
    residualPair(
      g,
      x!,
      ['ssa', { dim: p.dim, heads: p.heads, scale: p.scale, order: p.order, qkvBias: p.qkvBias, tau: p.tau, ...neuronOf(p), init: p.init }],
      { dim: p.dim, ratio: p.mlpRatio, hiddenThreshold: p.mlpThreshold, tau: p.tau, ...neuronOf(p), init: p.init },
      'sew',
    ),
});

// ---- Spikingformer --------------------------------------------------------------------------

const spikingformerParams = z
  .strictObject({ ...common, heads: positiveInt.default(8), scale, order: order.default('q_kv') })
  .superRefine(checkHeads);

export const spikingformerBlock = defineComposite({
  id: 'spikingformer_block',
  label: 'Spikingformer encoder block',
  category: 'attention',
  description:
    'Pre-activation Spikformer: U\' = U + SSA(U), U\'\' = U\' + MLP(U\') with membrane shortcuts; each branch starts with a LIF and ends in BN, so every Linear receives binary spikes. Q/K/V without bias.',
  keywords: ['spikingformer', 'membrane shortcut', 'pre-activation', 'encoder'],
  params: spikingformerParams,
  build: (g, p, { in: x }) =>
    residualPair(
      g,
      x!,
      ['ssa', { dim: p.dim, heads: p.heads, scale: p.scale, order: p.order, qkvBias: false, shortcut: 'membrane', tau: p.tau, ...neuronOf(p), init: p.init }],
      { dim: p.dim, ratio: p.mlpRatio, shortcut: 'membrane', tau: p.tau, ...neuronOf(p), init: p.init },
      'membrane_add',
    ),
});

// ---- SDT ------------------------------------------------------------------------------------

const sdtParams = z
  .strictObject({
    ...common,
    heads: positiveInt.default(8),
    form: z.enum(['code', 'paper']).default('code'),
    /** The CIFAR10-DVS model's Erode inside the SDSA (the sdsa block's erode). */
    erode: z.boolean().default(false),
  })
  .superRefine(checkHeads);

export const sdtBlock = defineComposite({
  id: 'sdt_block',
  label: 'Spike-driven Transformer block',
  category: 'attention',
  description:
    'SDT block: U\' = U + SDSA(U), U = U\' + MLP(U\'), membrane shortcuts; branches start with a LIF and end in Conv1×1→BN without a neuron. erode turns on the SDSA\'s Erode max-pools (the CIFAR10-DVS model).',
  keywords: ['sdt', 'spike-driven', 'membrane shortcut', 'encoder'],
  params: sdtParams,
  build: (g, p, { in: x }) =>
    residualPair(
      g,
      x!,
      ['sdsa', { dim: p.dim, heads: p.heads, form: p.form, ...(p.erode ? { erode: true } : {}), tau: p.tau, ...neuronOf(p), init: p.init }],
      { dim: p.dim, ratio: p.mlpRatio, shortcut: 'membrane', tau: p.tau, ...neuronOf(p), init: p.init },
      'membrane_add',
    ),
});

// ---- QKFormer -------------------------------------------------------------------------------

const qkformerParams = z
  .strictObject({
    ...common,
    heads: positiveInt.default(8),
    attention: z.enum(['qkta', 'qkca', 'ssa']).default('qkta'),
    scale,
    order: order.default('q_kv'),
    /** The released code's SSA: its projection LIF walks the merged T·B rows (QKTA/QKCA match the paper already). */
    releasedCode: z.boolean().default(false),
  })
  .superRefine(checkHeads);

export const qkformerBlock = defineComposite({
  id: 'qkformer_block',
  label: 'QKFormer block',
  category: 'attention',
  description:
    'QKFormer block: X\' = X + Attn(X), X = X\' + SMLP(X\'), spike-add residuals. Attention is QKTA (stages 1–2), QKCA, or SSA without Q/K/V bias, Q·(Kᵀ·V)·0.125 (stage 3). releasedCode: the SSA\'s projection LIF walks the merged T·B rows as in the released code (its membrane carries from sample to sample within a batch); QKTA already matches the code.',
  keywords: ['qkformer', 'qk attention', 'encoder', 'hierarchical'],
  params: qkformerParams,
  build: (g, p, { in: x }) => {
    const attn: Record<string, unknown> =
      p.attention === 'ssa'
        ? { dim: p.dim, heads: p.heads, scale: p.scale, order: p.order, qkvBias: false, ...(p.releasedCode ? { projMergeRows: true } : {}), tau: p.tau, ...neuronOf(p), init: p.init }
        : { dim: p.dim, heads: p.heads, tau: p.tau, ...neuronOf(p), init: p.init };
    return residualPair(g, x!, [p.attention, attn], { dim: p.dim, ratio: p.mlpRatio, tau: p.tau, ...neuronOf(p), init: p.init }, 'sew');
  },
});

export const ENCODER_BLOCKS = [spikformerBlock, spikingformerBlock, sdtBlock, qkformerBlock];
