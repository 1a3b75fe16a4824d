/**
 * A `torch.save` file (the zip format PyTorch writes since 1.6: `<name>/data.pkl`, one
 * `<name>/data/<key>` entry per storage) as tensors by name, read without Python: the zip's
 * stored entries, the restricted unpickler (pickle.ts), and each tensor gathered from its storage
 * by offset and strides into float32. A checkpoint that wraps its state_dict (`{"model": …,
 * "epoch": …}`) is opened at the wrapped dict, which is named in the result.
 */
import { decodeUtf8, PickleError, PyDict, TensorRef, unpickle, type PyValue, type StorageDtype } from './pickle.js';

export interface ForeignTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  readonly dtype: StorageDtype;
}

export interface TorchStateDict {
  readonly tensors: Map<string, ForeignTensor>;
  /** The key of the wrapping dict the state_dict was found under (`model`, `state_dict`, …), if any. */
  readonly under?: string;
}

export class TorchFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'TorchFileError';
  }
}

const WRAPPERS = ['state_dict', 'model', 'model_state_dict', 'module', 'net', 'ema'];

export function readTorchFile(file: string, bytes: Uint8Array): TorchStateDict {
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    // the pre-1.6 format starts with a pickled magic number (protocol 2: 0x80 0x02)
    if (bytes[0] === 0x80) throw new TorchFileError(file, 'is a legacy (pre-1.6) torch.save file; re-save it with a current PyTorch (torch.save(torch.load(f), f))');
    throw new TorchFileError(file, 'is not a PyTorch file (no zip archive): torch.save writes a zip with data.pkl inside');
  }
  const entries = zipEntries(file, bytes);
  const pkl = [...entries.keys()].find((n) => /^[^/]+\/data\.pkl$/.test(n) || n === 'data.pkl');
  if (!pkl) throw new TorchFileError(file, 'is a zip without data.pkl: not a torch.save file');
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const order = entries.get(`${prefix}byteorder`);
  if (order && decodeUtf8(order.data()) !== 'little') throw new TorchFileError(file, 'stores big-endian tensors, which this reader does not convert');
  let root: PyValue;
  try {
    root = unpickle(file, pkl ? entries.get(pkl)!.data() : new Uint8Array());
  } catch (e) {
    if (e instanceof PickleError) throw new TorchFileError(file, e.message.slice(file.length + 2));
    throw e;
  }
  const { dict, under } = stateDictOf(file, root);
  const tensors = new Map<string, ForeignTensor>();
  for (const [name, v] of dict.entries) {
    if (typeof name !== 'string') throw new TorchFileError(file, `a state_dict key is the number ${name}, not a name`);
    if (!(v instanceof TensorRef)) throw new TorchFileError(file, `"${name}" is a ${v === null ? 'None' : typeof v === 'object' ? v.constructor.name : typeof v}, not a tensor`);
    const entry = entries.get(`${prefix}data/${v.storage.key}`);
    if (!entry) throw new TorchFileError(file, `"${name}": its storage data/${v.storage.key} is missing (truncated file?)`);
    tensors.set(name, gather(file, name, v, entry.data()));
  }
  return { tensors, ...(under === undefined ? {} : { under }) };
}

function stateDictOf(file: string, root: PyValue): { dict: PyDict; under?: string } {
  if (!(root instanceof PyDict)) throw new TorchFileError(file, 'does not hold a dict of tensors (a state_dict)');
  const values = [...root.entries.values()];
  if (values.length > 0 && values.every((v) => v instanceof TensorRef)) return { dict: root };
  for (const k of WRAPPERS) {
    const inner = root.entries.get(k);
    if (inner instanceof PyDict && [...inner.entries.values()].every((v) => v instanceof TensorRef)) return { dict: inner, under: k };
  }
  throw new TorchFileError(file, `holds a dict whose values are not all tensors and none of ${WRAPPERS.join(', ')} is a state_dict (keys: ${[...root.entries.keys()].slice(0, 10).join(', ')})`);
}

const ITEM: Readonly<Record<StorageDtype, number>> = { float32: 4, float64: 8, float16: 2, bfloat16: 2, int64: 8, int32: 4, int16: 2, int8: 1, uint8: 1, bool: 1 };

