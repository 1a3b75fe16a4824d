/**
 * `hybrid`: an SNN–ANN example of SNN Studio's own. A spiking tokeniser (Spikformer's SPS) encodes
 * the image over T steps; the firing rates of its tokens (mean over T) feed a small ANN transformer
 * layer (LayerNorm, softmax attention) and a linear head. The editor marks where the network stops
 * being spike-driven: every layer after the mean over T multiplies.
 */
import type { TrainingSettings } from '../engine/core/document/schema.js';
import { GraphBuilder } from './builder.js';
import { DATASETS } from './datasets.js';
import { encodedInput, templateDocument } from './document.js';
import type { PresetInfo, Template } from './types.js';

/**
 * The digits preset's recipe, the one the gallery's tiny transformers share: Adam at 5e-3 and batch 32
 * (more steps per CPU second). test/templates/tiny-learning.test.ts stops the epoch after 150
 * steps (a cosine over them): 83.9 % measured.
 */
const TINY_TRAINING: TrainingSettings = {
  optimizer: 'adam', lr: 5e-3, schedule: 'cosine', epochs: 1, batchSize: 32, loss: 'ce', seed: 0,
  notes: 'passes 80 % on the bundled digits after 150 steps of batch 32 (83.9 % measured)',
};

interface Row {
  readonly info: PresetInfo;
  readonly data: 'digits' | 'cifar10';
  readonly dim: number;
  readonly heads: number;
}

const ROWS: readonly Row[] = [
  { info: { name: 'digits', label: 'Hybrid SPS + attention on MNIST digits', config: 'SPS-32 + ANN attention', dataset: 'MNIST digits', timeSteps: 4, reportedTop1: null, params: null }, data: 'digits', dim: 32, heads: 4 },
  { info: { name: 'cifar10', label: 'Hybrid SPS + attention on CIFAR10', config: 'SPS-128 + ANN attention', dataset: 'CIFAR10', timeSteps: 4, reportedTop1: null, params: null }, data: 'cifar10', dim: 128, heads: 4 },
];

function hybridGraph(r: Row): GraphBuilder {
  const g = new GraphBuilder();
  const spikes = g.add('patch_embed', 'sps', { dim: r.dim, variant: 'cifar' }, encodedInput(g, DATASETS[r.data]));
  const logits = g.chain(spikes, [
    ['rates', 'mean_time'],
    ['norm1', 'layernorm'],
    ['attn', 'softmax_attention', { heads: r.heads }],
    ['norm2', 'layernorm'],
    ['mean_tokens', 'mean_tokens'],
    ['head', 'head', { classes: DATASETS[r.data].classes }],
  ]);
  g.add('output', 'output', {}, logits);
  return g;
}

export const hybrid: Template = {
  id: 'hybrid',
  label: 'Hybrid SNN–ANN',
  description:
    'SNN Studio example: a spiking patch splitter (SPS + RPE, spike tokens over T steps) whose token firing rates feed a non-spiking transformer layer (LayerNorm → softmax multi-head attention → LayerNorm) and a linear head. The ANN part runs once per sample, after the mean over T, and costs MACs, not ACs. Head: the SPS\'s spike tokens → mean over T (firing rates; the SPS holds the last neuron) → LayerNorm → softmax attention → LayerNorm → mean over tokens → Linear. Released code against the paper: none, this is SNN Studio\'s own network.',
  presets: ROWS.map((r) => r.info),
  build: (preset) => {
    const r = ROWS.find((x) => x.info.name === preset.name)!;
    return templateDocument({
      template: hybrid,
      preset,
      name: preset.label,
      description: `SPS (D=${r.dim}) → firing rates → LayerNorm → softmax attention (${r.heads} heads) → LayerNorm → mean over tokens → Linear.`,
      data: DATASETS[r.data],
      graph: hybridGraph(r),
      training: TINY_TRAINING,
    });
  },
};
