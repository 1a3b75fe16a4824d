/**
 * Writers for the file formats the data loaders read, so tests build real files byte by byte
 * (IDX, CIFAR records, .npy, .npz as stored or deflated zip entries, PNG, JPEG) instead of mocking.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll } from 'vitest';

/** A fresh temp directory, removed after the test file. */
export function tempDir(prefix = 'snn-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function writeFile(path: string, bytes: Uint8Array | string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

/** An unsigned-byte IDX file. */
export function idxBytes(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

/** Writes a full IDX dataset (train + t10k) of h×w images whose pixel j of image i is (i * 7 + j) % 256. */
export function writeIdxDataset(dir: string, opts: { train: number[]; test: number[]; h?: number; w?: number; gzip?: boolean }): void {
  const h = opts.h ?? 4;
  const w = opts.w ?? 3;
  const put = (name: string, bytes: Uint8Array) => writeFile(join(dir, opts.gzip ? `${name}.gz` : name), opts.gzip ? gzipSync(bytes) : bytes);
  for (const [prefix, labels] of [['train', opts.train], ['t10k', opts.test]] as const) {
    put(`${prefix}-images-idx3-ubyte`, idxBytes([labels.length, h, w], patternPixels(labels.length, h * w)));
    put(`${prefix}-labels-idx1-ubyte`, idxBytes([labels.length], Uint8Array.from(labels)));
  }
}

export function patternPixels(count: number, size: number): Uint8Array {
  return Uint8Array.from({ length: count * size }, (_, k) => (Math.floor(k / size) * 7 + (k % size)) % 256);
}

export type NpyDtype = '<f8' | '<f4' | '<i8' | '<i4' | '<u2' | '|u1' | '|b1' | '>i4' | '<i2';

/** A version-1 .npy file of a 1-D (or given-shape) array. */
export function npyBytes(descr: NpyDtype, values: ArrayLike<number>, shape: number[] = [values.length]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n'; // data starts 64-byte aligned, as numpy writes
  const size = Number(descr.slice(2));
  const data = new Uint8Array(values.length * size);
  const view = new DataView(data.buffer);
  const le = descr[0] !== '>';
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const at = i * size;
    switch (descr.slice(1)) {
      case 'f8': view.setFloat64(at, v, le); break;
      case 'f4': view.setFloat32(at, v, le); break;
      case 'i8': view.setBigInt64(at, BigInt(v), le); break;
      case 'i4': view.setInt32(at, v, le); break;
      case 'i2': view.setInt16(at, v, le); break;
      case 'u2': view.setUint16(at, v, le); break;
      default: data[at] = v;
    }
  }
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, ...Array.from('NUMPY', (c) => c.charCodeAt(0)), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Array.from(header, (c) => c.charCodeAt(0)), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** A zip archive (what np.savez writes), each entry stored or deflated. */
export function zipBytes(entries: { name: string; data: Uint8Array; deflate?: boolean }[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = new TextEncoder().encode(e.name);
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const crc = crc32(e.data) >>> 0;
    const local = new Uint8Array(30 + name.length + body.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, e.deflate ? 8 : 0, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, e.data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    local.set(body, 30 + name.length);
    const central = new Uint8Array(46 + name.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, e.deflate ? 8 : 0, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, e.data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const cdSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  return concat([...locals, ...centrals, end]);
}

export interface Events {
  x: number[];
  y: number[];
  t: number[];
  p: number[];
}

/** An event .npz with SpikingJelly's keys; `deflate` compresses the entries as np.savez_compressed does. */
export function eventNpz(ev: Events, deflate = false): Uint8Array {
  return zipBytes([
    { name: 't.npy', data: npyBytes('<i8', ev.t), deflate },
    { name: 'x.npy', data: npyBytes('<u2', ev.x), deflate },
    { name: 'y.npy', data: npyBytes('<u2', ev.y), deflate },
    { name: 'p.npy', data: npyBytes('|u1', ev.p), deflate },
  ]);
}

/** RGBA pixels → PNG bytes. */
export function pngBytes(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return PNG.sync.write(png);
}

export function jpegBytes(width: number, height: number, rgba: Uint8Array, quality = 100): Uint8Array {
  return jpeg.encode({ width, height, data: Buffer.from(rgba) }, quality).data;
}

/** width×height RGBA filled by `pixel(x, y)` → [r, g, b, a]. */
export function rgba(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out.set(pixel(x, y), 4 * (y * width + x));
  return out;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Whether /usr/bin/python3 can import `module` (numpy, torch); the reason to print when not. */
export function pythonHas(module: string): { ok: boolean; reason: string } {
  const r = spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? { ok: true, reason: '' } : { ok: false, reason: `python3 cannot import ${module}: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}` };
}

/** Runs a python script with stdin; returns stdout, throwing with stderr on failure. */
export function runPython(script: string, input?: string): string {
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8', input, timeout: 60_000 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return r.stdout;
}
