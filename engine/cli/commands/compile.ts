/** `snn-studio compile <doc> -o model.onnx [--batch N] [--seed S]`: the ONNX inference model. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyseDocument } from '../../core/graph/infer.js';
import { compileInference } from '../../runtime/compile.js';
import { CliError, err, out, problemsText, readDocument } from '../io.js';

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, batch: { type: 'string' }, seed: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || !values.out) throw new CliError('usage: snn-studio compile <doc.snn.json> -o model.onnx [--batch N] [--seed S]', 2);
  const doc = readDocument(file);
  const a = analyseDocument(doc);
  if (!a.ok) {
    err(problemsText(file, a.problems));
    return 1;
  }
  const batch = positiveInt(values.batch ?? '1', '--batch');
  const seed = values.seed === undefined ? undefined : positiveInt(values.seed, '--seed', true);
  const t0 = performance.now();
  const compiled = compileInference(doc, { batch, ...(seed === undefined ? {} : { seed }) });
  const target = resolve(values.out);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  writeFileSync(tmp, compiled.bytes);
  renameSync(tmp, target);
  out(`${values.out}: ${compiled.model.graph.nodes.length} ONNX nodes, ${a.paramCount.toLocaleString('en-US')} parameters, ${(compiled.bytes.length / 1e6).toFixed(1)} MB, input ${JSON.stringify(compiled.inputShape)}, output ${JSON.stringify(compiled.outputShape)} (${(performance.now() - t0).toFixed(0)} ms)`);
  return 0;
}

export function positiveInt(s: string, flag: string, allowZero = false): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new CliError(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${s}"`, 2);
  return n;
}
