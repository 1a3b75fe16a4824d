/** numpy `.npz` archives (`np.savez`, `np.savez_compressed`): a zip of `.npy` arrays, keyed by name without `.npy`. */
import { ByteReader } from './byte-reader.js';
import { parseNpy, type NpyArray } from './npy.js';
import { listZipEntries, readZipEntry } from './zip.js';

export function parseNpz(file: string, bytes: Uint8Array): Map<string, NpyArray> {
  const zip = new ByteReader(file, bytes);
  const arrays = new Map<string, NpyArray>();
  for (const entry of listZipEntries(zip)) {
    if (!entry.name.endsWith('.npy')) continue;
    // A fault inside an array is reported against the archive entry, which is what the user can open.
    arrays.set(entry.name.slice(0, -4), parseNpy(`${file}[${entry.name}]`, readZipEntry(zip, entry)));
  }
  return arrays;
}
