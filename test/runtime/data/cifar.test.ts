import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCifar10, loadCifar100 } from '../../../engine/runtime/data/cifar.js';
import { CIFAR100_CLASSES, CIFAR10_CLASSES } from '../../../engine/runtime/data/class-names.js';
import { openDataset } from '../../../engine/runtime/data/open-dataset.js';
import { concat, tempDir, writeFile } from './fixtures.js';

/** One record in the exact binary layout: label byte(s), then R plane, G plane, B plane (32x32 each, row-major). */
function record(labels: number[], pixel: (c: number, y: number, x: number) => number): Uint8Array {
  const out = new Uint8Array(labels.length + 3072);
  out.set(labels);
  for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) out[labels.length + c * 1024 + y * 32 + x] = pixel(c, y, x);
  return out;
}

const pixelOf = (k: number) => (c: number, y: number, x: number) => (k * 31 + c * 50 + y * 3 + x) % 256;

function writeCifar10(dir: string): void {
  for (let b = 1; b <= 5; b++) writeFile(join(dir, `data_batch_${b}.bin`), concat([0, 1].map((j) => record([(b * 2 + j) % 10], pixelOf(b * 2 + j)))));
  writeFile(join(dir, 'test_batch.bin'), concat([record([7], pixelOf(100)), record([3], pixelOf(101))]));
}

describe('CIFAR binary batches', () => {
  const root = tempDir();

  it('CIFAR-10: reads all five train batches in order and the test batch, pixels in [C, H, W]', () => {
    const dir = join(root, 'c10');
    writeCifar10(dir);
    const ds = loadCifar10(dir);
    expect(ds.sampleShape).toEqual([3, 32, 32]);
    expect(ds.classes).toEqual([...CIFAR10_CLASSES]);
    expect([ds.train.length, ds.test.length]).toEqual([10, 2]);
    expect(Array.from({ length: 10 }, (_, i) => ds.train.get(i).y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    const { x } = ds.train.get(3); // batch 2, second record: k = 5
    for (const [c, y, xx] of [[0, 0, 0], [1, 5, 7], [2, 31, 31]] as const) expect(x[c * 1024 + y * 32 + xx]).toBeCloseTo(pixelOf(5)(c, y, xx) / 255, 7);
    expect(ds.test.get(1).y).toBe(3);
  });

  it('CIFAR-10: class names come from batches.meta.txt when present', () => {
    const dir = join(root, 'c10-names');
    writeCifar10(dir);
    writeFile(join(dir, 'batches.meta.txt'), 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n\n');
    expect(loadCifar10(dir).classes).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
  });

  it('CIFAR-100: uses the fine label (second byte) and its 100 names', () => {
    const dir = join(root, 'c100');
    writeFile(join(dir, 'train.bin'), concat([record([4, 99], pixelOf(0)), record([19, 42], pixelOf(1)), record([0, 0], pixelOf(2))]));
    writeFile(join(dir, 'test.bin'), record([11, 57], pixelOf(3)));
    const ds = openDataset(dir); // detected from train.bin + test.bin
    expect(ds.name).toBe('cifar100');
    expect(CIFAR100_CLASSES).toHaveLength(100);
    expect(ds.classes[99]).toBe('worm');
    expect(Array.from({ length: 3 }, (_, i) => ds.train.get(i).y)).toEqual([99, 42, 0]);
    expect(ds.test.get(0).y).toBe(57);
    expect(ds.test.get(0).x[1024 + 32 + 1]).toBeCloseTo(pixelOf(3)(1, 1, 1) / 255, 7);
  });

  it('a truncated record names the file, the offset and the record', () => {
    const dir = join(root, 'c10-trunc');
    writeCifar10(dir);
    const f = join(dir, 'data_batch_3.bin');
    writeFileSync(f, readFileSync(f).subarray(0, 3073 + 100));
    expect(() => loadCifar10(dir)).toThrow(`${f}: truncated at byte 3173: expected 6146 bytes (record 1 of 3073 bytes: 1 label byte(s) then 3072 pixels)`);
  });

  it('an out-of-range label names its byte', () => {
    const dir = join(root, 'c100-label');
    writeFile(join(dir, 'train.bin'), concat([record([0, 1], pixelOf(0)), record([25, 1], pixelOf(1))]));
    writeFile(join(dir, 'test.bin'), record([0, 1], pixelOf(0)));
    expect(() => loadCifar100(dir)).toThrow(/train\.bin: at byte 3074: label 25 of record 1 exceeds the 20 classes of that label/);
  });

  it('a folder missing batches says which', () => {
    const dir = join(root, 'c10-missing');
    writeFile(join(dir, 'data_batch_1.bin'), record([0], pixelOf(0)));
    expect(() => loadCifar10(dir)).toThrow(/not a cifar10 binary folder: missing data_batch_2\.bin, data_batch_3\.bin, data_batch_4\.bin, data_batch_5\.bin, test_batch\.bin/);
  });
});
