import { describe, expect, it } from 'vitest';
import { skipping } from '../../helpers/skip.js';
import { DatasetError } from '../../../engine/runtime/data/dataset.js';
import { npyToFloat64, parseNpy } from '../../../engine/runtime/data/npy.js';
import { parseNpz } from '../../../engine/runtime/data/npz.js';
import { npyBytes, pythonHas, runPython, zipBytes } from './fixtures.js';

describe('.npy arrays', () => {
  it.each([
    ['<f8', [1.5, -2.25, 1e300], Float64Array],
    ['<f4', [0.5, -3, 7], Float32Array],
    ['<i8', [0, -5, 2 ** 40], BigInt64Array],
    ['<i4', [-7, 8, 2 ** 30], Int32Array],
    ['<i2', [-300, 12, 5], Int16Array],
    ['<u2', [65535, 0, 3], Uint16Array],
    ['|u1', [255, 1, 0], Uint8Array],
    ['|b1', [1, 0, 1], Uint8Array],
    ['>i4', [-1, 65536, 3], Int32Array],
  ] as const)('reads %s', (descr, values, Typed) => {
    const arr = parseNpy('a.npy', npyBytes(descr, values));
    expect(arr.shape).toEqual([3]);
    expect(arr.data).toBeInstanceOf(Typed);
    expect(Array.from(npyToFloat64(arr))).toEqual([...values]);
  });

  it('reads multi-dimensional shapes and refuses structured dtypes and a bad magic', () => {
    expect(parseNpy('m.npy', npyBytes('<i4', [1, 2, 3, 4, 5, 6], [2, 3])).shape).toEqual([2, 3]);
    const structured = npyBytes('<i4', [1]);
    const text = new TextDecoder('latin1').decode(structured).replace("'descr': '<i4'", "'descr': [('a', '<i4')]".padEnd(14));
    expect(() => parseNpy('s.npy', Uint8Array.from(text, (c) => c.charCodeAt(0)))).toThrow(/s\.npy: at byte 10: unsupported or missing 'descr'/);
    expect(() => parseNpy('b.npy', new Uint8Array(20))).toThrow('b.npy: at byte 0: bad magic: not a .npy array (expected \\x93NUMPY)');
  });

  it('names the offset of a truncated array', () => {
    const bytes = npyBytes('<i8', [1, 2, 3]);
    expect(bytes.length).toBe(128 + 24);
    expect(() => parseNpy('t.npy', bytes.subarray(0, 148))).toThrow(`t.npy: truncated at byte 148: expected 152 bytes (3 items of '<i8' after the 128-byte header)`);
  });
});

describe('.npz archives', () => {
  const a = npyBytes('<f8', [1, 2, 3]);
  const b = npyBytes('<i4', [4, 5]);

  it.each([false, true])('reads stored and deflated entries (deflate: %s)', (deflate) => {
    const arrays = parseNpz('x.npz', zipBytes([{ name: 'a.npy', data: a, deflate }, { name: 'b.npy', data: b, deflate }]));
    expect([...arrays.keys()]).toEqual(['a', 'b']);
    expect(Array.from(npyToFloat64(arrays.get('a')!))).toEqual([1, 2, 3]);
    expect(Array.from(npyToFloat64(arrays.get('b')!))).toEqual([4, 5]);
  });

  it('detects a damaged entry by its CRC', () => {
    const zip = zipBytes([{ name: 'a.npy', data: a }]);
    zip[30 + 5 + 70]! ^= 0xff; // a data byte of the stored array
    expect(() => parseNpz('c.npz', zip)).toThrow(/c\.npz: at byte 35: entry "a\.npy" fails its CRC-32 check/);
  });

  it('detects corrupt deflate data', () => {
    const zip = zipBytes([{ name: 'a.npy', data: a, deflate: true }]);
    zip.fill(0xff, 35, 45);
    expect(() => parseNpz('d.npz', zip)).toThrow(/d\.npz: at byte 35: entry "a\.npy": (corrupt deflate data|.*CRC-32|holds)/);
  });

  it('reports a truncated archive and a non-zip file', () => {
    const zip = zipBytes([{ name: 'a.npy', data: a }]);
    expect(() => parseNpz('t.npz', zip.subarray(0, 100))).toThrow(/t\.npz: at byte 78: not a zip archive: no end-of-central-directory record/);
    // Central directory intact but pointing past a cut: keep the end record, drop the middle.
    const cut = new Uint8Array([...zip.subarray(0, 50), ...zip.subarray(zip.length - 22 - 51)]);
    expect(() => parseNpz('m.npz', cut)).toThrow(DatasetError);
  });

  it('reports a bad array inside an archive by archive and entry', () => {
    const zip = zipBytes([{ name: 'a.npy', data: new Uint8Array(12) }]);
    expect(() => parseNpz('e.npz', zip)).toThrow('e.npz[a.npy]: at byte 0: bad magic');
  });

  const numpy = pythonHas('numpy');
  it.skipIf(skipping('npz: reads archives written by numpy itself', numpy.ok ? null : numpy.reason))('reads archives written by numpy itself (np.savez and np.savez_compressed, ZIP64 local headers)', () => {
    const hex = runPython(`
import io, numpy as np
out = []
for save in (np.savez, np.savez_compressed):
    buf = io.BytesIO()
    save(buf, x=np.arange(5, dtype=np.uint16), t=np.array([1, 2, 3], dtype=np.int64) * 10**12, p=np.array([True, False]), f=np.linspace(0, 1, 4, dtype=np.float32).reshape(2, 2))
    out.append(buf.getvalue().hex())
print('\\n'.join(out))`);
    for (const line of hex.trim().split('\n')) {
      const arrays = parseNpz('numpy.npz', Buffer.from(line, 'hex'));
      expect(Array.from(npyToFloat64(arrays.get('x')!))).toEqual([0, 1, 2, 3, 4]);
      expect(Array.from(npyToFloat64(arrays.get('t')!))).toEqual([1e12, 2e12, 3e12]);
      expect(Array.from(arrays.get('p')!.data as Uint8Array)).toEqual([1, 0]);
      expect(arrays.get('f')!.shape).toEqual([2, 2]);
      expect(Array.from(arrays.get('f')!.data as Float32Array)).toEqual([0, Math.fround(1 / 3), Math.fround(2 / 3), 1]);
    }
  });
});