function gather(file: string, name: string, t: TensorRef, raw: Uint8Array): ForeignTensor {
  const size = ITEM[t.storage.dtype];
  if (raw.length < t.storage.numel * size) throw new TorchFileError(file, `"${name}": its storage holds ${raw.length} bytes, ${t.storage.numel * size} expected (truncated file?)`);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const read = (i: number): number => {
    const o = i * size;
    switch (t.storage.dtype) {
      case 'float32':
        return view.getFloat32(o, true);
      case 'float64':
        return view.getFloat64(o, true);
      case 'float16':
        return half(view.getUint16(o, true));
      case 'bfloat16':
        return new Float32Array(new Uint32Array([view.getUint16(o, true) << 16]).buffer)[0]!;
      case 'int64':
        return Number(view.getBigInt64(o, true));
      case 'int32':
        return view.getInt32(o, true);
      case 'int16':
        return view.getInt16(o, true);
      case 'int8':
        return view.getInt8(o);
      case 'uint8':
      case 'bool':
        return view.getUint8(o);
    }
  };
  const n = t.shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  const idx = new Array<number>(t.shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let at = t.offset;
    for (let d = 0; d < idx.length; d++) at += idx[d]! * t.stride[d]!;
    if (at < 0 || at >= t.storage.numel) throw new TorchFileError(file, `"${name}": element ${k} lies outside its storage`);
    data[k] = read(at);
    for (let d = idx.length - 1; d >= 0; d--) {
      if (++idx[d]! < t.shape[d]!) break;
      idx[d] = 0;
    }
  }
  return { shape: t.shape, data, dtype: t.storage.dtype };
}

function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

interface ZipEntry {
  data(): Uint8Array;
}

/** The stored (uncompressed) entries of a zip, by name: what torch.save writes. */
function zipEntries(file: string, bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (m: string): never => {
    throw new TorchFileError(file, `${m} (truncated or damaged file?)`);
  };
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) bad('has no zip directory at its end');
  let count = view.getUint16(eocd + 10, true);
  let cd = view.getUint32(eocd + 16, true);
  if (cd === 0xffffffff || count === 0xffff) {
    // zip64: the locator sits just before the end record
    const loc = eocd - 20;
    if (loc < 0 || view.getUint32(loc, true) !== 0x07064b50) bad('has a zip64 directory without its locator');
    const rec = Number(view.getBigUint64(loc + 8, true));
    if (rec + 56 > bytes.length || view.getUint32(rec, true) !== 0x06064b50) bad('has a damaged zip64 directory');
    count = Number(view.getBigUint64(rec + 32, true));
    cd = Number(view.getBigUint64(rec + 48, true));
  }
  const out = new Map<string, ZipEntry>();
  let at = cd;
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) bad(`has a damaged zip directory entry ${k}`);
    const method = view.getUint16(at + 10, true);
    let size = view.getUint32(at + 24, true);
    let local = view.getUint32(at + 42, true);
    const n = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    let name: string;
    try {
      name = decodeUtf8(bytes.subarray(at + 46, at + 46 + n));
    } catch {
      return bad(`has a zip entry ${k} whose name is not UTF-8`);
    }
    // zip64 extra field: the 64-bit sizes and offset, for the fields that read 0xffffffff
    for (let e = at + 46 + n; e + 4 <= at + 46 + n + extra; ) {
      const id = view.getUint16(e, true);
      const len = view.getUint16(e + 2, true);
      if (id === 0x0001) {
        let p = e + 4;
        if (size === 0xffffffff) {
          size = Number(view.getBigUint64(p, true));
          p += 8;
        }
        if (view.getUint32(at + 20, true) === 0xffffffff) p += 8;
        if (local === 0xffffffff) local = Number(view.getBigUint64(p, true));
      }
      e += 4 + len;
    }
    at += 46 + n + extra + comment;
    const entryName = name;
    out.set(entryName, {
      data: () => {
        if (method !== 0) throw new TorchFileError(file, `entry ${entryName} is compressed (method ${method}); torch.save stores entries uncompressed`);
        if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) bad(`has a damaged entry ${entryName}`);
        const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
        if (start + size > bytes.length) bad(`entry ${entryName} runs past the end of the file`);
        return bytes.subarray(start, start + size);
      },
    });
  }
  return out;
}
