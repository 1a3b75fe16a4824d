/**
 * Exports a compiled model's primitive IR and parameters for the PyTorch peer
 * (bench/peers/infer_peer.py): a JSON description (values' shapes, nodes with their attributes,
 * where each parameter and constant lies in the blob) and one binary blob.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledInference } from '../../engine/runtime/compile.js';
import { OUTPUT_NAME } from '../../engine/runtime/compile.js';

export interface ExportedIr {
  readonly model: string;
  readonly blob: string;
}

interface TensorEntry {
  value: number;
  dtype: 'float32' | 'int64';
  shape: readonly number[];
  offset: number;
  bytes: number;
}

export function exportIr(compiled: CompiledInference, dir: string, stem = 'model'): ExportedIr {
  const g = compiled.graph;
  const chunks: Uint8Array[] = [];
  const tensors: TensorEntry[] = [];
  let offset = 0;
  const put = (value: number, data: Float32Array | BigInt64Array): void => {
    const pad = (8 - (offset % 8)) % 8;
    if (pad > 0) chunks.push(new Uint8Array(pad));
    offset += pad;
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    chunks.push(bytes);
    tensors.push({ value, dtype: data instanceof BigInt64Array ? 'int64' : 'float32', shape: g.values[value]!.shape, offset, bytes: bytes.byteLength });
    offset += bytes.byteLength;
  };
  for (const p of g.params) {
    const data = compiled.params.get(p.name);
    if (!data) throw new Error(`exportIr: no value for ${p.name}`);
    put(p.value, data);
  }
  for (const c of g.constants) put(c.value, c.data);
  const output = g.outputs.find((o) => o.name === OUTPUT_NAME) ?? g.outputs[0];
  if (!output || g.inputs.length !== 1) throw new Error('exportIr: expected one input and a logits output');
  const desc = {
    values: g.values.map((v) => v.shape),
    input: g.inputs[0]!.value,
    output: output.value,
    nodes: g.nodes.map((n) => ({ op: n.op, inputs: n.inputs, outputs: n.outputs, attrs: n.attrs })),
    tensors,
  };
  const model = join(dir, `${stem}.json`);
  const blob = join(dir, `${stem}.bin`);
  writeFileSync(model, JSON.stringify(desc));
  writeFileSync(blob, Buffer.concat(chunks));
  return { model, blob };
}
