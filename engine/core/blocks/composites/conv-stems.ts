/**
 * Convolutional stems of the membrane-shortcut models: Spikingformer's tokeniser (spec §7.1) and
 * its CML re-ordering (§7.2), and the CML down-sampling unit itself. The output is a membrane
 * (BN output) token set: the first encoder block starts with a LIF.
 */
import { z } from 'zod';
import type { PortRef } from '../../document/builder.js';
import { positiveInt } from '../common.js';
import { defineComposite } from './define.js';
import { neuronNode, neuronParam, POOL, STAGE_POOLS, tauParam, tokeniserParams } from './units.js';

const cmlParams = z.strictObject({
  outChannels: positiveInt.default(64),
  kernel: positiveInt.default(3),
  pool: z.boolean().default(true),
  tau: tauParam,
  neuron: neuronParam,
});

export const cmlUnit = defineComposite({
  id: 'cml_unit',
  label: 'CML down-sampling unit',
  category: 'stems',
  description:
    'Conv(k×k, no bias)→BN→MaxPool(3,2,1)→LIF: the CML order, which pools the real-valued BN output before the neuron so that the max-pool gradient reaches the truly largest input (not the first of several tied spikes).',
  keywords: ['cml', 'downsample', 'conv', 'pool', 'stem'],
  params: cmlParams,
  build: (g, p, { in: x }) =>
    g.chain(x!, [
      ['conv', 'conv2d', { outChannels: p.outChannels, kernel: p.kernel, padding: Math.floor(p.kernel / 2) }],
      ['bn', 'batchnorm2d'],
      ...(p.pool ? [['pool', 'maxpool2d', POOL] as const] : []),
      ['lif', ...neuronNode(p)],
    ]),
});


export const spikingformerStem = defineComposite({
  id: 'spikingformer_stem',
  label: 'Spikingformer tokeniser',
  category: 'stems',
  description:
    'Spikingformer stem: Conv3×3(→D/8)→BN, then four [LIF→(MaxPool)→Conv3×3→BN] with widths D/4, D/2, D, D (pools on spikes; cifar pools in the last two, imagenet/dvs in all four); with cml each unit is Conv→BN→(MaxPool)→LIF instead, ending in Conv(D→D)→BN. The last D→D conv plays the role of the RPE. Output: membrane tokens [N,D].',
  keywords: ['spikingformer', 'cml', 'tokeniser', 'stem', 'membrane'],
  params: tokeniserParams,
  build: (g, p, { in: x }) => {
    const widths = [p.dim / 8, p.dim / 4, p.dim / 2, p.dim, p.dim];
    const pools = STAGE_POOLS[p.variant];
    const conv = (at: PortRef, i: number): PortRef =>
      g.chain(at, [
        [`proj_conv${i === 0 ? '' : i}`, 'conv2d', { outChannels: widths[i]! }],
        [`proj_bn${i === 0 ? '' : i}`, 'batchnorm2d'],
      ]);
    let at = conv(x!, 0);
    for (let i = 1; i < widths.length; i++) {
      const pool = pools[i - 1]!;
      const spikes = p.cml
        ? g.add(`proj_lif${i}`, ...neuronNode(p), pool ? g.add(`maxpool${i}`, 'maxpool2d', POOL, at) : at)
        : g.add(`proj_lif${i}`, ...neuronNode(p), at);
      at = conv(!p.cml && pool ? g.add(`maxpool${i}`, 'maxpool2d', POOL, spikes) : spikes, i);
    }
    return g.add('to_tokens', 'tokens', {}, at);
  },
});
