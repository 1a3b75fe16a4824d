/**
 * MNIST-format (IDX) datasets: MNIST, Fashion-MNIST, KMNIST and friends, as four files
 * `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
 * `t10k-labels-idx1-ubyte`, each optionally gzipped.
 *
 * IDX layout: two zero bytes, a type byte (0x08 = unsigned byte), a dimension count, one
 * big-endian u32 per dimension, then the data. Only unsigned-byte files occur in these datasets, so
 * other types are refused by name rather than misread.
 */
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ByteReader } from './byte-reader.js';
import { byteImageSplit } from './byte-images.js';
import { FASHION_MNIST_CLASSES } from './class-names.js';
import { DatasetError, type Dataset, type Split } from './dataset.js';
import { readDataFile } from './read-file.js';

export interface IdxOptions {
  /** Class names in label order; default: Fashion-MNIST's when the folder name says "fashion", else '0', '1', …. */
  classes?: readonly string[];
  name?: string;
}

export function loadIdxDataset(dir: string, opts: IdxOptions = {}): Dataset {
  const train = readIdxPair(findIdxFile(dir, 'train-images-idx3-ubyte'), findIdxFile(dir, 'train-labels-idx1-ubyte'));
  const test = readIdxPair(findIdxFile(dir, 't10k-images-idx3-ubyte'), findIdxFile(dir, 't10k-labels-idx1-ubyte'));
  if (train.height !== test.height || train.width !== test.width) {
    throw new DatasetError(dir, `train images are ${train.height}x${train.width} but test images are ${test.height}x${test.width}`);
  }
  const classes = opts.classes ?? defaultClasses(dir, Math.max(train.maxLabel, test.maxLabel));
  for (const part of [train, test]) {
    if (part.maxLabel >= classes.length) {
      const i = part.labels.indexOf(part.maxLabel);
      throw new DatasetError(part.labelFile, `at byte ${8 + i}: label ${part.maxLabel} of item ${i} is not one of the ${classes.length} classes`, 8 + i);
    }
  }
  return {
    name: opts.name ?? basename(dir),
    classes,
    sampleShape: [1, train.height, train.width],
    kind: 'image',
    train: train.split,
    test: test.split,
  };
}

/** Whether `dir` holds an IDX dataset (used by `openDataset` to recognise a plain directory). */
export function isIdxDirectory(dir: string): boolean {
  return idxCandidates(dir, 'train-images-idx3-ubyte').some((p) => existsSync(p));
}

export interface IdxArray {
  dims: number[];
  /** The data bytes, a view into the file. */
  data: Uint8Array;
}

/** Parses one unsigned-byte IDX file with `ndim` dimensions. */
export function parseIdx(reader: ByteReader, ndim: number): IdxArray {
  const { dims, header } = readIdxHeader(reader, ndim);
  const count = dims.reduce((a, b) => a * b, 1);
  const what = ndim === 1 ? `${count} labels` : `${dims[0]} images of ${dims.slice(1).join('x')} pixels`;
  return { dims, data: reader.slice(header, count, `${what} after the ${header}-byte header`) };
}

/** The file size an IDX header promises: what a gzipped IDX file may inflate to, and no more. */
export function idxDeclaredSize(file: string, ndim: number): (head: Uint8Array) => number {
  return (head) => {
    const { dims, header } = readIdxHeader(new ByteReader(file, head), ndim);
    return header + dims.reduce((a, b) => a * b, 1);
  };
}

function readIdxHeader(reader: ByteReader, ndim: number): { dims: number[]; header: number } {
  if (reader.u8(0, 'IDX magic') !== 0 || reader.u8(1, 'IDX magic') !== 0) {
    throw reader.fail(0, `bad magic: an IDX file starts with two zero bytes, found 0x${hex(reader.bytes[0]!)} 0x${hex(reader.bytes[1]!)}`);
  }
  const type = reader.u8(2, 'IDX type');
  if (type !== 0x08) throw reader.fail(2, `IDX type 0x${hex(type)} is not unsigned byte (0x08), the only type image datasets use`);
  const found = reader.u8(3, 'IDX dimension count');
  if (found !== ndim) throw reader.fail(3, `expected ${ndim} dimensions, the header says ${found}`);
  const dims = Array.from({ length: ndim }, (_, d) => reader.u32be(4 + 4 * d, `size of dimension ${d}`));
  return { dims, header: 4 + 4 * ndim };
}

interface IdxPart {
  split: Split;
  labels: Uint8Array;
  labelFile: string;
  height: number;
  width: number;
  maxLabel: number;
}

function readIdxPair(imageFile: string, labelFile: string): IdxPart {
  const images = parseIdx(new ByteReader(imageFile, readDataFile(imageFile, idxDeclaredSize(imageFile, 3))), 3);
  const labels = parseIdx(new ByteReader(labelFile, readDataFile(labelFile, idxDeclaredSize(labelFile, 1))), 1).data;
  const [count, height, width] = images.dims as [number, number, number];
  if (count === 0 || height === 0 || width === 0) throw new DatasetError(imageFile, `holds no images (the header says ${count} images of ${height}x${width} pixels)`, 4);
  if (labels.length !== count) {
    throw new DatasetError(labelFile, `holds ${labels.length} labels but ${basename(imageFile)} holds ${count} images`, 4);
  }
  const split = byteImageSplit(basename(imageFile), images.data, labels, height * width);
  return { split, labels, labelFile, height, width, maxLabel: labels.reduce((a, b) => Math.max(a, b), 0) };
}

function findIdxFile(dir: string, base: string): string {
  const candidates = idxCandidates(dir, base);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new DatasetError(dir, `no ${base} file (looked for ${candidates.map((p) => basename(p)).join(', ')})`);
  return found;
}

/** The canonical name, the dotted variant some mirrors use (`train-images.idx3-ubyte`), each plain or gzipped. */
function idxCandidates(dir: string, base: string): string[] {
  const names = [base, base.replace('-idx', '.idx')];
  return names.flatMap((n) => [join(dir, n), join(dir, `${n}.gz`)]);
}

function defaultClasses(dir: string, maxLabel: number): readonly string[] {
  if (/fashion/i.test(basename(dir)) && maxLabel < FASHION_MNIST_CLASSES.length) return FASHION_MNIST_CLASSES;
  return Array.from({ length: maxLabel + 1 }, (_, i) => String(i));
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
