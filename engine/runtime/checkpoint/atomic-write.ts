/**
 * Crash-safe file replacement: the data goes to a temporary file in the same directory, is fsynced,
 * and is renamed over the target (a rename within a directory is atomic on POSIX and NTFS), then the
 * directory is fsynced so the rename itself survives a power cut. A reader sees the old file or the
 * new one, never a mix; a crash leaves at most a stray temporary file, which `isTempFile` recognises
 * and the next write of the same file removes.
 */
import { writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { removeStaleTemps } from './stale-temps.js';

let counter = 0;

/**
 * Test-only crash point (test/runtime/checkpoint/checkpoint.test.ts): with
 * SNN_TEST_CRASH_AT=<file name>:written or :renamed, the process SIGKILLs itself once that file's
 * temporary copy is written and synced, or once it is renamed into place, so the crash test knows
 * where the kill landed instead of hoping a timer hits a save. Unset, nothing happens.
 */
const CRASH_AT = process.env.SNN_TEST_CRASH_AT;

function crashPoint(path: string, point: 'written' | 'renamed'): void {
  if (CRASH_AT !== `${basename(path)}:${point}`) return;
  writeSync(1, `crash at ${CRASH_AT}\n`);
  process.kill(process.pid, 'SIGKILL');
}

export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const dir = dirname(path);
  // pid + counter is unique among concurrent writers without any randomness; the leading dot keeps
  // the temp file out of listings that look for `*.json` or `*.safetensors`.
  const temp = join(dir, `.${basename(path)}.tmp-${process.pid}-${counter++}`);
  await removeStaleTemps(dir, basename(path));
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    crashPoint(path, 'written');
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  crashPoint(path, 'renamed');
  await syncDirectory(dir);
}

/** Whether a file name is one of writeFileAtomic's temporary files (left behind only by a crash). */
export function isTempFile(name: string): boolean {
  return /^\..+\.tmp-\d+-\d+$/.test(name);
}

async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  } finally {
    await handle?.close();
  }
}
