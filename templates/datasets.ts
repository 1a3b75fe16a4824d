/**
 * The datasets the papers train on, as document inputs: shape, kind, class names and the per-channel
 * normalisation of the released training scripts, with the encoder each one needs.
 */
import type { InputSpec } from '../engine/core/document/schema.js';
import { CIFAR10_CLASSES, CIFAR100_CLASSES } from '../engine/runtime/data/class-names.js';

export interface DatasetInput {
  /** As the papers name it. */
  readonly name: string;
  readonly input: InputSpec;
  readonly classes: number;
  /** Direct encoding for static images, event frames for neuromorphic data. */
  readonly encoder: 'direct_encoder' | 'event_frames';
  /** A dataset spec SNN Studio can open without a download (`training.dataset`), where there is one. */
  readonly spec?: string;
}

const GESTURE_CLASSES = [
  'hand clap', 'right hand wave', 'left hand wave', 'right arm clockwise', 'right arm counter-clockwise',
  'left arm clockwise', 'left arm counter-clockwise', 'arm roll', 'air drums', 'air guitar', 'other gestures',
];

const imageNet = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

export const DATASETS = {
  cifar10: {
    name: 'CIFAR10',
    input: { shape: [3, 32, 32], kind: 'image', classes: [...CIFAR10_CLASSES], normalize: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] } },
    classes: 10,
    encoder: 'direct_encoder',
  },
  cifar100: {
    name: 'CIFAR100',
    input: { shape: [3, 32, 32], kind: 'image', classes: [...CIFAR100_CLASSES], normalize: { mean: [0.5071, 0.4865, 0.4409], std: [0.2673, 0.2564, 0.2762] } },
    classes: 100,
    encoder: 'direct_encoder',
  },
  imagenet: { name: 'ImageNet-1K', input: { shape: [3, 224, 224], kind: 'image', normalize: imageNet }, classes: 1000, encoder: 'direct_encoder' },
  cifar10dvs: {
    name: 'CIFAR10-DVS',
    input: { shape: [2, 128, 128], kind: 'events', classes: [...CIFAR10_CLASSES] },
    classes: 10,
    encoder: 'event_frames',
  },
  /** CIFAR10-DVS frames resized to 64×64, as SDT's CIFAR10-DVS config takes them (img_size 64). */
  cifar10dvs64: {
    name: 'CIFAR10-DVS',
    input: { shape: [2, 64, 64], kind: 'events', classes: [...CIFAR10_CLASSES] },
    classes: 10,
    encoder: 'event_frames',
  },
  /** CIFAR10-DVS frames resized to 48×48, as the TET/PSN VGG models take them. */
  cifar10dvs48: {
    name: 'CIFAR10-DVS',
    input: { shape: [2, 48, 48], kind: 'events', classes: [...CIFAR10_CLASSES] },
    classes: 10,
    encoder: 'event_frames',
  },
  gesture: { name: 'DVS128 Gesture', input: { shape: [2, 128, 128], kind: 'events', classes: GESTURE_CLASSES }, classes: 11, encoder: 'event_frames' },
  digits: {
    name: 'MNIST digits',
    input: { shape: [1, 28, 28], kind: 'image', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] },
    classes: 10,
    encoder: 'direct_encoder',
    spec: 'digits',
  },
} satisfies Record<string, DatasetInput>;

export type DatasetId = keyof typeof DATASETS;
