/**
 * The decoded SpikeDHS cell for CIFAR (spec §8.1). Two inputs — the outputs of the previous two
 * cells — and three nodes; each node is a SpikeDHS neuron integrating the sum of its incoming ops'
 * membrane contributions, each op a Conv3×3→BN whose neuron's surrogate sharpness b is 3 or 5:
 * node0 = SN(b3(s1) + b3(s0)), node1 = SN(b3(s0) + b5(s1)), node2 = SN(b3(n0) + b3(n1)); the cell
 * outputs the three nodes' spikes concatenated (3·C channels).
 */
import { z } from 'zod';
import type { GraphBuilder, PortRef } from '../../document/builder.js';
import { positiveInt } from '../common.js';
import { defineComposite } from './define.js';

const cellParams = z.strictObject({
  channels: positiveInt.default(48),
  /** Nearest-neighbour halving of an input that comes from the level above (finer map). */
  halveS0: z.boolean().default(false),
  halveS1: z.boolean().default(false),
});

/** (node, [input, b] per incoming edge) of the released decoded cell. */
const GENOTYPE: readonly (readonly [string, readonly (readonly [string, 3 | 5])[]])[] = [
  ['node0', [['s1', 3], ['s0', 3]]],
  ['node1', [['s0', 3], ['s1', 5]]],
  ['node2', [['node0', 3], ['node1', 3]]],
];

export const spikedhsCell = defineComposite({
  id: 'spikedhs_cell',
  label: 'SpikeDHS cell (decoded, CIFAR)',
  category: 'attention',
  description:
    'The searched SpikeDHS cell: node0 = SN(b3(s1) + b3(s0)), node1 = SN(b3(s0) + b5(s1)), node2 = SN(b3(node0) + b3(node1)), where bX is Conv3×3→BN and SN the SpikeDHS neuron (V_th 0.3, decay 0.2) with Dspike surrogate sharpness X; output the three nodes concatenated. An input from the finer level is halved by nearest-neighbour sampling first.',
  keywords: ['spikedhs', 'nas', 'darts', 'cell', 'search'],
  params: cellParams,
  inputs: [{ name: 's0' }, { name: 's1' }],
  build: (g, p, ins) => {
    const states: Record<string, PortRef> = {
      s0: p.halveS0 ? halve(g, 's0', ins.s0!) : ins.s0!,
      s1: p.halveS1 ? halve(g, 's1', ins.s1!) : ins.s1!,
    };
    for (const [node, edges] of GENOTYPE) {
      const ops = edges.map(([from, b]) => ({ b, membrane: g.chain(states[from]!, [[`${node}_${from}_conv`, 'conv2d', { outChannels: p.channels }], [`${node}_${from}_bn`, 'batchnorm2d']]) }));
      const sum = g.add(`${node}_sum`, 'membrane_add', {}, { a: ops[0]!.membrane, b: ops[1]!.membrane });
      // the node's neuron takes the sharper surrogate of its incoming ops (only the backward pass differs)
      const b = Math.max(...ops.map((o) => o.b));
      states[node] = g.add(node, 'spikedhs_neuron', { surrogate: { name: 'dspike', b, c: 0.3 } }, sum);
    }
    return g.add('cell_out', 'concat', { inputs: 3 }, { in1: states.node0!, in2: states.node1!, in3: states.node2! });
  },
});

function halve(g: GraphBuilder, name: string, x: PortRef): PortRef {
  return g.add(`${name}_resample`, 'nearest_resize', { scale: 0.5 }, x);
}
