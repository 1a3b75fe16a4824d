import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { skipping } from '../../helpers/skip.js';
import { CheckpointError } from '../../../engine/runtime/checkpoint/checkpoint-error.js';
import { decodeSafetensors, encodeSafetensors, type Tensor } from '../../../engine/runtime/checkpoint/safetensors.js';
import { pythonHas, runPython, tempDir } from '../data/fixtures.js';

/** Float32 values that a careless writer would not keep bit for bit: NaN with a payload, -0, a denormal, ±Infinity. */
function awkwardFloats(): Float32Array {
  const bits = Uint32Array.from([0x7fc01234, 0x80000000, 0x00000001, 0x7f800000, 0xff800000, 0x3f800000]);
  return new Float32Array(bits.buffer);
}

function sample(): Map<string, Tensor> {
  return new Map<string, Tensor>([
    ['conv1.weight', { shape: [2, 3], data: awkwardFloats() }],
    ['bn1.running_mean', { shape: [3], data: Float32Array.from([0.1, -0.2, 0.3]) }],
    ['scalar', { shape: [], data: Float32Array.from([7]) }],
    ['empty', { shape: [0, 4], data: new Float32Array(0) }],
    ['step', { shape: [1], data: BigInt64Array.from([2n ** 62n + 5n]) }],
    ['lr_history', { shape: [2], data: Float64Array.from([1e-300, Math.PI]) }],
  ]);
}

/** A file from a hand-written header and `dataLength` zero bytes (for corruption cases). */
function rawFile(header: unknown, dataLength: number, headerText = JSON.stringify(header)): Uint8Array {
  const json = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + json.length + dataLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

function errorOf(f: () => unknown): CheckpointError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointError);
    return e as CheckpointError;
  }
  throw new Error('expected an error');
}

