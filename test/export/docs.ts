/** Small documents the export tests build beside the templates: a LIF CNN in the forms NIR can and cannot hold. */
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { GraphBuilder } from '../../templates/builder.js';

export interface SmallCnn {
  readonly pool?: 'avgpool2d' | 'maxpool2d';
  /** null: soft reset. */
  readonly vReset?: number | null;
  /** A BatchNorm after the pool, where nothing can fold it. */
  readonly bnAfterPool?: boolean;
  readonly timeSteps?: number;
  readonly size?: number;
}

/** conv3×3(1→4)-BN-LIF-pool2 → conv3×3(4→8)-BN-LIF → flatten → Linear → LIF → Linear(→10) → mean over T. */
export function smallCnn(o: SmallCnn = {}): GraphDocument {
  const pool = o.pool ?? 'avgpool2d';
  const lif = { tau: 2, ...(o.vReset === undefined ? {} : { vReset: o.vReset }) };
  const g = new GraphBuilder();
  const x = g.add('input', 'input');
  const enc = g.add('encoder', 'direct_encoder', {}, x);
  const s1 = g.chain(enc, [
    ['conv1', 'conv2d', { outChannels: 4, kernel: 3, padding: 1 }],
    ['bn1', 'batchnorm2d'],
    ['lif1', 'lif', lif],
    ['pool1', pool, { kernel: 2 }],
    ...(o.bnAfterPool ? ([['bn_pool', 'batchnorm2d']] as const) : []),
  ]);
  const logits = g.chain(s1, [
    ['conv2', 'conv2d', { outChannels: 8, kernel: 3, padding: 1 }],
    ['bn2', 'batchnorm2d'],
    ['lif2', 'lif', lif],
    ['flatten', 'flatten'],
    ['fc1', 'linear', { outFeatures: 16 }],
    ['lif3', 'lif', lif],
    ['fc', 'linear', { outFeatures: 10 }],
    ['mean_t', 'mean_time'],
  ]);
  g.add('output', 'output', {}, logits);
  const size = o.size ?? 8;
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: 'small LIF CNN',
    timeSteps: o.timeSteps ?? 4,
    input: { shape: [1, size, size], kind: 'image' },
    nodes: g.nodes,
    edges: g.edges,
  };
}
