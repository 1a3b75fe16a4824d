/**
 * Temporary files that a killed writer left behind (`.epoch-0002.safetensors.tmp-<pid>-<n>`): the
 * next save into the same folder removes them, so interrupted runs do not pile up half-written
 * tensors. A temp file whose writer is still alive — this process, or another one saving into the
 * same folder right now — is left alone.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

const TEMP = /^\..+\.tmp-(\d+)-\d+$/;

/**
 * Removes `dir`'s temp files whose writing process is gone — all of them, or only those of the
 * file named `target` — and returns their names.
 */
export async function removeStaleTemps(dir: string, target?: string, alive: (pid: number) => boolean = processAlive): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return []; // no folder yet: nothing stale
  }
  const stale = names.filter((n) => {
    const m = TEMP.exec(n);
    return m !== null && (target === undefined || n.startsWith(`.${target}.tmp-`)) && !alive(Number(m[1]));
  });
  await Promise.all(stale.map((n) => rm(join(dir, n), { force: true })));
  return stale;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
