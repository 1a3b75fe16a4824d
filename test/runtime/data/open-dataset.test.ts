import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../../engine/runtime/data/dataset.js';
import { loadDigits } from '../../../engine/runtime/data/digits.js';
import { openDataset } from '../../../engine/runtime/data/open-dataset.js';
import { pngBytes, rgba, tempDir, writeFile, writeIdxDataset } from './fixtures.js';

describe('openDataset', () => {
  const root = tempDir();
  const idx = join(root, 'idx');
  writeIdxDataset(idx, { train: [0, 1], test: [1] });
  const folder = join(root, 'folder');
  for (const cls of ['x', 'y']) writeFile(join(folder, cls, 'a.png'), pngBytes(2, 2, rgba(2, 2, () => [9, 9, 9, 255])));

  it('opens named and prefixed specs', () => {
    expect(openDataset('digits')).toBe(loadDigits());
    expect(openDataset(`idx:${idx}`).train.length).toBe(2);
    const f = openDataset(`folder:${folder}`, { imageSize: [4, 4], channels: 3, testFraction: 0 });
    expect(f.sampleShape).toEqual([3, 4, 4]);
  });

  it('recognises a plain directory by its files', () => {
    expect(openDataset(idx).name).toBe('idx');
    expect(openDataset(folder).kind).toBe('image');
  });

  it('explains an unknown spec, a missing directory and an unrecognisable one', () => {
    expect(() => openDataset('imagenet')).toThrow(
      'imagenet: unknown dataset: expected digits, fashion-mnist, idx:<dir>, cifar10:<dir>, cifar100:<dir>, folder:<dir>, events:<dir>, or a dataset directory',
    );
    expect(() => openDataset('cifar10:/no/such/dir')).toThrow('/no/such/dir: not a directory (dataset spec cifar10:<dir>)');
    const empty = join(root, 'empty');
    mkdirSync(empty);
    expect(() => openDataset(empty)).toThrow(DatasetError);
    expect(() => openDataset(empty)).toThrow(/cannot tell the dataset format/);
  });
});
