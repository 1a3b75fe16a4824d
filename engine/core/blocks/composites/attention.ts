/**
 * Attention branches on timed tokens [N,D]: Spikformer's SSA (§3.3), SDT's SDSA (§5.3) and
 * QKFormer's Q-K token and channel attention (§6.1). Each is Q/K(/V) projections, a core from
 * `blocks/attention.ts`, the attention LIF (V_th 0.5) and a projection; the residual around the
 * branch belongs to the encoder block.
 *
 * Two shortcut styles (spec §9): `spike` branches take spikes and end in a LIF (their output is
 * spike-added, SEW ADD); `membrane` branches start with a LIF on the real-valued stream and end in
 * BN without a neuron (their output is added to membranes).
 */
import { z } from 'zod';
import type { GraphBuilder, PortRef } from '../../document/builder.js';
import { positiveInt } from '../common.js';
import { defineComposite } from './define.js';
import { checkHeads, dimParam, initParam, linearBnLif, neuronNode, neuronParam, tauParam, type Firing } from './units.js';

export const shortcutParam = z.enum(['spike', 'membrane']).default('spike');
const attnThresholdParam = z.number().positive().default(0.5);

interface Projection {
  readonly dim: number;
  readonly init: 'default' | 'trunc_normal';
  readonly tau: number;
  readonly neuron: string;
}

/** The input the Q/K/V projections read: the spikes themselves, or LIF(U) for a membrane stream. */
function branchInput(g: GraphBuilder, x: PortRef, shortcut: 'spike' | 'membrane', f: Firing): PortRef {
  return shortcut === 'membrane' ? g.add('shortcut_lif', ...neuronNode(f), x) : x;
}

/** `proj_linear → proj_bn (→ proj_lif)`: the output projection, with bias. */
function projection(g: GraphBuilder, from: PortRef, p: Projection, fire: boolean, mergeRows = false): PortRef {
  return linearBnLif(g, from, 'proj', { out: p.dim, bias: true, init: p.init, tau: p.tau, neuron: p.neuron, fire, mergeRows });
}

// ---- SSA ------------------------------------------------------------------------------------

const ssaParams = z
  .strictObject({
    dim: dimParam,
    heads: positiveInt.default(12),
    scale: z.number().positive().default(0.125),
    order: z.enum(['qk_v', 'q_kv']).default('qk_v'),
    /** CIFAR code: nn.Linear with bias; ImageNet/DVS code: Conv1d without bias. */
    qkvBias: z.boolean().default(true),
    attnThreshold: attnThresholdParam,
    shortcut: shortcutParam,
    /** QKFormer's released code: proj_lif after flatten(0, 1), over the merged T·B rows. */
    projMergeRows: z.boolean().default(false),
    tau: tauParam,
    neuron: neuronParam,
    init: initParam,
  })
  .superRefine(checkHeads)
  .superRefine((p, ctx) => {
    if (p.projMergeRows && p.shortcut !== 'spike') ctx.addIssue({ code: 'custom', message: 'the membrane-shortcut SSA has no projection neuron to walk merged rows', path: ['projMergeRows'] });
  });

export const ssa = defineComposite({
  id: 'ssa',
  label: 'Spiking self-attention (SSA)',
  category: 'attention',
  description:
    'Spikformer SSA: Q, K, V = LIF(BN1d(Linear(x))); per head Q·Kᵀ·V·scale (no softmax); attention LIF with V_th 0.5; projection Linear(bias)→BN1d→LIF. With shortcut "membrane" (Spikingformer) it starts with a LIF on the membrane stream and the projection ends in BN, without a neuron. projMergeRows runs the projection LIF over the merged T·B rows, as QKFormer\'s released code does.',
  keywords: ['spikformer', 'self-attention', 'qkv', 'transformer'],
  params: ssaParams,
  build: (g, p, { in: x }) => {
    const s = branchInput(g, x!, p.shortcut, p);
    const unit = { out: p.dim, bias: p.qkvBias, init: p.init, tau: p.tau, neuron: p.neuron };
    const q = linearBnLif(g, s, 'q', unit);
    const k = linearBnLif(g, s, 'k', unit);
    const v = linearBnLif(g, s, 'v', unit);
    const core = g.add('attn', 'ssa_core', { heads: p.heads, scale: p.scale, order: p.order }, { q, k, v });
    const a = g.add('attn_lif', ...neuronNode(p, p.attnThreshold), core);
    return projection(g, a, p, p.shortcut === 'spike', p.projMergeRows);
  },
});

// ---- SDSA -----------------------------------------------------------------------------------

const sdsaParams = z
  .strictObject({
    dim: dimParam,
    heads: positiveInt.default(8),
    form: z.enum(['code', 'paper']).default('code'),
    /** The CIFAR10-DVS model's Erode (spec §5.3 point 5): 3×3 max-pools on K, V, their product and the masked output. */
    erode: z.boolean().default(false),
    attnThreshold: attnThresholdParam,
    tau: tauParam,
    neuron: neuronParam,
    init: initParam,
  })
  .superRefine(checkHeads)
  .superRefine((p, ctx) => {
    if (p.erode && p.form !== 'code') ctx.addIssue({ code: 'custom', message: 'erode is the released (code) form\'s, as in the CIFAR10-DVS model', path: ['erode'] });
  });

