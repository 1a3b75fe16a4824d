import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadImageFolder } from '../../../engine/runtime/data/image-folder.js';
import { jpegBytes, pngBytes, rgba, tempDir, writeFile } from './fixtures.js';

const W = 8;
const H = 6;
// A colour ramp: red grows with x, green with y, blue is flat.
const ramp = (k: number) => rgba(W, H, (x, y) => [x * 30 + k, y * 40, 200, 255]);

function writeFolder(dir: string): void {
  for (let k = 0; k < 4; k++) {
    writeFile(join(dir, 'cat', `img${k}.png`), pngBytes(W, H, ramp(k)));
    writeFile(join(dir, 'dog', `img${k}.jpg`), jpegBytes(W, H, ramp(k)));
  }
}

describe('image folders', () => {
  const root = tempDir();
  const dir = join(root, 'pets');
  writeFolder(dir);

  it('decodes PNG and JPEG into [C, H, W] floats, classes from sorted folder names', () => {
    const ds = loadImageFolder(dir, { testFraction: 0.25 });
    expect(ds.classes).toEqual(['cat', 'dog']);
    expect(ds.sampleShape).toEqual([3, H, W]);
    const { x, y } = ds.train.get(0);
    expect(y).toBe(0);
    for (let yy = 0; yy < H; yy++) {
      for (let xx = 0; xx < W; xx++) {
        expect(x[yy * W + xx]).toBeCloseTo((xx * 30) / 255, 6);
        expect(x[H * W + yy * W + xx]).toBeCloseTo((yy * 40) / 255, 6);
        expect(x[2 * H * W + yy * W + xx]).toBeCloseTo(200 / 255, 6);
      }
    }
    // JPEG at quality 100 is near-lossless on a smooth ramp.
    const dog = ds.train.get(1);
    expect(dog.y).toBe(1);
    for (let j = 0; j < dog.x.length; j++) expect(Math.abs(dog.x[j]! - x[j]!) * 255).toBeLessThan(6);
  });

  it('splits each class deterministically: the last files by name test, classes interleaved', () => {
    const ds = loadImageFolder(dir, { testFraction: 0.25 });
    expect([ds.train.length, ds.test.length]).toEqual([6, 2]);
    expect(Array.from({ length: 6 }, (_, i) => ds.train.get(i).y)).toEqual([0, 1, 0, 1, 0, 1]);
    // img3 (red offset 3) is the held-out cat.
    expect(ds.test.get(0).x[0]).toBeCloseTo(3 / 255, 6);
  });

  it('resizes with nearest (pixel centres) and bilinear (half-pixel, like PIL)', () => {
    const nearest = loadImageFolder(dir, { size: [3, 4], resize: 'nearest' }).train.get(0).x;
    const bilinear = loadImageFolder(dir, { size: [3, 4], resize: 'bilinear' }).train.get(0).x;
    for (let y = 0; y < 3; y++) {
      for (let x = 0; x < 4; x++) {
        // Output pixel x samples source x' = 2x + 1 (nearest) or the mean of 2x and 2x + 1 (bilinear).
        expect(Math.round(nearest[y * 4 + x]! * 255)).toBe((2 * x + 1) * 30);
        expect(Math.round(nearest[12 + y * 4 + x]! * 255)).toBe((2 * y + 1) * 40);
        expect(Math.round(bilinear[y * 4 + x]! * 255)).toBe(60 * x + 15);
        expect(Math.round(bilinear[12 + y * 4 + x]! * 255)).toBe(80 * y + 20);
      }
    }
  });

  it('converts to one channel with ITU-R 601 luma, and detects grey folders', () => {
    const grey = loadImageFolder(dir, { channels: 1 }).train.get(0).x;
    expect(grey.length).toBe(H * W);
    expect(Math.round(grey[2 * W + 3]! * 255)).toBe(Math.round((90 * 299 + 80 * 587 + 200 * 114) / 1000));

    const greyDir = join(root, 'grey');
    for (const cls of ['a', 'b']) writeFile(join(greyDir, cls, '0.png'), pngBytes(4, 4, rgba(4, 4, (x) => [x * 60, x * 60, x * 60, 128])));
    const ds = loadImageFolder(greyDir, { testFraction: 0 });
    expect(ds.sampleShape).toEqual([1, 4, 4]);
    expect(Math.round(ds.train.get(1).x[3]! * 255)).toBe(180); // alpha is dropped, colour kept
  });

  it('reports a corrupt or foreign image by file', () => {
    const bad = join(root, 'bad');
    writeFolder(bad);
    const png = join(bad, 'cat', 'img1.png');
    writeFileSync(png, readFileSync(png).subarray(0, 40));
    const ds = loadImageFolder(bad, { testFraction: 0 });
    expect(() => ds.train.get(2)).toThrow(new RegExp(`${png}: corrupt PNG \\(`));
    writeFileSync(png, 'hello');
    expect(() => loadImageFolder(bad, { testFraction: 0 }).train.get(2)).toThrow(`${png}: at byte 0: neither a PNG nor a JPEG file (starts with 68 65 6c 6c)`);
  });

  it('refuses a folder without class sub-folders', () => {
    const flat = join(root, 'flat');
    writeFile(join(flat, 'a.png'), pngBytes(2, 2, rgba(2, 2, () => [0, 0, 0, 255])));
    expect(() => loadImageFolder(flat)).toThrow(`${flat}: no class sub-folders (expected one folder per class)`);
  });
});
