/**
 * Reading a data file whole, gunzipping `.gz` files on the way (MNIST-style datasets ship gzipped).
 * Offsets reported later by a parser refer to the decompressed bytes.
 */
import { readFileSync } from 'node:fs';
import { constants, gunzipSync } from 'node:zlib';
import { DatasetError } from './dataset.js';

export function readDataFile(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new DatasetError(path, `cannot read: ${(e as Error).message}`);
  }
  return path.endsWith('.gz') ? gunzip(path, raw) : raw;
}

function gunzip(path: string, raw: Buffer): Uint8Array {
  try {
    return gunzipSync(raw);
  } catch (e) {
    // zlib does not say where it stopped; decompressing again with a sync flush recovers how far the
    // stream was good, which is the offset the user needs to judge a truncated download.
    let good = 0;
    try {
      good = gunzipSync(raw, { finishFlush: constants.Z_SYNC_FLUSH }).length;
    } catch {
      good = 0;
    }
    throw new DatasetError(
      path,
      `corrupt or truncated gzip stream (${(e as Error).message}): the ${raw.length}-byte file decompresses to ${good} good bytes, then fails`,
      good,
    );
  }
}
