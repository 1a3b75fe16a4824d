/**
 * Reading a user-named file whole, within bounds: only a regular file is read (a FIFO blocks
 * forever, `/dev/zero` never ends, a directory is not data), and only up to a stated size, checked
 * from fstat before anything is allocated. The file is opened non-blocking so that opening a FIFO
 * returns at once instead of waiting for a writer.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants as bufferConstants } from 'node:buffer';

/** A file that could not be read: the OS said no (`code` is its errno name), or it is not a regular file, or too large. */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';

  constructor(
    readonly file: string,
    /** errno name (ENOENT, EACCES, …), `ENOTREG` (not a regular file) or `EFBIG` (over the limit). */
    readonly code: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** The largest Buffer this Node can allocate; no limit may exceed it. */
export const MAX_READ_BYTES = bufferConstants.MAX_LENGTH;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** `what` names the file's role in errors ("checkpoint json", "image"). */
export function readRegularFileSync(path: string, maxBytes: number, what = 'file'): Buffer {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (e) {
    throw osError(path, what, e);
  }
  try {
    const size = checkedSize(path, what, fstatSync(fd), maxBytes);
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    // a file that shrinks while read ends early; one that grows is read to its size at open
    while (at < size) {
      const n = readSync(fd, out, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === size ? out : out.subarray(0, at);
  } catch (e) {
    throw e instanceof FileReadError ? e : osError(path, what, e);
  } finally {
    closeSync(fd);
  }
}

export async function readRegularFile(path: string, maxBytes: number, what = 'file'): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (e) {
    throw osError(path, what, e);
  }
  try {
    const size = checkedSize(path, what, await handle.stat(), maxBytes);
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(out, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === size ? out : out.subarray(0, at);
  } catch (e) {
    throw e instanceof FileReadError ? e : osError(path, what, e);
  } finally {
    await handle.close();
  }
}

/** `64 MiB`, `1.5 GiB`: limits as a person reads them. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

function checkedSize(path: string, what: string, st: { isFile(): boolean; isDirectory(): boolean; size: number }, maxBytes: number): number {
  if (!st.isFile()) {
    const kind = st.isDirectory() ? 'a directory' : 'not a regular file (a FIFO, socket or device)';
    throw new FileReadError(path, 'ENOTREG', `is ${kind}; only a regular file is read (${what})`);
  }
  const limit = Math.min(maxBytes, MAX_READ_BYTES);
  if (st.size > limit) throw new FileReadError(path, 'EFBIG', `is ${formatBytes(st.size)}; the limit is ${formatBytes(limit)} (${what})`);
  return st.size;
}

function osError(path: string, what: string, e: unknown): FileReadError {
  const code = (e as NodeJS.ErrnoException)?.code ?? 'EIO';
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : ((e as Error)?.message ?? String(e));
  return new FileReadError(path, code, `cannot read ${what}: ${reason} (${code})`);
}
