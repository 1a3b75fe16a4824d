/**
 * Reading a data file whole, gunzipping `.gz` files on the way (MNIST-style datasets ship gzipped).
 * Offsets reported later by a parser refer to the decompressed bytes.
 *
 * Bounded: only regular files up to MAX_DATA_FILE_BYTES are read, and a gzip stream is inflated
 * only as far as its format's header says it holds (`declaredSize`, read from the first inflated
 * bytes), so a 1 MB file that inflates to gigabytes is refused at the size it promised.
 */
import { constants, gunzipSync } from 'node:zlib';
import { formatBytes, MAX_READ_BYTES, readRegularFileSync } from '../read-regular.js';
import { DatasetError } from './dataset.js';

/** One data file, compressed or not (CIFAR-100's train.bin is 150 MB, EMNIST's images 700 MB). */
export const MAX_DATA_FILE_BYTES = 2 * 1024 ** 3;

/**
 * From the first inflated bytes of a `.gz` file, how many bytes the whole inflated file should
 * hold (header included); throws a DatasetError when the header is wrong or states too much.
 */
export type DeclaredSize = (head: Uint8Array) => number;

/** How many inflated bytes `declaredSize` gets to see. */
export const HEAD_BYTES = 64;

export function readDataFile(path: string, declaredSize?: DeclaredSize): Uint8Array {
  let raw: Buffer;
  try {
    raw = readRegularFileSync(path, MAX_DATA_FILE_BYTES, 'data file');
  } catch (e) {
    throw Object.assign(new DatasetError(path, `cannot read: ${(e as Error).message.replace(`${path}: `, '')}`), { cause: e });
  }
  return path.endsWith('.gz') ? gunzip(path, raw, declaredSize) : raw;
}

function gunzip(path: string, raw: Buffer, declaredSize: DeclaredSize | undefined): Uint8Array {
  const head = declaredSize ? inflatedHead(raw) : new Uint8Array(0);
  const declared = declaredSize !== undefined && head.length > 0;
  const limit = declared ? declaredSize(head) : Math.min(MAX_DATA_FILE_BYTES, MAX_READ_BYTES);
  if (limit > MAX_DATA_FILE_BYTES) throw new DatasetError(path, `its header declares ${formatBytes(limit)} of data; the limit is ${formatBytes(MAX_DATA_FILE_BYTES)} per file`, 0);
  let out: Buffer;
  try {
    // one byte more than allowed tells "exactly the size" from "more than it should be"
    out = gunzipSync(raw, { maxOutputLength: limit + 1 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      const what = declared ? `the ${limit} bytes its header declares` : `the ${formatBytes(limit)} limit per file`;
      throw new DatasetError(path, `inflates to more than ${what}: a damaged file or a decompression bomb`, limit);
    }
    // zlib does not say where it stopped; decompressing again with a sync flush recovers how far the
    // stream was good, which is the offset the user needs to judge a truncated download.
    let good = 0;
    try {
      good = gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: limit + 1 }).length;
    } catch {
      good = 0;
    }
    throw new DatasetError(
      path,
      `corrupt or truncated gzip stream (${(e as Error).message}): the ${raw.length}-byte file decompresses to ${good} good bytes, then fails`,
      good,
    );
  }
  if (declared && out.length > limit) throw new DatasetError(path, `inflates to more than the ${limit} bytes its header declares`, limit);
  return out;
}

/** The first inflated bytes, from a prefix of the compressed stream (a few KB inflate to at most a few MB). */
function inflatedHead(raw: Buffer): Uint8Array {
  try {
    return gunzipSync(raw.subarray(0, 4096), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 8 * 1024 ** 2 }).subarray(0, HEAD_BYTES);
  } catch {
    return new Uint8Array(0); // the full inflate below reports the damage with its offset
  }
}
