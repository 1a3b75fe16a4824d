/**
 * Patch splitting stems that turn an image (or event frames) into tokens [N,D]: Spikformer's SPS
 * with its relative position embedding (spec §3.2, CML order §7.2) and SDT's MS-SPS (§5.2). The
 * widths are D/8, D/4, D/2, D; all convs are 3×3, stride 1, no bias; pools are MaxPool(3,2,1).
 */
import { z } from 'zod';
import type { PortRef } from '../../document/builder.js';
import { defineComposite } from './define.js';
import { checkDimBy8, convBn, convBnLif, dimParam, neuronNode, neuronParam, POOL, STAGE_POOLS, tauParam, tokeniserParams } from './units.js';

/** Widths of the four stages. */
const widths = (dim: number): number[] => [dim / 8, dim / 4, dim / 2, dim];
const suffix = (i: number): string => (i === 0 ? '' : String(i));


export const sps = defineComposite({
  id: 'sps',
  label: 'Spiking patch splitting (SPS)',
  category: 'stems',
  description:
    'Spikformer tokeniser: four Conv3×3→BN→LIF units (widths D/8, D/4, D/2, D), MaxPool(3,2,1) on the spikes after the last two (cifar: 32 → 8×8) or after all four (imagenet 224 → 14×14; dvs 128 → 8×8); with cml the pools move before the LIF (Conv→BN→MaxPool→LIF). Then RPE = LIF(BN(Conv3×3(D→D))) is spike-added to the features, and the map becomes tokens [N,D] (values 0..2).',
  keywords: ['spikformer', 'patch', 'tokeniser', 'stem', 'rpe', 'cml'],
  params: tokeniserParams,
  build: (g, p, { in: x }) => {
    let at: PortRef = x!;
    widths(p.dim).forEach((out, i) => {
      const pool = STAGE_POOLS[p.variant][i]!;
      if (pool && p.cml) {
        const pooled = g.add(`maxpool${suffix(i)}`, 'maxpool2d', POOL, convBn(g, at, suffix(i), out));
        at = g.add(`proj_lif${suffix(i)}`, ...neuronNode(p), pooled);
      } else {
        at = convBnLif(g, at, suffix(i), out, p);
        if (pool) at = g.add(`maxpool${suffix(i)}`, 'maxpool2d', POOL, at);
      }
    });
    const rpe = g.chain(at, [
      ['rpe_conv', 'conv2d', { outChannels: p.dim }],
      ['rpe_bn', 'batchnorm2d'],
      ['rpe_lif', ...neuronNode(p)],
    ]);
    return g.add('to_tokens', 'tokens', {}, g.add('rpe_add', 'sew', {}, { a: rpe, b: at }));
  },
});

const msSpsParams = z
  .strictObject({
    dim: dimParam,
    /** One character per stage, 1 = max-pool: 1111 ImageNet, 0011 CIFAR and CIFAR10-DVS, 0111 DVS128 Gesture. */
    poolingStat: z.string().regex(/^[01]{4}$/, 'four characters, each 0 or 1').default('1111'),
    tau: tauParam,
    neuron: neuronParam,
  })
  .superRefine(checkDimBy8);

export const msSps = defineComposite({
  id: 'ms_sps',
  label: 'Membrane-shortcut SPS (SDT)',
  category: 'stems',
  description:
    'SDT tokeniser: stages 1–3 Conv3×3→BN→LIF(→MaxPool) with widths D/8, D/4, D/2; stage 4 Conv3×3(D/2→D)→BN(→MaxPool) stays a membrane (x_feat); RPE = BN(Conv3×3(LIF(x_feat))) is added to x_feat as a membrane; then tokens [N,D]. pooling_stat says which stages pool.',
  keywords: ['sdt', 'patch', 'tokeniser', 'stem', 'membrane'],
  params: msSpsParams,
  build: (g, p, { in: x }) => {
    const pools = [...p.poolingStat].map((c) => c === '1');
    let at: PortRef = x!;
    widths(p.dim).forEach((out, i) => {
      at = i < 3 ? convBnLif(g, at, suffix(i), out, p) : convBn(g, at, suffix(i), out);
      if (pools[i]) at = g.add(`maxpool${suffix(i)}`, 'maxpool2d', POOL, at);
    });
    const rpe = g.chain(at, [
      ['rpe_lif', ...neuronNode(p)],
      ['rpe_conv', 'conv2d', { outChannels: p.dim }],
      ['rpe_bn', 'batchnorm2d'],
    ]);
    return g.add('to_tokens', 'tokens', {}, g.add('rpe_add', 'membrane_add', {}, { a: rpe, b: at }));
  },
});
