// A child process that runs one loader on one hostile file and reports the error it gave and its
// own peak resident memory (VmHWM, which belongs to this address space, unlike ru_maxrss).
import { readFileSync } from 'node:fs';
import { readEventFile } from '../../../engine/runtime/data/event-file.js';
import { loadIdxDataset } from '../../../engine/runtime/data/idx.js';
import { decodeImage } from '../../../engine/runtime/data/image-decode.js';
import { peakRssMb } from '../../../bench/memory.js';

const [kind, path] = process.argv.slice(2) as [string, string];
const loaders: Record<string, () => unknown> = {
  idx: () => loadIdxDataset(path),
  events: () => readEventFile(path),
  image: () => decodeImage(path, readFileSync(path)),
};
let error: string | null = null;
try {
  loaders[kind]!();
} catch (e) {
  error = `${(e as Error).name}: ${(e as Error).message}`;
}
process.stdout.write(JSON.stringify({ error, peakMb: peakRssMb() }));
