/**
 * The spiking MLP of every transformer here (spec §3.4, §5.4, §6.2, §7.1): two Linear/1×1-conv
 * layers with BN, D → ratio·D → D, with bias.
 */
import { z } from 'zod';
import { defineComposite } from './define.js';
import { shortcutParam } from './attention.js';
import { dimParam, initParam, linearBnLif, neuronNode, neuronParam, tauParam } from './units.js';

const mlpParams = z.strictObject({
  dim: dimParam,
  /** Hidden width = floor(dim·ratio), as Python's int(dim·mlp_ratio). */
  ratio: z.number().positive().default(4),
  bias: z.boolean().default(true),
  shortcut: shortcutParam,
  /** Auto-Spikformer's searched threshold, which its code writes only into the first LIF. */
  hiddenThreshold: z.number().positive().default(1),
  tau: tauParam,
  neuron: neuronParam,
  init: initParam,
});

export const spikingMlp = defineComposite({
  id: 'spiking_mlp',
  label: 'Spiking MLP',
  category: 'attention',
  description:
    'Linear(D→ratio·D)→BN→LIF→Linear(ratio·D→D)→BN→LIF on tokens (a 1×1 conv on a feature map is the same map). With shortcut "membrane" (SDT, Spikingformer) it starts with a LIF on the membrane stream and ends in BN, without a neuron.',
  keywords: ['mlp', 'feed-forward', 'ffn'],
  params: mlpParams,
  build: (g, p, { in: x }) => {
    const hidden = Math.floor(p.dim * p.ratio);
    const membrane = p.shortcut === 'membrane';
    const s = membrane ? g.add('shortcut_lif', ...neuronNode(p), x!) : x!;
    const h = linearBnLif(g, s, 'fc1', { out: hidden, bias: p.bias, init: p.init, tau: p.tau, neuron: p.neuron, threshold: p.hiddenThreshold });
    return linearBnLif(g, h, 'fc2', { out: p.dim, bias: p.bias, init: p.init, tau: p.tau, neuron: p.neuron, fire: !membrane });
  },
});
