/**
 * numpy's `.npy` array format (versions 1–3), for plain numeric arrays:
 * `\x93NUMPY`, major and minor version bytes, the header length (u16 in v1, u32 in v2/v3), a
 * Python-dict header `{'descr': '<i8', 'fortran_order': False, 'shape': (n,), }`, then the data.
 */
import { ByteReader } from './byte-reader.js';

export type NpyData = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | BigUint64Array | BigInt64Array | Float32Array | Float64Array;

export interface NpyArray {
  /** Kind and size without byte order: 'b1', 'u1', 'i8', 'f4', …. */
  dtype: string;
  shape: number[];
  /** Row-major data in the platform's byte order; bool arrays as 0/1 bytes. */
  data: NpyData;
}

const TYPED: Record<string, new (buffer: ArrayBuffer) => NpyData> = {
  b1: Uint8Array,
  u1: Uint8Array,
  i1: Int8Array,
  u2: Uint16Array,
  i2: Int16Array,
  u4: Uint32Array,
  i4: Int32Array,
  u8: BigUint64Array,
  i8: BigInt64Array,
  f4: Float32Array,
  f8: Float64Array,
};

export function parseNpy(file: string, bytes: Uint8Array): NpyArray {
  const npy = new ByteReader(file, bytes);
  const magic = npy.slice(0, 6, '.npy magic');
  if (magic[0] !== 0x93 || String.fromCharCode(...magic.subarray(1)) !== 'NUMPY') throw npy.fail(0, 'bad magic: not a .npy array (expected \\x93NUMPY)');
  const major = npy.u8(6, '.npy version');
  if (major < 1 || major > 3) throw npy.fail(6, `unsupported .npy version ${major}`);
  const headerLength = major === 1 ? npy.u16le(8, '.npy header length') : npy.u32le(8, '.npy header length');
  const headerAt = major === 1 ? 10 : 12;
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(npy.slice(headerAt, headerLength, '.npy header'));

  const descr = /'descr'\s*:\s*'([<>|=]?)([a-z])(\d+)'/.exec(header);
  if (!descr) throw npy.fail(headerAt, `unsupported or missing 'descr' in header ${header.trim()} (only plain numeric dtypes are read)`);
  const [, order, kind, size] = descr as unknown as [string, string, string, string];
  const dtype = `${kind}${size}`;
  const Typed = TYPED[dtype];
  if (!Typed) throw npy.fail(headerAt, `unsupported dtype '${order}${dtype}'`);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shapeMatch) throw npy.fail(headerAt, `missing 'shape' in header ${header.trim()}`);
  const shape = shapeMatch[1]!.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw npy.fail(headerAt, `bad shape (${shapeMatch[1]})`);
  if (/'fortran_order'\s*:\s*True/.test(header) && shape.filter((d) => d > 1).length > 1) {
    throw npy.fail(headerAt, 'Fortran-ordered arrays are not supported; save with np.ascontiguousarray');
  }

  const itemSize = Number(size);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataAt = headerAt + headerLength;
  // Copying (the Uint8Array constructor copies, unlike Buffer#slice) gives an aligned buffer of
  // exactly the data, whatever the entry's offset in its zip archive.
  const buffer = new Uint8Array(npy.slice(dataAt, count * itemSize, `${count} items of '${order}${dtype}' after the ${dataAt}-byte header`)).buffer;
  if (order === '>' && itemSize > 1) swapBytes(new Uint8Array(buffer), itemSize);
  return { dtype, shape, data: new Typed(buffer) };
}

/** Any npy array as float64 numbers (int64 beyond 2^53 loses precision, as in `astype(float)`). */
export function npyToFloat64(arr: NpyArray): Float64Array {
  const out = new Float64Array(arr.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(arr.data[i]!);
  return out;
}

function swapBytes(bytes: Uint8Array, itemSize: number): void {
  for (let i = 0; i < bytes.length; i += itemSize) bytes.subarray(i, i + itemSize).reverse();
}
