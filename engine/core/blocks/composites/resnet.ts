/**
 * The SEW ResNet basic block (Fang et al., NeurIPS 2021), which the PSN paper runs on ImageNet with
 * parallel spiking neurons: SN(BN(Conv3×3)) twice, spike-element-wise connected to the shortcut,
 * itself SN(BN(Conv1×1, stride s)) where the width or resolution changes.
 */
import { z } from 'zod';
import { positiveInt } from '../common.js';
import { defineComposite } from './define.js';
import { NEURON_CHOICES } from './units.js';

const sewBlockParams = z.strictObject({
  outChannels: positiveInt.default(64),
  stride: positiveInt.default(1),
  /** A Conv1×1→BN→SN shortcut; needed when the stride or the width changes. */
  downsample: z.boolean().default(false),
  /** A row of the neuron table, or the parallel spiking neuron the PSN paper runs here. */
  neuron: z.enum([...NEURON_CHOICES, 'psn']).default('lif'),
  connect: z.enum(['add', 'and', 'iand']).default('add'),
});

export const sewBasicBlock = defineComposite({
  id: 'sew_basic_block',
  label: 'SEW ResNet basic block',
  category: 'residuals',
  description:
    'SEW ResNet basic block: Conv3×3(stride s)→BN→SN→Conv3×3→BN→SN, combined with the shortcut by SEW ADD (counts), AND or IAND; the shortcut is the input, or SN(BN(Conv1×1, stride s)) with downsample. SN is the chosen neuron (PSN in the PSN paper\'s ImageNet models).',
  keywords: ['resnet', 'sew', 'residual', 'psn'],
  params: sewBlockParams,
  build: (g, p, { in: x }) => {
    const conv = (kernel: number, stride: number) => ({ outChannels: p.outChannels, kernel, stride, padding: kernel === 3 ? 1 : 0 });
    const branch = g.chain(x!, [
      ['conv1', 'conv2d', conv(3, p.stride)],
      ['bn1', 'batchnorm2d'],
      ['sn1', p.neuron],
      ['conv2', 'conv2d', conv(3, 1)],
      ['bn2', 'batchnorm2d'],
      ['sn2', p.neuron],
    ]);
    const shortcut = p.downsample
      ? g.chain(x!, [
          ['downsample_conv', 'conv2d', conv(1, p.stride)],
          ['downsample_bn', 'batchnorm2d'],
          ['downsample_sn', p.neuron],
        ])
      : x!;
    return g.add('connect', 'sew', { mode: p.connect }, { a: branch, b: shortcut });
  },
});
