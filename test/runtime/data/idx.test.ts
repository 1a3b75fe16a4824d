import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { skipping } from '../../helpers/skip.js';
import { FASHION_MNIST_CLASSES } from '../../../engine/runtime/data/class-names.js';
import { DatasetError } from '../../../engine/runtime/data/dataset.js';
import { loadIdxDataset } from '../../../engine/runtime/data/idx.js';
import { FASHION_MNIST_DIR, openDataset } from '../../../engine/runtime/data/open-dataset.js';
import { idxBytes, patternPixels, tempDir, writeFile, writeIdxDataset } from './fixtures.js';

describe('IDX datasets', () => {
  const root = tempDir();

  it.each([false, true])('reads train and t10k images and labels (gzip: %s)', (gzip) => {
    const dir = join(root, `plain-${gzip}`);
    writeIdxDataset(dir, { train: [3, 1, 4, 1, 5], test: [9, 2], gzip });
    const ds = loadIdxDataset(dir);
    expect(ds.sampleShape).toEqual([1, 4, 3]);
    expect(ds.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect([ds.train.length, ds.test.length]).toEqual([5, 2]);
    expect(Array.from({ length: 5 }, (_, i) => ds.train.get(i).y)).toEqual([3, 1, 4, 1, 5]);
    const pixels = patternPixels(5, 12);
    expect(Array.from(ds.train.get(2).x)).toEqual(Array.from(pixels.subarray(24, 36), (v) => Math.fround(v / 255)));
    expect(ds.test.get(1).y).toBe(2);
  });

  it('reads the dotted file names some mirrors use (train-images.idx3-ubyte)', () => {
    const dir = join(root, 'dotted');
    writeIdxDataset(dir, { train: [0, 1], test: [1] });
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      renameSync(join(dir, f), join(dir, f.replace('-idx', '.idx')));
    }
    const ds = loadIdxDataset(dir);
    expect([ds.train.length, ds.test.length, ds.test.get(0).y]).toEqual([2, 1, 1]);
  });

  describe('corrupt files name the file and the byte offset', () => {
    const corrupt = (name: string, mutate: (dir: string) => void) => {
      const dir = join(root, name);
      writeIdxDataset(dir, { train: [0, 1, 2], test: [0] });
      mutate(dir);
      return dir;
    };

    it('bad magic', () => {
      const dir = corrupt('magic', (d) => {
        const f = join(d, 'train-images-idx3-ubyte');
        const b = readFileSync(f);
        b[0] = 0x1f;
        writeFileSync(f, b);
      });
      expect(() => loadIdxDataset(dir)).toThrow(/train-images-idx3-ubyte: at byte 0: bad magic: an IDX file starts with two zero bytes, found 0x1f 0x00/);
    });

    it('truncated pixel data', () => {
      const dir = corrupt('truncated', (d) => {
        const f = join(d, 'train-images-idx3-ubyte');
        writeFileSync(f, readFileSync(f).subarray(0, 16 + 12 * 2 + 5));
      });
      let error: DatasetError | undefined;
      try {
        loadIdxDataset(dir);
      } catch (e) {
        error = e as DatasetError;
      }
      expect(error).toBeInstanceOf(DatasetError);
      expect(error!.message).toBe(`${join(dir, 'train-images-idx3-ubyte')}: truncated at byte 45: expected 52 bytes (3 images of 4x3 pixels after the 16-byte header)`);
      expect(error!.offset).toBe(45);
      expect(error!.file).toBe(join(dir, 'train-images-idx3-ubyte'));
    });

    it('truncated header', () => {
      const dir = corrupt('short-header', (d) => writeFileSync(join(d, 't10k-labels-idx1-ubyte'), new Uint8Array([0, 0, 8, 1, 0, 0])));
      expect(() => loadIdxDataset(dir)).toThrow(/t10k-labels-idx1-ubyte: truncated at byte 6: expected 8 bytes \(size of dimension 0\)/);
    });

    it('label and image counts disagree', () => {
      const dir = corrupt('mismatch', (d) => writeFileSync(join(d, 'train-labels-idx1-ubyte'), idxBytes([2], Uint8Array.from([0, 1]))));
      expect(() => loadIdxDataset(dir)).toThrow(/train-labels-idx1-ubyte: holds 2 labels but train-images-idx3-ubyte holds 3 images/);
    });

    it('a type other than unsigned byte', () => {
      const dir = corrupt('type', (d) => {
        const f = join(d, 't10k-images-idx3-ubyte');
        const b = readFileSync(f);
        b[2] = 0x0d;
        writeFileSync(f, b);
      });
      expect(() => loadIdxDataset(dir)).toThrow(/t10k-images-idx3-ubyte: at byte 2: IDX type 0x0d is not unsigned byte/);
    });

    it('a truncated gzip stream', () => {
      const dir = join(root, 'gz-truncated');
      writeIdxDataset(dir, { train: [0, 1, 2], test: [0], gzip: true });
      const f = join(dir, 'train-images-idx3-ubyte.gz');
      const gz = readFileSync(f);
      writeFileSync(f, gz.subarray(0, gz.length - 12));
      expect(() => loadIdxDataset(dir)).toThrow(/train-images-idx3-ubyte\.gz: corrupt or truncated gzip stream \(unexpected end of file\): the \d+-byte file decompresses to \d+ good bytes/);
    });

    it('a label beyond the given classes', () => {
      const dir = corrupt('label', () => undefined);
      expect(() => loadIdxDataset(dir, { classes: ['a', 'b'] })).toThrow(/train-labels-idx1-ubyte: at byte 10: label 2 of item 2 is not one of the 2 classes/);
    });

    it('a missing file', () => {
      const dir = join(root, 'missing');
      writeFile(join(dir, 'train-images-idx3-ubyte'), gzipSync(new Uint8Array(4)));
      expect(() => loadIdxDataset(dir)).toThrow(/no train-labels-idx1-ubyte file \(looked for train-labels-idx1-ubyte, train-labels-idx1-ubyte\.gz/);
    });
  });

  const fashion = existsSync(FASHION_MNIST_DIR);
  it.skipIf(skipping('idx: reads the real Fashion-MNIST files', fashion ? null : `${FASHION_MNIST_DIR} is absent (Debian package dataset-fashion-mnist)`))('reads the real Fashion-MNIST files from the Debian package', () => {
    const ds = openDataset('fashion-mnist');
    expect(ds.name).toBe('fashion-mnist');
    expect(ds.classes).toEqual([...FASHION_MNIST_CLASSES]);
    expect(ds.sampleShape).toEqual([1, 28, 28]);
    expect([ds.train.length, ds.test.length]).toEqual([60_000, 10_000]);
    // Known first labels and first-image pixel sums, read independently with python's gzip module.
    expect(Array.from({ length: 10 }, (_, i) => ds.train.get(i).y)).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from({ length: 10 }, (_, i) => ds.test.get(i).y)).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(Math.round(ds.train.get(0).x.reduce((a, b) => a + b, 0) * 255)).toBe(76247);
    expect(Math.round(ds.test.get(0).x.reduce((a, b) => a + b, 0) * 255)).toBe(33456);
    // The same files through idx:<dir> get Fashion-MNIST's names from the folder name.
    expect(openDataset(`idx:${FASHION_MNIST_DIR}`).classes[9]).toBe('Ankle boot');
  });
});
