/**
 * One entry point from a dataset spec (as written in a document's training section or on the
 * command line) to a Dataset. Specs are plain strings, and options plain JSON, so the batch
 * loader's worker can open the same dataset from the same message.
 */
import { existsSync, statSync } from 'node:fs';
import { detectCifar, loadCifar10, loadCifar100 } from './cifar.js';
import { looksLikeClassFolders } from './class-folders.js';
import { FASHION_MNIST_CLASSES } from './class-names.js';
import { DatasetError, type Dataset } from './dataset.js';
import { loadDigits } from './digits.js';
import { EVENT_EXTENSIONS } from './event-file.js';
import { loadEventFolder } from './event-folder.js';
import { IMAGE_EXTENSIONS, loadImageFolder } from './image-folder.js';
import type { ResizeMode } from './image-transform.js';
import { isIdxDirectory, loadIdxDataset } from './idx.js';

/** Where Debian's `dataset-fashion-mnist` package installs the gzipped IDX files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Options for the sources that need them; each loader reads only its own. */
export interface DatasetOptions {
  /** idx: class names in label order. */
  classes?: string[];
  /** folder: output [H, W] (default: the first image's size). */
  imageSize?: [number, number];
  /** folder: output channels (default: 1 for grey images, else 3). */
  channels?: 1 | 3;
  /** folder: resize filter (default bilinear). */
  resize?: ResizeMode;
  /** folder, events: fraction of each class held out for testing (default 0.15). */
  testFraction?: number;
  /** events: frames per sample, T (default 16). */
  frames?: number;
  /** events: [height, width] of the sensor (default: inferred). */
  sensorSize?: [number, number];
}

const SPECS = 'digits, fashion-mnist, idx:<dir>, cifar10:<dir>, cifar100:<dir>, folder:<dir>, events:<dir>, or a dataset directory';

export function openDataset(spec: string, opts: DatasetOptions = {}): Dataset {
  if (spec === 'digits') return loadDigits();
  if (spec === 'fashion-mnist') {
    if (!isDirectory(FASHION_MNIST_DIR)) throw new DatasetError(FASHION_MNIST_DIR, 'not found: install the Debian package dataset-fashion-mnist, or use idx:<dir>');
    return loadIdxDataset(FASHION_MNIST_DIR, { classes: FASHION_MNIST_CLASSES, name: 'fashion-mnist' });
  }
  const prefixed = /^(idx|cifar10|cifar100|folder|events):(.+)$/.exec(spec);
  if (prefixed) return openKind(prefixed[1] as SourceKind, prefixed[2]!, opts);
  if (isDirectory(spec)) return openKind(detectKind(spec), spec, opts);
  throw new DatasetError(spec, `unknown dataset: expected ${SPECS}`);
}

type SourceKind = 'idx' | 'cifar10' | 'cifar100' | 'folder' | 'events';

function openKind(kind: SourceKind, dir: string, opts: DatasetOptions): Dataset {
  if (!isDirectory(dir)) throw new DatasetError(dir, `not a directory (dataset spec ${kind}:<dir>)`);
  switch (kind) {
    case 'idx':
      return loadIdxDataset(dir, opts.classes ? { classes: opts.classes } : {});
    case 'cifar10':
      return loadCifar10(dir);
    case 'cifar100':
      return loadCifar100(dir);
    case 'folder':
      return loadImageFolder(dir, { size: opts.imageSize, channels: opts.channels, resize: opts.resize, testFraction: opts.testFraction });
    case 'events':
      return loadEventFolder(dir, { frames: opts.frames, sensorSize: opts.sensorSize, testFraction: opts.testFraction });
  }
}

/** Recognises a plain directory by the files that each format requires. */
function detectKind(dir: string): SourceKind {
  if (isIdxDirectory(dir)) return 'idx';
  const cifar = detectCifar(dir);
  if (cifar) return cifar;
  if (looksLikeClassFolders(dir, EVENT_EXTENSIONS)) return 'events';
  if (looksLikeClassFolders(dir, IMAGE_EXTENSIONS)) return 'folder';
  throw new DatasetError(dir, 'cannot tell the dataset format: no IDX files, no CIFAR batches, no class folders of images or event files');
}

function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
