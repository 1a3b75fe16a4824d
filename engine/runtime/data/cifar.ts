/**
 * CIFAR-10 and CIFAR-100 in their binary releases (`cifar-10-batches-bin`, `cifar-100-binary`).
 *
 * Each file is a run of fixed-size records: the label byte(s), then 3072 pixel bytes — the 1024
 * red values of the 32×32 image row by row, then green, then blue — which is already the [C, H, W]
 * layout a sample takes. CIFAR-10 records hold one label byte; CIFAR-100 records hold the coarse
 * then the fine label, and the fine one (100 classes) is the label used here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ByteReader } from './byte-reader.js';
import { byteImageSplit } from './byte-images.js';
import { CIFAR100_CLASSES, CIFAR10_CLASSES } from './class-names.js';
import { DatasetError, type Dataset, type Split } from './dataset.js';
import { readDataFile } from './read-file.js';
import { readRegularFileSync } from '../read-regular.js';

const PIXELS = 3 * 32 * 32;

interface CifarFormat {
  name: string;
  trainFiles: string[];
  testFile: string;
  /** Label bytes before the pixels of each record; the used label is the last of them. */
  labelBytes: number;
  /** Optional file with one class name per line, in label order. */
  namesFile: string;
  defaultClasses: readonly string[];
  /** Upper bound of the labels before the used one (CIFAR-100's 20 coarse classes). */
  otherLabelLimits: number[];
}

const CIFAR10: CifarFormat = {
  name: 'cifar10',
  trainFiles: [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`),
  testFile: 'test_batch.bin',
  labelBytes: 1,
  namesFile: 'batches.meta.txt',
  defaultClasses: CIFAR10_CLASSES,
  otherLabelLimits: [],
};

const CIFAR100: CifarFormat = {
  name: 'cifar100',
  trainFiles: ['train.bin'],
  testFile: 'test.bin',
  labelBytes: 2,
  namesFile: 'fine_label_names.txt',
  defaultClasses: CIFAR100_CLASSES,
  otherLabelLimits: [20],
};

export function loadCifar10(dir: string): Dataset {
  return loadCifar(dir, CIFAR10);
}

export function loadCifar100(dir: string): Dataset {
  return loadCifar(dir, CIFAR100);
}

/** Which CIFAR release `dir` holds, if any (used by `openDataset` to recognise a plain directory). */
export function detectCifar(dir: string): 'cifar10' | 'cifar100' | undefined {
  if (existsSync(join(dir, CIFAR10.trainFiles[0]!))) return 'cifar10';
  if (existsSync(join(dir, CIFAR100.trainFiles[0]!)) && existsSync(join(dir, CIFAR100.testFile))) return 'cifar100';
  return undefined;
}

function loadCifar(dir: string, format: CifarFormat): Dataset {
  const missing = [...format.trainFiles, format.testFile].filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) throw new DatasetError(dir, `not a ${format.name} binary folder: missing ${missing.join(', ')}`);
  const classes = readClassNames(join(dir, format.namesFile)) ?? format.defaultClasses;
  return {
    name: format.name,
    classes,
    sampleShape: [3, 32, 32],
    kind: 'image',
    train: readRecords(`${format.name}/train`, format.trainFiles.map((f) => join(dir, f)), format, classes.length),
    test: readRecords(`${format.name}/test`, [join(dir, format.testFile)], format, classes.length),
  };
}

/** Reads every record of `files` (in order) into one split. */
function readRecords(splitName: string, files: string[], format: CifarFormat, classCount: number): Split {
  const record = format.labelBytes + PIXELS;
  const readers = files.map((f) => new ByteReader(f, readDataFile(f)));
  for (const r of readers) {
    if (r.length === 0) throw new DatasetError(r.file, `is empty: a ${format.name} batch file holds records of ${record} bytes (${format.labelBytes} label byte(s) then 3072 pixels)`, 0);
  }
  const count = readers.reduce((n, r) => n + Math.ceil(r.length / record), 0);
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let k = 0;
  for (const reader of readers) {
    for (let at = 0; at < reader.length; at += record, k++) {
      reader.need(at, record, `record ${at / record} of ${record} bytes: ${format.labelBytes} label byte(s) then 3072 pixels`);
      format.otherLabelLimits.forEach((limit, j) => {
        const other = reader.bytes[at + j]!;
        if (other >= limit) throw reader.fail(at + j, `label ${other} of record ${at / record} exceeds the ${limit} classes of that label`);
      });
      const labelAt = at + format.labelBytes - 1;
      const label = reader.bytes[labelAt]!;
      if (label >= classCount) throw reader.fail(labelAt, `label ${label} of record ${at / record} is not one of the ${classCount} classes`);
      labels[k] = label;
      pixels.set(reader.bytes.subarray(at + format.labelBytes, at + record), k * PIXELS);
    }
  }
  return byteImageSplit(splitName, pixels, labels, PIXELS);
}

function readClassNames(path: string): string[] | undefined {
  if (!existsSync(path)) return undefined;
  let text: string;
  try {
    text = readRegularFileSync(path, 1024 ** 2, 'class names file').toString('utf8');
  } catch (e) {
    throw Object.assign(new DatasetError(path, (e as Error).message.replace(`${path}: `, '')), { cause: e });
  }
  const names = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  return names.length > 0 ? names : undefined;
}
