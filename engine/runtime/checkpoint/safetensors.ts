/**
 * The safetensors format, written and read here without dependencies, so checkpoints open in
 * PyTorch, JAX and the Hugging Face tools as they are:
 *
 *   u64 little-endian N | N bytes of JSON header | data buffer
 *
 * The header maps each tensor name to `{dtype, shape, data_offsets: [begin, end]}` (offsets into the
 * data buffer) and may hold `__metadata__`, a string → string map. The writer pads the header with
 * spaces so the data starts 8-byte aligned and orders tensors by alignment then name, as the
 * reference implementation does. The reader checks everything the reference reader checks —
 * known dtype, sizes that match shapes, offsets that tile the buffer exactly — and names the file
 * and byte offset of any fault.
 */
import { endianness } from 'node:os';
import { CheckpointError } from './checkpoint-error.js';

export type SafetensorsDtype = 'F32' | 'F64' | 'I64';
export type TensorData = Float32Array | Float64Array | BigInt64Array;

export interface Tensor {
  shape: number[];
  data: TensorData;
}

export interface Safetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

const ITEM_SIZE: Record<SafetensorsDtype, number> = { F32: 4, F64: 8, I64: 8 };
const METADATA_KEY = '__metadata__';
/** The reference implementation's limit; a larger header means a corrupt length field. */
const MAX_HEADER = 100_000_000;

// Typed arrays use the host's byte order and the format is little-endian; every platform Node
// ships for is, but a silent byte swap would corrupt every weight, so refuse loudly.
if (endianness() !== 'LE') throw new Error('safetensors: this reader and writer require a little-endian host');

export function dtypeOf(data: TensorData): SafetensorsDtype {
  if (data instanceof Float32Array) return 'F32';
  if (data instanceof Float64Array) return 'F64';
  return 'I64';
}

export function encodeSafetensors(tensors: ReadonlyMap<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const named = [...tensors].map(([name, t]) => {
    if (name === '' || name === METADATA_KEY) throw new RangeError(`safetensors: invalid tensor name "${name}"`);
    const numel = t.shape.reduce((a, b) => a * b, 1);
    if (!t.shape.every((d) => Number.isInteger(d) && d >= 0) || numel !== t.data.length) {
      throw new RangeError(`safetensors: tensor "${name}" has ${t.data.length} values but shape [${t.shape.join(', ')}]`);
    }
    return { name, tensor: t, dtype: dtypeOf(t.data) };
  });
  // Larger items first keeps every tensor naturally aligned in a buffer that starts 8-byte aligned.
  named.sort((a, b) => ITEM_SIZE[b.dtype] - ITEM_SIZE[a.dtype] || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  let end = 0;
  for (const { name, tensor, dtype } of named) {
    const begin = end;
    end += tensor.data.byteLength;
    header[name] = { dtype, shape: tensor.shape, data_offsets: [begin, end] };
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = new Uint8Array(Math.ceil((8 + json.length) / 8) * 8 - 8).fill(0x20); // space padding
  headerBytes.set(json);

  const out = new Uint8Array(8 + headerBytes.length + end);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const { tensor } of named) {
    out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength), at);
    at += tensor.data.byteLength;
  }
  return out;
}

export function decodeSafetensors(file: string, bytes: Uint8Array): Safetensors {
  if (bytes.length < 8) throw CheckpointError.truncated(file, bytes.length, 8, 'the u64 header length');
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) throw CheckpointError.at(file, 0, `header length ${n} exceeds the ${MAX_HEADER}-byte limit: not a safetensors file, or a corrupt one`);
  const headerLength = Number(n);
  const dataStart = 8 + headerLength;
  if (dataStart > bytes.length) throw CheckpointError.truncated(file, bytes.length, dataStart, `a ${headerLength}-byte JSON header`);

  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart)));
  } catch (e) {
    throw CheckpointError.at(file, 8, `header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw CheckpointError.at(file, 8, 'header is not a JSON object');

  const metadata = readMetadata(file, (header as Record<string, unknown>)[METADATA_KEY]);
  const dataLength = bytes.length - dataStart;
  const entries = Object.entries(header)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, info]) => readEntry(file, name, info))
    .sort((a, b) => a.begin - b.begin);

  // The tensors must tile the data buffer: no gaps, no overlaps, nothing after the last one.
  let expected = 0;
  for (const e of entries) {
    if (e.begin !== expected) throw CheckpointError.at(file, dataStart + e.begin, `tensor "${e.name}" starts at data offset ${e.begin}, expected ${expected} (gap or overlap)`);
    expected = e.end;
  }
  if (expected > dataLength) {
    const last = entries[entries.length - 1]!;
    throw CheckpointError.truncated(file, bytes.length, dataStart + expected, `data of tensor "${last.name}"`);
  }
  if (expected < dataLength) throw CheckpointError.at(file, dataStart + expected, `${dataLength - expected} unexpected bytes after the last tensor`);

  const tensors = new Map<string, Tensor>();
  for (const e of entries) {
    // A copy (not a view) so the tensor is aligned and does not pin the whole file in memory.
    const buffer = new Uint8Array(bytes.subarray(dataStart + e.begin, dataStart + e.end)).buffer;
    const data = e.dtype === 'F32' ? new Float32Array(buffer) : e.dtype === 'F64' ? new Float64Array(buffer) : new BigInt64Array(buffer);
    tensors.set(e.name, { shape: e.shape, data });
  }
  return { tensors, metadata };
}

interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function readEntry(file: string, name: string, info: unknown): Entry {
  const fail = (message: string) => CheckpointError.at(file, 8, `header entry "${name}": ${message}`);
  if (typeof info !== 'object' || info === null) throw fail('not an object');
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in ITEM_SIZE)) throw fail(`unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(ITEM_SIZE).join(', ')})`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw fail(`bad shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
    throw fail(`bad data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const numel = (shape as number[]).reduce((a, b) => a * b, 1);
  const itemSize = ITEM_SIZE[dtype as SafetensorsDtype];
  if (end - begin !== numel * itemSize) throw fail(`data_offsets span ${end - begin} bytes but ${dtype} shape [${shape.join(', ')}] needs ${numel * itemSize}`);
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end };
}

function readMetadata(file: string, raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || !Object.values(raw).every((v) => typeof v === 'string')) {
    throw CheckpointError.at(file, 8, `${METADATA_KEY} must map strings to strings`);
  }
  return raw as Record<string, string>;
}