describe('safetensors', () => {
  it('round-trips F32, F64 and I64 bit for bit, with shapes and metadata', () => {
    const bytes = encodeSafetensors(sample(), { format: 'test', note: 'ünïcode' });
    const { tensors, metadata } = decodeSafetensors('a.safetensors', bytes);
    expect(metadata).toEqual({ format: 'test', note: 'ünïcode' });
    for (const [name, t] of sample()) {
      const back = tensors.get(name)!;
      expect(back.shape).toEqual(t.shape);
      expect(back.data.constructor).toBe(t.data.constructor);
      expect(Buffer.from(back.data.buffer, back.data.byteOffset, back.data.byteLength)).toEqual(Buffer.from(t.data.buffer));
    }
  });

  it('lays the file out as the reference writer does: space-padded header, 8-byte aligned data, large dtypes first', () => {
    const bytes = encodeSafetensors(sample());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text).toMatch(/} *$/);
    expect(text.length - text.trimEnd().length).toBeLessThan(8);
    const header = JSON.parse(text) as Record<string, { dtype: string; data_offsets: [number, number] }>;
    expect(header.lr_history!.data_offsets).toEqual([0, 16]);
    expect(header.step!.data_offsets).toEqual([16, 24]);
    expect(header.step!.dtype).toBe('I64');
    expect(header.bn1!).toBeUndefined();
    expect(header['bn1.running_mean']!.data_offsets).toEqual([24, 36]);
    expect('__metadata__' in header).toBe(false);
  });

  it('refuses tensors whose data does not match the shape', () => {
    expect(() => encodeSafetensors(new Map([['w', { shape: [2, 2], data: new Float32Array(3) }]]))).toThrow('safetensors: tensor "w" has 3 values but shape [2, 2]');
  });

  describe('corrupt files are reported with file and offset', () => {
    const good = encodeSafetensors(sample());
    const f = 'm.safetensors';

    it('shorter than the length field', () => {
      expect(errorOf(() => decodeSafetensors(f, good.subarray(0, 5))).message).toBe('m.safetensors: truncated at byte 5: expected 8 bytes (the u64 header length)');
    });

    it('header longer than the file, or absurdly long', () => {
      const n = Number(new DataView(good.buffer).getBigUint64(0, true));
      expect(errorOf(() => decodeSafetensors(f, good.subarray(0, 40))).message).toBe(`m.safetensors: truncated at byte 40: expected ${8 + n} bytes (a ${n}-byte JSON header)`);
      const huge = good.slice();
      new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
      expect(errorOf(() => decodeSafetensors(f, huge)).message).toMatch(/^m\.safetensors: at byte 0: header length 1099511627776 exceeds the 100000000-byte limit/);
    });

    it('truncated tensor data names the tensor', () => {
      const e = errorOf(() => decodeSafetensors(f, good.subarray(0, good.length - 10)));
      expect(e.message).toBe(`m.safetensors: truncated at byte ${good.length - 10}: expected ${good.length} bytes (data of tensor "scalar")`);
      expect(e.offset).toBe(good.length - 10);
    });

    it('header that is not JSON, or not an object', () => {
      expect(errorOf(() => decodeSafetensors(f, rawFile(null, 0, '{"a": ')))).toMatchObject({ offset: 8 });
      expect(errorOf(() => decodeSafetensors(f, rawFile(null, 0, '{"a": '))).message).toMatch(/^m\.safetensors: at byte 8: header is not valid JSON/);
      expect(errorOf(() => decodeSafetensors(f, rawFile([1], 0))).message).toBe('m.safetensors: at byte 8: header is not a JSON object');
    });

    it('unsupported dtype, bad shape, sizes that disagree', () => {
      const bf16 = rawFile({ w: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] } }, 4);
      expect(errorOf(() => decodeSafetensors(f, bf16)).message).toBe('m.safetensors: at byte 8: header entry "w": unsupported dtype "BF16" (supported: F32, F64, I64)');
      const shape = rawFile({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4);
      expect(errorOf(() => decodeSafetensors(f, shape)).message).toMatch(/header entry "w": bad shape \[-1\]/);
      const size = rawFile({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8);
      expect(errorOf(() => decodeSafetensors(f, size)).message).toMatch(/data_offsets span 8 bytes but F32 shape \[3\] needs 12/);
      const meta = rawFile({ __metadata__: { a: 1 } }, 0);
      expect(errorOf(() => decodeSafetensors(f, meta)).message).toMatch(/__metadata__ must map strings to strings/);
    });

    it('offsets with a gap, an overlap, or bytes after the last tensor', () => {
      const gap = rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, 12);
      const headerEnd = gap.length - 12;
      expect(errorOf(() => decodeSafetensors(f, gap)).message).toBe(`m.safetensors: at byte ${headerEnd + 8}: tensor "b" starts at data offset 8, expected 4 (gap or overlap)`);
      const overlap = rawFile({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8);
      expect(errorOf(() => decodeSafetensors(f, overlap)).message).toMatch(/tensor "b" starts at data offset 4, expected 8/);
      const trailing = rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 6);
      expect(errorOf(() => decodeSafetensors(f, trailing)).message).toBe(`m.safetensors: at byte ${trailing.length - 2}: 2 unexpected bytes after the last tensor`);
    });
  });

  const torch = pythonHas('torch');
  describe.skipIf(skipping('safetensors: PyTorch interoperability', torch.ok ? null : torch.reason))('PyTorch interoperability (header via json, data via torch.frombuffer)', () => {
    const dir = tempDir('snn-st-');
    const ours = join(dir, 'ours.safetensors');
    const theirs = join(dir, 'theirs.safetensors');
    let read: Record<string, { shape: number[]; bits: string[] }> & { __metadata__: Record<string, string> };

    // One python run (importing torch costs a second): read our file, write one of its own.
    beforeAll(() => {
      writeFileSync(ours, encodeSafetensors(sample(), { producer: 'snn-studio' }));
      read = JSON.parse(
        runPython(`
import json, struct, sys, torch
DT = {'F32': torch.float32, 'F64': torch.float64, 'I64': torch.int64}
NAME = {v: k for k, v in DT.items()}
raw = open(${JSON.stringify(ours)}, 'rb').read()
n, = struct.unpack('<Q', raw[:8])
header = json.loads(raw[8:8 + n])
assert (8 + n) % 8 == 0
data = bytearray(raw[8 + n:])
out = {'__metadata__': header.pop('__metadata__', {})}
for name, info in header.items():
    b, e = info['data_offsets']
    t = torch.frombuffer(data[b:e], dtype=DT[info['dtype']]) if e > b else torch.zeros(0, dtype=DT[info['dtype']])
    t = t.reshape(info['shape'])
    bits = t.view(torch.int32) if t.dtype == torch.float32 else t.view(torch.int64)
    out[name] = {'shape': list(t.shape), 'bits': [str(v) for v in bits.flatten().tolist()]}
print(json.dumps(out))

ts = {'b.weight': torch.arange(6, dtype=torch.float32).reshape(2, 3) / 3, 'a.count': torch.tensor([5, -6], dtype=torch.int64), 'c': torch.tensor([0.1], dtype=torch.float64)}
header, blobs, at = {}, [], 0
for name, t in ts.items():
    b = t.numpy().tobytes()
    header[name] = {'dtype': NAME[t.dtype], 'shape': list(t.shape), 'data_offsets': [at, at + len(b)]}
    blobs.append(b)
    at += len(b)
h = json.dumps(header).encode()
open(${JSON.stringify(theirs)}, 'wb').write(struct.pack('<Q', len(h)) + h + b''.join(blobs))`),
      );
    });

    it('PyTorch reads our file: same shapes, same bits', () => {
      expect(read.__metadata__).toEqual({ producer: 'snn-studio' });
      for (const [name, t] of sample()) {
        const bits = t.data instanceof Float32Array ? Array.from(new Int32Array(t.data.buffer), String) : Array.from(new BigInt64Array(t.data.buffer), String);
        expect(read[name]).toEqual({ shape: t.shape, bits });
      }
    });

    it('we read a file PyTorch wrote (unpadded header, its own tensor order)', () => {
      const { tensors } = decodeSafetensors(theirs, readFileSync(theirs));
      expect(tensors.get('b.weight')).toEqual({ shape: [2, 3], data: Float32Array.from([0, 1, 2, 3, 4, 5], (v) => Math.fround(v / 3)) });
      expect(tensors.get('a.count')).toEqual({ shape: [2], data: BigInt64Array.from([5n, -6n]) });
      expect(tensors.get('c')).toEqual({ shape: [1], data: Float64Array.from([0.1]) });
    });
  });
});
