/**
 * The small chains every spiking transformer repeats — Linear→BN→LIF on tokens, Conv→BN(→LIF) on
 * feature maps — and the parameter fragments the composites share. Node ids follow the released
 * PyTorch code (`q_linear`, `q_bn`, `q_lif`, `proj_conv1`, ...) so parameter names read alike.
 */
import { z } from 'zod';
import type { GraphBuilder, PortRef } from '../../document/builder.js';
import { NEURON_TABLE } from '../../neurons/table.js';
import { positiveInt } from '../common.js';

export const tauParam = z.number().gt(1, 'tau must be > 1').default(2);
/** PyTorch's default init, or the trunc-normal(0.02)/zero-bias init the Spikformer family applies to Linear layers. */
export const initParam = z.enum(['default', 'trunc_normal']).default('default');
export const dimParam = positiveInt.default(384);

/** MaxPool2d(3, 2, 1): the down-sampling pool of every stem here. */
export const POOL = { kernel: 3, stride: 2, padding: 1 } as const;

/** LIF parameters, written only where they differ from the block's defaults (τ 2, V_th 1). */
export function lifParams(tau: number, threshold = 1): Record<string, unknown> {
  return { ...(tau !== 2 ? { tau } : {}), ...(threshold !== 1 ? { threshold } : {}) };
}

/** The neurons a composite may fire with: the rows of the neuron table, by block id. */
export const NEURON_CHOICES = NEURON_TABLE.map((row) => row.block.id) as [string, ...string[]];
export const neuronParam = z.enum(NEURON_CHOICES).default('lif');

/** What a composite's neurons are: which row of the neuron table, and the composite's τ. */
export interface Firing {
  readonly neuron: string;
  readonly tau: number;
}

/**
 * A composite's neuron node as [block, params]: τ and V_th carried over to the row where it has
 * them (PLIF's τ is its initial τ); a LIF writes only what differs from its defaults.
 */
export function neuronNode(f: Firing, threshold = 1, mergeRows = false): [block: string, params: Record<string, unknown>] {
  const walk = mergeRows ? { mergeRows: true } : {};
  if (f.neuron === 'lif') return ['lif', { ...lifParams(f.tau, threshold), ...walk }];
  const row = NEURON_TABLE.find((r) => r.block.id === f.neuron);
  if (!row) throw new Error(`composite neuron: no neuron "${f.neuron}" in the neuron table (choices: ${NEURON_CHOICES.join(', ')})`);
  const keys = row.block.params instanceof z.ZodObject ? Object.keys(row.block.params.shape) : [];
  const tau = keys.includes('tau') ? { tau: f.tau } : keys.includes('initTau') ? { initTau: f.tau } : {};
  return [f.neuron, { ...tau, ...(keys.includes('threshold') ? { threshold } : {}), ...walk }];
}

/** The neuron a composite hands its inner composites: nothing where it is the default LIF. */
export function neuronOf(f: Firing): { neuron?: string } {
  return f.neuron === 'lif' ? {} : { neuron: f.neuron };
}

export interface LinearUnit {
  readonly out: number;
  readonly bias: boolean;
  readonly init: 'default' | 'trunc_normal';
  readonly tau: number;
  readonly neuron: string;
  readonly threshold?: number;
  /** false: stop after BN (the membrane-shortcut branches end without a neuron). */
  readonly fire?: boolean;
  /** The neuron walks the merged T·B rows (`NeuronWalk` in blocks/common.ts). */
  readonly mergeRows?: boolean;
}

/** `<name>_linear → <name>_bn (→ <name>_lif)` on tokens [N,D]. */
export function linearBnLif(g: GraphBuilder, from: PortRef, name: string, u: LinearUnit): PortRef {
  const bn = g.chain(from, [
    [`${name}_linear`, 'linear', { outFeatures: u.out, bias: u.bias, ...(u.init !== 'default' ? { init: u.init } : {}) }],
    [`${name}_bn`, 'batchnorm1d'],
  ]);
  return u.fire === false ? bn : g.add(`${name}_lif`, ...neuronNode(u, u.threshold, u.mergeRows), bn);
}

/** `proj_conv<s> → proj_bn<s>`: a bias-free Conv3×3 (stride 1, 'same' padding) and its BN. */
export function convBn(g: GraphBuilder, from: PortRef, suffix: string, out: number): PortRef {
  return g.chain(from, [
    [`proj_conv${suffix}`, 'conv2d', { outChannels: out }],
    [`proj_bn${suffix}`, 'batchnorm2d'],
  ]);
}

/** `proj_conv<s> → proj_bn<s> → proj_lif<s>`: Spikformer's CBS unit. */
export function convBnLif(g: GraphBuilder, from: PortRef, suffix: string, out: number, f: Firing): PortRef {
  return g.add(`proj_lif${suffix}`, ...neuronNode(f), convBn(g, from, suffix, out));
}

/** superRefine check: `heads` divides `dim` (reported at params.heads, as the cores word it). */
export function checkHeads(p: { dim: number; heads: number }, ctx: z.RefinementCtx): void {
  if (p.dim % p.heads !== 0) ctx.addIssue({ code: 'custom', message: `${p.heads} does not divide dim ${p.dim}`, path: ['heads'] });
}

/** superRefine check for stems, which split the width as D/8, D/4, D/2, D. */
export function checkDimBy8(p: { dim: number }, ctx: z.RefinementCtx): void {
  if (p.dim % 8 !== 0) ctx.addIssue({ code: 'custom', message: `${p.dim} is not a multiple of 8 (the stem widths are D/8, D/4, D/2, D)`, path: ['dim'] });
}

/**
 * The tokenisers' shared switches: which of the four stages pool (CIFAR keeps 32×32 for two stages
 * → 8×8; ImageNet 224 → 14 and DVS 128 → 8 pool in all four) and the parameters that choose them.
 */
export const STAGE_POOLS = { cifar: [false, false, true, true], imagenet: [true, true, true, true], dvs: [true, true, true, true] } as const;

export const tokeniserParams = z
  .strictObject({
    dim: dimParam,
    variant: z.enum(['cifar', 'imagenet', 'dvs']).default('cifar'),
    /** CML order: Conv→BN→MaxPool→LIF units, pooling the BN output instead of the spikes. */
    cml: z.boolean().default(false),
    tau: tauParam,
    neuron: neuronParam,
  })
  .superRefine(checkDimBy8);
