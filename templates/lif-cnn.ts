/**
 * `lif-cnn`: the plain spiking CNN of notes/ort-training.md for first-time users —
 * conv3×3(1→32)-BN-LIF-pool2 → conv3×3(32→64)-BN-LIF-pool2 → Linear(3136→10) → mean over T.
 */
import type { GraphDocument, TrainingSettings } from '../engine/core/document/schema.js';
import { GraphBuilder } from './builder.js';
import type { Template } from './types.js';

export interface LifCnnOptions {
  readonly timeSteps?: number;
  readonly channels?: readonly [number, number];
  readonly inputShape?: readonly [number, number, number];
  readonly classes?: number;
  /** Class names (default "0"…"9"). */
  readonly classNames?: readonly string[];
  readonly training?: TrainingSettings;
}

export function lifCnn(o: LifCnnOptions = {}): GraphDocument {
  const [c1, c2] = o.channels ?? [32, 64];
  const [cin, h, w] = o.inputShape ?? [1, 28, 28];
  const classes = o.classes ?? 10;
  const g = new GraphBuilder();
  const x = g.add('input', 'input');
  const enc = g.add('encoder', 'direct_encoder', {}, x);
  const s1 = g.chain(enc, [
    ['conv1', 'conv2d', { outChannels: c1, kernel: 3, padding: 1 }],
    ['bn1', 'batchnorm2d'],
    ['lif1', 'lif', { tau: 2 }],
    ['pool1', 'maxpool2d', { kernel: 2 }],
  ]);
  const s2 = g.chain(s1, [
    ['conv2', 'conv2d', { outChannels: c2, kernel: 3, padding: 1 }],
    ['bn2', 'batchnorm2d'],
    ['lif2', 'lif', { tau: 2 }],
    ['pool2', 'maxpool2d', { kernel: 2 }],
  ]);
  const logits = g.chain(s2, [
    ['flatten', 'flatten'],
    ['fc', 'linear', { outFeatures: classes }],
    ['mean_t', 'mean_time'],
  ]);
  g.add('output', 'output', {}, logits);
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: 'LIF CNN',
    description: 'A small spiking CNN (two conv-BN-LIF-pool stages and a linear readout averaged over time): the network of the ORT training note.',
    timeSteps: o.timeSteps ?? 4,
    input: { shape: [cin, h, w], kind: 'image', classes: o.classNames ? [...o.classNames] : Array.from({ length: classes }, (_, i) => String(i)) },
    ...g.body(),
    training: o.training ?? { dataset: 'digits', epochs: 3, batchSize: 64, optimizer: 'adam', lr: 1e-3, schedule: 'cosine', loss: 'ce', seed: 0 },
  } as GraphDocument;
}

const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/**
 * Fashion-MNIST (60,000 / 10,000, Debian's dataset-fashion-mnist): the same network at twice the
 * width. Measured with this recipe: 92.62 % test accuracy after 8 epochs, 48 minutes on 2 cores
 * (2 threads); the 32-64 network stops at 91.82 % after 8 epochs (firing rates ~4 %).
 */
const FASHION_TRAINING: TrainingSettings = {
  dataset: 'fashion-mnist', epochs: 8, batchSize: 64, optimizer: 'adam', lr: 2e-3, schedule: 'cosine', loss: 'ce', seed: 0,
  augmentation: { hflip: true },
  notes: '92.62 % test accuracy after 8 epochs (48 min on 2 cores, 2 threads), measured by SNN Studio',
};

export const lifCnnTemplate: Template = {
  id: 'lif-cnn',
  label: 'LIF CNN',
  description: 'A small spiking CNN for first steps: two Conv3×3→BN→LIF→MaxPool stages and a Linear readout averaged over T. Trains on the bundled MNIST digits in under a minute; the fashion-mnist preset, twice as wide, reaches 92.6 % on Fashion-MNIST in 8 epochs. Head: the second LIF\'s spikes → MaxPool → flatten → Linear at every step → mean over T; the last neuron sits before the pool, and the logits are never spikes. Released code against the paper: none, this is SNN Studio\'s own network.',
  presets: [
    { name: 'digits', label: 'LIF CNN on MNIST digits', config: 'LIF CNN 32-64', dataset: 'MNIST digits', timeSteps: 4, reportedTop1: null, params: null },
    { name: 'fashion-mnist', label: 'LIF CNN 64-128 on Fashion-MNIST', config: 'LIF CNN 64-128', dataset: 'Fashion-MNIST', timeSteps: 4, reportedTop1: null, params: null },
  ],
  build: (preset) => {
    const fashion = preset.name === 'fashion-mnist';
    const doc = fashion ? lifCnn({ timeSteps: preset.timeSteps, channels: [64, 128], classNames: FASHION_CLASSES, training: FASHION_TRAINING }) : lifCnn({ timeSteps: preset.timeSteps });
    return { ...doc, ...(fashion ? { name: 'LIF CNN 64-128 (Fashion-MNIST)' } : {}), meta: { template: 'lif-cnn', preset: preset.name, config: preset.config, T: preset.timeSteps, dataset: preset.dataset, reportedTop1: preset.reportedTop1 } };
  },
};
