/**
 * An image dataset from a folder with one sub-folder per class holding PNG or JPEG files. Every
 * image is converted to a fixed channel count and resized to a fixed size, so images of mixed sizes
 * and colour types form one [C, H, W] dataset.
 *
 * Images are decoded lazily and the resized bytes are cached: opening a folder of 50k images costs
 * one decode (the first image, to settle defaults), and only the first epoch pays for decoding.
 */
import { basename } from 'node:path';
import { splitByClass, type SampleRef } from './class-split.js';
import { listClassFolders } from './class-folders.js';
import { checkIndex, type Dataset, type Split } from './dataset.js';
import { decodeImage } from './image-decode.js';
import { isGray, resizePlanes, toPlanes, type ResizeMode } from './image-transform.js';
import { readDataFile } from './read-file.js';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const;

export interface ImageFolderOptions {
  /** Output [H, W]; default: the size of the first image. */
  size?: readonly [number, number];
  /** Output channels; default: 1 when the first image is grey, else 3. */
  channels?: 1 | 3;
  /** Default 'bilinear'. */
  resize?: ResizeMode;
  /** Fraction of each class (the last files by name) held out for testing; default 0.15. */
  testFraction?: number;
  name?: string;
}

export function loadImageFolder(dir: string, opts: ImageFolderOptions = {}): Dataset {
  const { classes, files } = listClassFolders(dir, IMAGE_EXTENSIONS);
  const first = decodeImage(files[0]![0]!, readDataFile(files[0]![0]!));
  const [height, width] = opts.size ?? [first.height, first.width];
  if (![height, width].every((n) => Number.isInteger(n) && n >= 1)) throw new RangeError(`${dir}: image size must be two positive integers, got [${height}, ${width}]`);
  const channels = opts.channels ?? (isGray(first) ? 1 : 3);
  const mode = opts.resize ?? 'bilinear';

  const load = (file: string): Uint8Array => {
    const img = decodeImage(file, readDataFile(file));
    return resizePlanes(toPlanes(img, channels), channels, img.height, img.width, height, width, mode);
  };
  const cache = new Map<string, Uint8Array>();
  const cachedLoad = (file: string): Uint8Array => {
    let bytes = cache.get(file);
    if (!bytes) cache.set(file, (bytes = load(file)));
    return bytes;
  };

  const split = splitByClass(
    files.map((f) => f.length),
    opts.testFraction ?? 0.15,
  );
  const makeSplit = (name: string, refs: SampleRef[]): Split => ({
    length: refs.length,
    get(i) {
      checkIndex(name, i, refs.length);
      const { cls, index } = refs[i]!;
      const bytes = cachedLoad(files[cls]![index]!);
      const x = new Float32Array(bytes.length);
      for (let j = 0; j < bytes.length; j++) x[j] = bytes[j]! / 255;
      return { x, y: cls };
    },
  });
  const name = opts.name ?? basename(dir);
  return {
    name,
    classes,
    sampleShape: [channels, height, width],
    kind: 'image',
    train: makeSplit(`${name}/train`, split.train),
    test: makeSplit(`${name}/test`, split.test),
  };
}