export const sdsa = defineComposite({
  id: 'sdsa',
  label: 'Spike-driven self-attention (SDSA)',
  category: 'attention',
  description:
    'SDT attention branch on the membrane stream: S = LIF(U); Q, K, V = LIF(BN(Conv1×1, no bias)); form code (released checkpoints): mask = LIF_0.5(Σ_N K⊙V), out = Q⊙mask; form paper: mask = LIF_0.5(Σ_N Q⊙K), out = mask⊙V; then Conv1×1(bias)→BN, no neuron. No scale, no softmax. erode (the CIFAR10-DVS model) adds the code\'s Erode, a 3×3 max-pool with stride 1: over the token map on K and V, and over each head\'s tokens × channels on K⊙V before the sum and on the masked output. The code\'s unused talking_heads Conv1d is left out.',
  keywords: ['sdt', 'spike-driven', 'hadamard', 'linear attention'],
  params: sdsaParams,
  build: (g, p, { in: x }) => {
    const s = branchInput(g, x!, 'membrane', p);
    const unit = { out: p.dim, bias: false, init: p.init, tau: p.tau, neuron: p.neuron };
    const erodeMap = (from: PortRef, name: string): PortRef => (p.erode ? g.add(`${name}_erode`, 'erode', { over: 'map' }, from) : from);
    const q = linearBnLif(g, s, 'q', unit);
    const k = erodeMap(linearBnLif(g, s, 'k', unit), 'k');
    const v = erodeMap(linearBnLif(g, s, 'v', unit), 'v');
    const core = g.add('attn', 'sdsa_core', { heads: p.heads, form: p.form, ...(p.erode ? { erode: true } : {}) }, p.form === 'code' ? { k, v } : { q, k });
    const mask = g.add('talking_heads_lif', ...neuronNode(p, p.attnThreshold), core);
    const gated = g.add('mask', 'mask_mul', {}, { mask, in: p.form === 'code' ? q : v });
    return projection(g, p.erode ? g.add('out_erode', 'erode', { over: 'heads', heads: p.heads }, gated) : gated, p, false);
  },
});

// ---- QKFormer Q-K attention -----------------------------------------------------------------

const qkParams = z
  .strictObject({
    dim: dimParam,
    heads: positiveInt.default(8),
    attnThreshold: attnThresholdParam,
    tau: tauParam,
    neuron: neuronParam,
    init: initParam,
  })
  .superRefine(checkHeads);
type QkParams = z.infer<typeof qkParams>;

/** Q, K = LIF(BN(Conv1×1, no bias)); mask = LIF_0.5(core(Q)); X' = mask ⊙ K; post-projection with LIF. */
function qkAttention(core: 'qkta_core' | 'qkca_core') {
  return (g: GraphBuilder, p: QkParams, { in: x }: Readonly<Record<string, PortRef>>): PortRef => {
    const unit = { out: p.dim, bias: false, init: p.init, tau: p.tau, neuron: p.neuron };
    const q = linearBnLif(g, x!, 'q', unit);
    const k = linearBnLif(g, x!, 'k', unit);
    const sums = g.add('attn', core, { heads: p.heads }, { q });
    const mask = g.add('attn_lif', ...neuronNode(p, p.attnThreshold), sums);
    const gated = g.add('mask', 'mask_mul', {}, { mask, in: k });
    return projection(g, gated, p, true);
  };
}

export const qkta = defineComposite({
  id: 'qkta',
  label: 'Q-K token attention (QKTA)',
  category: 'attention',
  description:
    'QKFormer token attention: Q, K = LIF(BN(Conv1×1, no bias)); A = LIF_0.5(sum of Q over each head\'s channels), one bit per token and head; X\' = A⊙K; post-projection Conv1×1(bias)→BN→LIF. No V, no scale; O(N·D).',
  keywords: ['qkformer', 'qk attention', 'token attention', 'linear attention'],
  params: qkParams,
  build: qkAttention('qkta_core'),
});

export const qkca = defineComposite({
  id: 'qkca',
  label: 'Q-K channel attention (QKCA)',
  category: 'attention',
  description:
    'QKFormer channel attention: Q, K = LIF(BN(Conv1×1, no bias)); A = LIF_0.5(sum of Q over the tokens), one bit per channel; X\' = A⊙K; post-projection Conv1×1(bias)→BN→LIF (spec §6.1; the paper\'s form, not in the official code).',
  keywords: ['qkformer', 'qk attention', 'channel attention', 'linear attention'],
  params: qkParams,
  build: qkAttention('qkca_core'),
});

export const ATTENTION_COMPOSITES = [ssa, sdsa, qkta, qkca];
