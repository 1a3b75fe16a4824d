/**
 * Run by batch-loader.test.ts as `tsx loader-script.ts`: proves the loader worker starts under plain
 * tsx (not only under vitest), that close() ends a worker, and that a loader left open does not keep
 * the process alive. Prints one JSON line: the SHA-256 of every batch of epoch 1 of each loader.
 */
import { createHash } from 'node:crypto';
import { BatchLoader } from '../../../../engine/runtime/data/batch-loader.js';
import { SCRIPT_LOADER } from './loader-options.js';

async function hashes(loader: BatchLoader): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of loader.epoch(1)) out.push(createHash('sha256').update(batch.x).update(batch.y).digest('hex'));
  return out;
}

const closed = await BatchLoader.open(SCRIPT_LOADER);
const first = await hashes(closed);
await closed.close();
const leftOpen = await BatchLoader.open(SCRIPT_LOADER);
const second = await hashes(leftOpen);
console.log(JSON.stringify({ first, second }));
