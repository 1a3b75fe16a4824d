/**
 * SHA-256 of the ONNX bytes the compiler emits, for a refactoring that must not change them: every
 * template's default preset (inference model and training step) plus a small document per neuron
 * variant (each charge rule, reset, decay_input, detach, surrogate, direct-encoded and BN-fed).
 *
 *   npx tsx scripts/onnx-fingerprints.ts save DIR    # the documents and their hashes, before
 *   npx tsx scripts/onnx-fingerprints.ts check DIR   # recompile the saved documents, compare
 *   npx tsx scripts/onnx-fingerprints.ts rehash DIR  # new hashes of the saved documents, after a
 *                                                    # stated and tested change of the emitted bytes
 *
 * `check` compiles the documents saved by `save`, not today's templates, so an edit to a template
 * made meanwhile cannot pass for a compiler change. Exit status 1 when any hash differs.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphDocument } from '../engine/core/document/schema.js';
import { compileInference } from '../engine/runtime/compile.js';
import { compileTrainStep } from '../engine/runtime/train/compile.js';
import { resolveTrainOptions } from '../engine/runtime/train/options.js';
import { buildTemplate, listTemplates } from '../templates/index.js';

type Fingerprints = Record<string, { infer: string; train: string }>;


function main(argv: readonly string[]): number {
  const [verb, dir] = argv;
  if ((verb !== 'save' && verb !== 'check' && verb !== 'rehash') || !dir) {
    process.stderr.write('usage: onnx-fingerprints.ts save|check|rehash DIR\n');
    return 2;
  }
  if (verb === 'save') {
    const docs = documents();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'docs.json'), JSON.stringify(docs));
    const hashes = fingerprints(docs);
    writeFileSync(join(dir, 'hashes.json'), JSON.stringify(hashes, null, 1));
    process.stdout.write(`saved ${Object.keys(hashes).length} documents' fingerprints to ${dir}\n`);
    return 0;
  }
  const docs = JSON.parse(readFileSync(join(dir, 'docs.json'), 'utf8')) as Record<string, GraphDocument>;
  if (verb === 'rehash') {
    writeFileSync(join(dir, 'hashes.json'), JSON.stringify(fingerprints(docs), null, 1));
    process.stdout.write(`rehashed ${Object.keys(docs).length} documents in ${dir}\n`);
    return 0;
  }
  const before = JSON.parse(readFileSync(join(dir, 'hashes.json'), 'utf8')) as Fingerprints;
  const after = fingerprints(docs);
  let differ = 0;
  for (const [name, was] of Object.entries(before)) {
    const now = after[name]!;
    for (const kind of ['infer', 'train'] as const) {
      if (now[kind] === was[kind]) continue;
      differ++;
      process.stdout.write(`DIFFERS ${name} ${kind}: ${was[kind].slice(0, 12)} → ${now[kind].slice(0, 12)}\n`);
    }
  }
  const models = 2 * Object.keys(before).length;
  process.stdout.write(`${models - differ} of ${models} models bit-identical\n`);
  return differ === 0 ? 0 : 1;
}

function documents(): Record<string, GraphDocument> {
  const docs: Record<string, GraphDocument> = {};
  for (const t of listTemplates()) docs[`template ${t.id}`] = buildTemplate(t.id);
  const variants: readonly [string, string, Record<string, unknown>][] = [
    ['lif default', 'lif', {}],
    ['lif tau 3', 'lif', { tau: 3 }],
    ['lif no decay_input', 'lif', { decayInput: false }],
    ['lif v_reset -0.4', 'lif', { vReset: -0.4 }],
    ['lif soft reset', 'lif', { vReset: null }],
    ['lif not detached', 'lif', { detachReset: false }],
    ['lif soft not detached atan', 'lif', { vReset: null, detachReset: false, surrogate: { name: 'atan', alpha: 2 } }],
    ['lif v_reset 0.3 not detached tau 4', 'lif', { tau: 4, decayInput: false, vReset: 0.3, detachReset: false }],
    ['lif rectangle', 'lif', { surrogate: { name: 'rectangle', alpha: 1 } }],
    ['lif dspike', 'lif', { surrogate: { name: 'dspike', b: 3, c: 0.3 } }],
    ['lif piecewise_leaky_relu', 'lif', { surrogate: { name: 'piecewise_leaky_relu', w: 1, c: 0.01 } }],
    ['lif piecewise_quadratic', 'lif', { surrogate: { name: 'piecewise_quadratic', alpha: 1 } }],
    ['if', 'if', {}],
    ['if soft not detached', 'if', { vReset: null, detachReset: false }],
    ['if v_reset -0.5', 'if', { vReset: -0.5, threshold: 0.6 }],
    ['plif', 'plif', {}],
    ['plif soft', 'plif', { initTau: 3, vReset: null }],
    ['plif no decay_input v_reset 0.2 not detached', 'plif', { decayInput: false, vReset: 0.2, detachReset: false }],
    ['plif v_reset -0.3', 'plif', { vReset: -0.3 }],
    ['spikedhs', 'spikedhs_neuron', {}],
    ['psn', 'psn', {}],
  ];
  for (const [name, block, params] of variants) {
    // direct-encoded and BN-fed: the hoisting and charge-gain passes apply
    docs[`${name} / conv-bn`] = neuronDoc(block, params, true);
    // event frames straight into the neuron: every step its own input
    docs[`${name} / events`] = neuronDoc(block, params, false);
  }
  return docs;
}

function neuronDoc(block: string, params: Record<string, unknown>, convBn: boolean): GraphDocument {
  const T = 4;
  const chain: [string, string, Record<string, unknown>?][] = convBn
    ? [['enc', 'direct_encoder'], ['conv', 'conv2d', { outChannels: 4, kernel: 3, padding: 1 }], ['bn', 'batchnorm2d'], ['n1', block, params], ['flat', 'flatten'], ['fc', 'linear', { outFeatures: 3 }]]
    : [['ev', 'event_frames'], ['n1', block, params], ['flat', 'flatten'], ['fc', 'linear', { outFeatures: 3 }]];
  const nodes: GraphDocument['nodes'] = [{ id: 'in', block: 'input' }];
  const edges: GraphDocument['edges'] = [];
  let prev = 'in';
  for (const [id, b, p] of chain) {
    nodes.push(p ? { id, block: b, params: p } : { id, block: b });
    edges.push({ source: prev, target: id });
    prev = id;
  }
  nodes.push({ id: 'mean', block: 'mean_time' }, { id: 'out', block: 'output' });
  edges.push({ source: prev, target: 'mean' }, { source: 'mean', target: 'out' });
  return {
    format: 'snn-studio/graph',
    version: 1,
    name: `${block} check`,
    timeSteps: T,
    input: convBn ? { kind: 'image', shape: [2, 6, 6] } : { kind: 'events', shape: [2, 6, 6] },
    nodes,
    edges,
  } as GraphDocument;
}

function fingerprints(docs: Record<string, GraphDocument>): Fingerprints {
  const out: Fingerprints = {};
  for (const [name, doc] of Object.entries(docs)) {
    const o = resolveTrainOptions(doc, {});
    const infer = compileInference(doc).bytes;
    const train = compileTrainStep(doc, { batch: o.batchSize, seed: o.seed, loss: o.loss, optimizer: o.optimizer, threads: 2, ...(o.gradClip === undefined ? {} : { gradClip: o.gradClip }) }).bytes;
    out[name] = { infer: sha256(infer), train: sha256(train) };
  }
  return out;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

process.exitCode = main(process.argv.slice(2));
