/**
 * QKFormer's Spiking Patch Embedding with Deformed Shortcut (spec §6.3): Y = F(X) + SN(BN(W_d X)),
 * a main path of Conv3×3→BN(→MaxPool)→LIF units and a strided 1×1 conv shortcut matching its
 * width and resolution. The output is a sum of two spike maps (counts 0..2), a feature map.
 */
import { z } from 'zod';
import type { PortRef } from '../../document/builder.js';
import { defineComposite } from './define.js';
import { dimParam, neuronNode, neuronParam, POOL, tauParam } from './units.js';

interface SpedsLayout {
  /** Main-path units: width as a fraction of the output width, and whether the unit max-pools. */
  readonly units: readonly (readonly [fraction: number, pool: boolean])[];
  /** The shortcut reads the output of this unit (-1: the block input). */
  readonly tap: number;
  readonly stride: number;
}

/** The variants of the released code (spec §6.3): *_init is the first embedding of a model. */
const LAYOUTS: Readonly<Record<'imagenet_init' | 'imagenet' | 'cifar_init' | 'cifar' | 'dvs_init', SpedsLayout>> = {
  imagenet_init: { units: [[1 / 2, true], [1, true], [1, false]], tap: 0, stride: 2 },
  imagenet: { units: [[1, true], [1, false]], tap: -1, stride: 2 },
  cifar_init: { units: [[1 / 2, false], [1, false]], tap: 0, stride: 1 },
  cifar: { units: [[1, false], [1, true]], tap: -1, stride: 2 },
  dvs_init: { units: [[1 / 8, false], [1 / 4, true], [1 / 2, true], [1, true]], tap: 1, stride: 4 },
};

const spedsParams = z
  .strictObject({
    /** Output width. */
    dim: dimParam,
    variant: z.enum(['imagenet_init', 'imagenet', 'cifar_init', 'cifar', 'dvs_init']).default('cifar'),
    tau: tauParam,
    neuron: neuronParam,
  })
  .superRefine((p, ctx) => {
    const bad = LAYOUTS[p.variant].units.find(([f]) => !Number.isInteger(p.dim * f));
    if (bad) ctx.addIssue({ code: 'custom', message: `${p.dim} does not split into the ${p.variant} widths (dim × ${bad[0]})`, path: ['dim'] });
  });

export const speds = defineComposite({
  id: 'speds',
  label: 'Patch embedding with deformed shortcut (SPEDS)',
  category: 'stems',
  description:
    'QKFormer SPEDS: a main path of Conv3×3→BN(→MaxPool)→LIF units plus a shortcut LIF(BN(Conv1×1, stride s)) from an earlier point, spike-added. imagenet_init: D/2 (pool), D (pool), D; shortcut s2 from the first unit. imagenet: D (pool), D; shortcut s2 from the input. cifar_init: D/2, D; shortcut s1. cifar: D, D (pool); shortcut s2. dvs_init: D/8, D/4 (pool), D/2 (pool), D (pool); shortcut s4 from the second unit.',
  keywords: ['qkformer', 'patch embedding', 'stem', 'downsample', 'shortcut'],
  params: spedsParams,
  build: (g, p, { in: x }) => {
    const layout = LAYOUTS[p.variant];
    let at: PortRef = x!;
    let tapped: PortRef = x!;
    layout.units.forEach(([fraction, pool], i) => {
      const s = i === 0 ? '' : String(i);
      at = g.chain(at, [
        [`proj_conv${s}`, 'conv2d', { outChannels: p.dim * fraction }],
        [`proj_bn${s}`, 'batchnorm2d'],
        ...(pool ? [[`maxpool${s}`, 'maxpool2d', POOL] as const] : []),
        [`proj_lif${s}`, ...neuronNode(p)],
      ]);
      if (i === layout.tap) tapped = at;
    });
    const shortcut = g.chain(tapped, [
      ['proj_res_conv', 'conv2d', { outChannels: p.dim, kernel: 1, stride: layout.stride, padding: 0 }],
      ['proj_res_bn', 'batchnorm2d'],
      ['proj_res_lif', ...neuronNode(p)],
    ]);
    return g.add('res_add', 'sew', {}, { a: at, b: shortcut });
  },
});
