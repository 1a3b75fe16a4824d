/**
 * What NIR can hold, node by node: the primitive (or nothing, for a node that vanishes in the
 * graph, like a direct encoder or an inference-time dropout) each catalogue block becomes, or why
 * it cannot. NIR's primitives: Input/Output, Affine/Linear, Conv1d/Conv2d, Scale, Flatten,
 * AvgPool2d/SumPool2d, IF/LIF/CubaLIF, Threshold — a graph of neurons and synapses run step by
 * step; no max, no product of two activations, no normalisation, no time reduction inside.
 */
import { chargeRule, NEURON_TABLE } from '../../neurons/table.js';
import type { NeuronAttrs } from '../../neurons/types.js';
import { consumersOf, producerOf, type PlacedNode } from '../walk.js';

export type NirRole =
  /** becomes a NIR node */
  | 'node'
  /** folded into the Affine/Conv before it (a BatchNorm) */
  | 'folded'
  /** disappears: its input is its output for NIR (direct encoder, dropout, the readout mean over T) */
  | 'through';

export type NirVerdict = { readonly ok: true; readonly role: NirRole } | { readonly ok: false; readonly reason: string };

const yes = (role: NirRole = 'node'): NirVerdict => ({ ok: true, role });
const no = (reason: string): NirVerdict => ({ ok: false, reason });

const ATTENTION = new Set(['ssa_core', 'sdsa_core', 'qkta_core', 'qkca_core', 'mask_mul', 'softmax_attention']);
const SYNAPSES = new Set(['conv2d', 'conv1d', 'linear', 'head']);
const NEURON_IDS = new Map(NEURON_TABLE.map((r) => [r.block.id, r]));

export function nirVerdict(p: PlacedNode): NirVerdict {
  const n = p.node;
  const id = n.block.id;
  const counts = Object.entries(n.inputs).find(([port, t]) => t.kind === 'counts' && !fromInput(p, port));
  if (counts && id !== 'output' && id !== 'mean_time') return no(`receives spike counts (0, 1, 2, …) on port "${counts[0]}": NIR edges carry binary spikes or real values`);
  switch (id) {
    case 'input':
    case 'output':
      return yes();
    case 'direct_encoder':
      return yes('through');
    case 'event_frames':
      return yes((n.params as { binarize: boolean }).binarize ? 'node' : 'through');
    case 'rate_encoder':
      return no('stochastic (Bernoulli) encoding has no NIR primitive; encode the input on the host');
    case 'dropout':
      return yes('through');
    case 'conv2d':
    case 'conv1d':
    case 'head':
      return yes();
    case 'linear':
      return n.inputs.in!.shape.length === 1 ? yes() : no('a Linear over a token set [N,D]: NIR\'s Affine maps one vector, not each row of a matrix');
    case 'batchnorm1d':
    case 'batchnorm2d':
      return foldable(p);
    case 'avgpool2d':
      return yes();
    case 'flatten':
      return yes();
    case 'maxpool2d':
      return no('max pooling: NIR has AvgPool2d and SumPool2d, no max');
    case 'mean_time': {
      const reader = consumersOf(p.body, n.id);
      return p.chain.length === 0 && reader.length === 1 && reader[0]!.node.block.id === 'output'
        ? yes('through')
        : no('a mean over T inside the graph: NIR runs step by step; only the final readout may average over time (done by the reader)');
    }
    case 'psn':
    case 'masked_psn':
    case 'sliding_psn':
      return no('parallel spiking neuron (PSN): its charge mixes all T steps at once; NIR neurons are causal ODEs');
    case 'sew':
      return (n.params as { mode: string }).mode === 'add'
        ? no('spike-element-wise ADD: the sum of two spike trains is a spike-count value, and NIR has no add primitive')
        : no(`spike-element-wise ${(n.params as { mode: string }).mode.toUpperCase()}: NIR has no product of two activations`);
    case 'membrane_add':
      return no('residual add of two membrane streams: NIR has no add primitive');
    default:
      if (ATTENTION.has(id)) return no('attention: a product of two activations (matmul/Hadamard); NIR synapses multiply activations by weights only');
      if (NEURON_IDS.has(id)) {
        if ((n.params as { mergeRows?: boolean }).mergeRows) return no('a neuron over merged T·B rows (the released code\'s walk): its membrane carries from sample to sample, and a NIR neuron belongs to one sample');
        return neuronVerdict(NEURON_IDS.get(id)!.block.attrs(n.params));
      }
      return no(`${n.block.label} (${id}) has no NIR primitive`);
  }
}

/** NIR's LIF/IF reset to v_reset after z = 1; a soft reset, an adaptive threshold or a post-reset decay has no parameter there. */
function neuronVerdict(a: NeuronAttrs): NirVerdict {
  const row = chargeRule(a.charge);
  if (row.drive) return no('a neuron whose charge has its own drive g(V): NIR\'s LIF leaks linearly');
  if (row.adaptation) return no('an adaptive threshold: NIR neurons have a fixed v_threshold');
  if (a.vReset === null) return no('soft reset (subtract the threshold): NIR\'s IF/LIF reset the membrane to v_reset');
  if (a.postResetDecay !== 1) return no(`the membrane decays by ${a.postResetDecay} after each reset (SpikeDHS): no NIR parameter holds it`);
  return yes();
}

/** A BatchNorm folds into the Conv/Affine before it when that synapse feeds nothing else. */
function foldable(p: PlacedNode): NirVerdict {
  const src = producerOf(p.body, p.node.id);
  if (!src || src.node.inner) return no('BatchNorm that cannot be folded: its input does not come from a Conv or Linear in the same block');
  if (!SYNAPSES.has(src.node.block.id)) return no(`BatchNorm that cannot be folded: its input comes from "${src.node.id}" (${src.node.block.id}), not a Conv or Linear`);
  if (consumersOf(p.body, src.node.id, src.port).length !== 1) return no(`BatchNorm that cannot be folded: "${src.node.id}" also feeds other nodes`);
  if (src.node.block.id === 'linear' && src.node.inputs.in!.shape.length !== 1) return no('BatchNorm after a Linear over tokens, which NIR cannot hold either');
  return yes('folded');
}

/** Whether `port` of this node reads the document input (event counts there are what the sensor gives). */
function fromInput(p: PlacedNode, port: string): boolean {
  let src = producerOf(p.body, p.node.id, port);
  while (src && (src.node.block.id === 'event_frames' || src.node.block.id === 'direct_encoder')) src = producerOf(p.body, src.node.id);
  return src?.node.block.id === 'input' && p.chain.length === 0;
}
