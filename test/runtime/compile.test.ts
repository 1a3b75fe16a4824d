/**
 * Document → ONNX inference model (engine/runtime/compile.ts, hash.ts, onnx/encode.ts, session.ts):
 * shapes and metadata a consumer relies on, seeded and reproducible weights, trained values
 * taking precedence, the document hash, and located errors instead of a model for a bad document.
 */
import { describe, expect, it } from 'vitest';
import type { GraphDocument } from '../../engine/core/document/schema.js';
import { ProblemsError } from '../../engine/core/problems.js';
import { compileInference } from '../../engine/runtime/compile.js';
import { canonicalJson, documentHash } from '../../engine/runtime/hash.js';
import { readModelInfo } from '../../engine/runtime/onnx/encode.js';
import { createSession, floatTensor, type ort } from '../../engine/runtime/session.js';
import { lifCnn } from '../../templates/lif-cnn.js';

const small = (): GraphDocument => lifCnn({ channels: [4, 8], timeSteps: 3 });

describe('compileInference', () => {
  it('produces a model whose declared shapes and metadata match the document', () => {
    const doc = small();
    const c = compileInference(doc, { batch: 3 });
    expect(c.inputShape).toEqual([3, 1, 28, 28]);
    expect(c.outputShape).toEqual([3, 10]);
    const info = readModelInfo(c.bytes);
    expect(info.opset).toBe(17);
    expect(info.inputs).toEqual([{ name: 'input', dims: [3, 1, 28, 28] }]);
    expect(info.outputs).toEqual([{ name: 'logits', dims: [3, 10] }]);
    expect(info.metadata).toMatchObject({
      'snn.document': 'LIF CNN',
      'snn.document_hash': documentHash(doc),
      'snn.time_steps': '3',
      'snn.encoder': 'direct_encoder',
      'snn.input_kind': 'image',
      'snn.input_shape': '[1,28,28]',
      'snn.batch': '3',
    });
    expect(JSON.parse(info.metadata['snn.classes']!)).toHaveLength(10);
  });

  it('runs on ONNX Runtime with the declared shapes, deterministically', async () => {
    const c = compileInference(small(), { batch: 2 });
    const s = await createSession(c.bytes, { threads: 1 });
    try {
      const x = Float32Array.from({ length: 2 * 784 }, (_, i) => Math.sin(i) * 2);
      const a = (await s.run({ input: floatTensor(x, c.inputShape) })).logits as ort.Tensor;
      const b = (await s.run({ input: floatTensor(x, c.inputShape) })).logits as ort.Tensor;
      expect(a.dims).toEqual([2, 10]);
      expect(Array.from(a.data as Float32Array)).toEqual(Array.from(b.data as Float32Array));
      expect((a.data as Float32Array).every(Number.isFinite)).toBe(true);
    } finally {
      await s.release();
    }
  });

  it('initialises from the seed: same seed, same bytes; another seed, other weights; BN buffers fixed', () => {
    const doc = small();
    const a = compileInference(doc, { seed: 1 });
    const b = compileInference(doc, { seed: 1 });
    const c = compileInference(doc, { seed: 2 });
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(true);
    expect(Array.from(a.params.get('conv1.weight')!)).not.toEqual(Array.from(c.params.get('conv1.weight')!));
    expect(Array.from(c.params.get('bn1.running_var')!)).toEqual([1, 1, 1, 1]);
    // the document's training seed is the default
    const seeded = { ...doc, training: { ...doc.training, seed: 2 } };
    expect(Array.from(compileInference(seeded).params.get('conv1.weight')!)).toEqual(Array.from(c.params.get('conv1.weight')!));
    // PyTorch's default conv init: U(±1/√fan_in), fan_in = 1·3·3
    const w = a.params.get('conv1.weight')!;
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(1 / 3);
  });

  it('adding a node does not change the initial weights of the others', () => {
    const doc = small();
    const bigger = structuredClone(doc);
    bigger.nodes = [...bigger.nodes, { id: 'extra', block: 'lif' }];
    bigger.edges = bigger.edges.map((e) => (e.source === 'lif1' ? { ...e, source: 'extra' } : e));
    bigger.edges.push({ source: 'lif1', target: 'extra' });
    const a = compileInference(doc);
    const b = compileInference(bigger);
    for (const [k, v] of a.params) expect(Array.from(b.params.get(k)!), k).toEqual(Array.from(v));
  });

  it('uses trained values where given', () => {
    const doc = small();
    const trained = new Map([['fc.bias', Float32Array.from({ length: 10 }, (_, i) => i)]]);
    const c = compileInference(doc, { params: trained });
    expect(c.params.get('fc.bias')).toBe(trained.get('fc.bias'));
    const init = compileInference(doc).params;
    expect(Array.from(c.params.get('fc.weight')!)).toEqual(Array.from(init.get('fc.weight')!));
  });

  it('refuses a broken document with located problems instead of a model', () => {
    const doc = small();
    doc.nodes.find((n) => n.id === 'conv2')!.params = { outChannels: 8, groups: 3 };
    let thrown: unknown;
    try {
      compileInference(doc);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ProblemsError);
    expect((thrown as ProblemsError).message).toBe('nodes[6] "conv2".params.groups: groups 3 does not divide 4 input channels');
  });
});

describe('documentHash', () => {
  it('ignores key order and node positions, not the model', () => {
    const doc = small();
    const moved = structuredClone(doc);
    moved.nodes[2] = { ...moved.nodes[2]!, position: { x: 10, y: 20 } };
    const reordered = JSON.parse(canonicalJson(doc)) as GraphDocument;
    expect(documentHash(moved)).toBe(documentHash(doc));
    expect(documentHash(reordered)).toBe(documentHash(doc));
    const changed = structuredClone(doc);
    changed.timeSteps = 4;
    expect(documentHash(changed)).not.toBe(documentHash(doc));
    expect(documentHash(doc)).toMatch(/^[0-9a-f]{64}$/);
  });
});
