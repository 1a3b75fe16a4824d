/**
 * A split over images held as bytes (0..255) in one contiguous array, `size` bytes per image, the
 * form IDX, CIFAR and the digits package all reduce to. Keeping bytes (not float32) holds a 60k-image
 * dataset in a quarter of the memory; samples are scaled to [0, 1] on the way out.
 */
import { checkIndex, type Split } from './dataset.js';

export function byteImageSplit(
  name: string,
  pixels: Uint8Array,
  labels: ArrayLike<number>,
  size: number,
  /** Which stored image is sample i; omitted: sample i is image i. */
  order?: readonly number[],
): Split {
  const length = order ? order.length : labels.length;
  return {
    length,
    get(i) {
      checkIndex(name, i, length);
      const k = order ? order[i]! : i;
      const x = new Float32Array(size);
      const from = k * size;
      for (let j = 0; j < size; j++) x[j] = pixels[from + j]! / 255;
      return { x, y: labels[k]! };
    },
  };
}
