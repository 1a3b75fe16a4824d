/**
 * `snn-studio compile <doc> -o model.onnx [--batch N] [--seed S] [--checkpoint ckpt.json]`: the ONNX
 * inference model, with seeded weights or a training checkpoint's (the export of a trained model).
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyseDocument } from '../../core/graph/infer.js';
import type { GraphDocument } from '../../core/document/schema.js';
import { lowerDocument } from '../../core/lower/lower.js';
import { compileInference } from '../../runtime/compile.js';
import { readTrainedParams } from '../../runtime/train/index.js';
import { CliError, err, out, problemsText } from '../io.js';
import { resolveDocument } from './train.js';

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, batch: { type: 'string' }, seed: { type: 'string' }, checkpoint: { type: 'string', short: 'c' } },
  });
  const file = positionals[0];
  if (!file || !values.out) throw new CliError('usage: snn-studio compile <doc.snn.json | template[:preset]> -o model.onnx [--batch N] [--seed S] [--checkpoint ckpt.json]', 2);
  const doc = resolveDocument(file);
  const a = analyseDocument(doc);
  if (!a.ok) {
    err(problemsText(file, a.problems));
    return 1;
  }
  const batch = positiveInt(values.batch ?? '1', '--batch');
  const seed = values.seed === undefined ? undefined : positiveInt(values.seed, '--seed', true);
  const t0 = performance.now();
  const params = values.checkpoint === undefined ? undefined : await checkpointParams(values.checkpoint, doc);
  const compiled = compileInference(doc, { batch, ...(seed === undefined ? {} : { seed }), ...(params ? { params } : {}) });
  const target = resolve(values.out);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  writeFileSync(tmp, compiled.bytes);
  renameSync(tmp, target);
  out(`${values.out}: ${compiled.model.graph.nodes.length} ONNX nodes, ${a.paramCount.toLocaleString('en-US')} parameters, ${(compiled.bytes.length / 1e6).toFixed(1)} MB, input ${JSON.stringify(compiled.inputShape)}, output ${JSON.stringify(compiled.outputShape)} (${(performance.now() - t0).toFixed(0)} ms)`);
  return 0;
}

/** A checkpoint's parameters, complete for `doc` (a partial one would mix trained and seeded weights). */
export async function checkpointParams(path: string, doc: GraphDocument): Promise<Map<string, Float32Array>> {
  let params: Map<string, Float32Array>;
  try {
    params = await readTrainedParams(path, doc);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  const needed = lowerDocument(doc, analyseDocument(doc), { batch: 1, mode: 'infer' }).graph.params.map((p) => p.name);
  const missing = needed.filter((n) => !params.has(n));
  if (missing.length > 0) throw new CliError(`${path}: no values for ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`);
  const extra = [...params.keys()].filter((n) => !needed.includes(n));
  if (extra.length > 0) throw new CliError(`${path}: has parameters the document does not (${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', …' : ''})`);
  return params;
}

export function positiveInt(s: string, flag: string, allowZero = false): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new CliError(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${s}"`, 2);
  return n;
}
