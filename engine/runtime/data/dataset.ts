/**
 * The one shape every data source takes: a named list of classes, a fixed sample shape and two
 * splits that hand out float32 samples by index. Loaders (digits, IDX, CIFAR, image folders, event
 * streams) produce it; the batch loader and its worker consume it without knowing the source.
 */
export type DatasetKind = 'image' | 'events';

export interface Sample {
  /** Raw sample, float32, laid out as `sampleShape` (images scaled to [0, 1], event frames as counts). */
  x: Float32Array;
  /** Class index into `Dataset.classes`. */
  y: number;
}

export interface Split {
  readonly length: number;
  get(i: number): Sample;
}

export interface Dataset {
  readonly name: string;
  readonly classes: readonly string[];
  /** `[C, H, W]` for images, `[T, 2, H, W]` for event frames (T frames, 2 polarities). */
  readonly sampleShape: readonly number[];
  readonly kind: DatasetKind;
  readonly train: Split;
  readonly test: Split;
}

/**
 * A data file (or directory) that cannot be read as promised. The message always starts with the
 * file and, where the fault sits at a place in the file, the byte offset, so the user can find it:
 * `train-images-idx3-ubyte: truncated at byte 7840016: expected 47040016 bytes (…)`.
 */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';

  constructor(
    readonly file: string,
    message: string,
    /** Byte offset of the fault in the file (in the decompressed stream for .gz files), where there is one. */
    readonly offset?: number,
  ) {
    super(`${file}: ${message}`);
  }

  /** The file ends before `expected` bytes; `what` says what those bytes were meant to hold. */
  static truncated(file: string, actualLength: number, expected: number, what: string): DatasetError {
    return new DatasetError(file, `truncated at byte ${actualLength}: expected ${expected} bytes (${what})`, actualLength);
  }
}

export function sampleSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Bounds check shared by every split: a wrong index is a caller bug, so it throws a RangeError, not a DatasetError. */
export function checkIndex(split: string, i: number, length: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= length) throw new RangeError(`${split}: sample index ${i} out of range [0, ${length})`);
}
