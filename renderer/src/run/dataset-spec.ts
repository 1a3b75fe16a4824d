/**
 * Dataset specs as the run panel offers them: the two built in by name, and the formats read
 * from a folder the user picks (`idx:<dir>`, `cifar10:<dir>`, ...; the same strings the CLI and a
 * document's `training.dataset` take), plus the options that make a folder fit the model's input.
 */
import type { TrainJobOptions } from '../../../engine/api/studio-api.js';
import type { GraphDocument } from '../../../engine/core/document/schema.js';

export type DatasetKind = 'digits' | 'fashion-mnist' | 'idx' | 'cifar10' | 'cifar100' | 'folder' | 'events';

export interface DatasetChoice {
  readonly kind: DatasetKind;
  readonly label: string;
  /** Read from a folder the user picks. */
  readonly needsFolder: boolean;
}

export const DATASET_CHOICES: readonly DatasetChoice[] = [
  { kind: 'digits', label: 'MNIST digits (bundled)', needsFolder: false },
  { kind: 'fashion-mnist', label: 'Fashion-MNIST', needsFolder: false },
  { kind: 'idx', label: 'IDX files (MNIST format)…', needsFolder: true },
  { kind: 'cifar10', label: 'CIFAR-10 binary…', needsFolder: true },
  { kind: 'cifar100', label: 'CIFAR-100 binary…', needsFolder: true },
  { kind: 'folder', label: 'Image folder (a folder per class)…', needsFolder: true },
  { kind: 'events', label: 'Event folder (a folder per class)…', needsFolder: true },
];

export const DEFAULT_DATASET = 'digits';

export interface ParsedSpec {
  /** `detect`: a bare folder path, whose format the host recognises by its files. */
  readonly kind: DatasetKind | 'detect';
  /** The folder, for the kinds read from one. */
  readonly dir?: string;
}

/** What a spec names. */
export function parseSpec(spec: string): ParsedSpec {
  if (spec === 'digits' || spec === 'fashion-mnist') return { kind: spec };
  const m = /^(idx|cifar10|cifar100|folder|events):(.+)$/.exec(spec);
  if (m) return { kind: m[1] as DatasetKind, dir: m[2]! };
  return { kind: 'detect', dir: spec };
}

export function specFor(kind: DatasetKind, dir?: string): string {
  if (kind === 'digits' || kind === 'fashion-mnist') return kind;
  if (!dir) throw new Error(`a ${kind} dataset is read from a folder`);
  return `${kind}:${dir}`;
}

/** The spec a document trains on: its own, else the trainer's default. */
export function documentDataset(doc: GraphDocument): string {
  return doc.training?.dataset ?? DEFAULT_DATASET;
}

/**
 * A folder of images is read at the size and channels the model takes ([C,H,W] input), and an
 * event folder in as many frames as the model has time steps; the built-in sets and the fixed
 * binary formats have one size and need nothing.
 */
export function datasetOptionsFor(spec: string, doc: GraphDocument): TrainJobOptions['datasetOptions'] {
  const { kind } = parseSpec(spec);
  const shape = doc.input.shape;
  if (kind === 'folder' && shape.length === 3 && (shape[0] === 1 || shape[0] === 3)) {
    return { imageSize: [shape[1]!, shape[2]!], channels: shape[0] };
  }
  if (kind === 'events') return { frames: doc.timeSteps };
  return undefined;
}

/** The last part of a folder path, for a short label. */
export function folderName(dir: string): string {
  const parts = dir.split(/[\\/]/).filter((p) => p !== '');
  return parts[parts.length - 1] ?? dir;
}

/**
 * The document training on `spec` (the same document when it already does). The default dataset
 * is left out of a document that never named one, as every default is.
 */
export function withDataset(doc: GraphDocument, spec: string): GraphDocument {
  const current = doc.training?.dataset;
  if (current === spec || (current === undefined && spec === DEFAULT_DATASET)) return doc;
  return { ...doc, training: { ...(doc.training ?? {}), dataset: spec } };
}
