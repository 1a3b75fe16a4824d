/**
 * `snn-studio compile <doc> -o model.onnx [--batch N] [--seed S] [--checkpoint ckpt.json] [--fold MODE | --no-fold]`:
 * the ONNX inference model, with seeded weights or a training checkpoint's (the export of a trained
 * model). Linear chains fold where that costs no MACs (`--fold cheaper`, the default), into the
 * deployed form (`--fold all`: RepConv as one 3×3 conv on spikes), or not at all (`--no-fold`, the
 * training form op for op).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyseDocument } from '../../core/graph/infer.js';
import type { GraphDocument } from '../../core/document/schema.js';
import type { Limits } from '../../core/limits/limits.js';
import type { FoldMode } from '../../core/optimize/fold-linear-chains.js';
import { writeFileAtomic } from '../../runtime/checkpoint/atomic-write.js';
import { compileInference } from '../../runtime/compile.js';
import { readTrainedParams } from '../../runtime/train/index.js';
import { CliError, EXIT, err, LIMIT_HELP, LIMIT_OPTION, limitsFrom, out, problemsText } from '../io.js';
import { resolveDocument } from './train.js';

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      batch: { type: 'string' },
      seed: { type: 'string' },
      checkpoint: { type: 'string', short: 'c' },
      fold: { type: 'string' },
      'no-fold': { type: 'boolean' },
      ...LIMIT_OPTION,
    },
  });
  const file = positionals[0];
  if (!file || !values.out) throw new CliError(`usage: snn-studio compile <doc.snn.json | template[:preset]> -o model.onnx [--batch N] [--seed S] [--checkpoint ckpt.json] [--fold cheaper|all | --no-fold] [--limit name=value]\n${LIMIT_HELP}`, EXIT.usage);
  const fold = foldMode(values.fold, values['no-fold'] === true);
  const doc = resolveDocument(file);
  const limits = limitsFrom(values.limit);
  const a = analyseDocument(doc, undefined, limits);
  if (!a.ok) {
    err(problemsText(file, a.problems));
    return EXIT.invalid;
  }
  const batch = positiveInt(values.batch ?? '1', '--batch');
  const seed = values.seed === undefined ? undefined : positiveInt(values.seed, '--seed', true);
  const t0 = performance.now();
  const params = values.checkpoint === undefined ? undefined : await checkpointParams(values.checkpoint, doc, limits);
  const compiled = compileInference(doc, { batch, limits, foldLinearChains: fold, ...(seed === undefined ? {} : { seed }), ...(params ? { params } : {}) });
  const target = resolve(values.out);
  await mkdir(dirname(target), { recursive: true })
    .then(() => writeFileAtomic(target, compiled.bytes))
    .catch((e: Error) => {
      throw new CliError(`cannot write ${values.out}: ${(e as NodeJS.ErrnoException).code ?? e.message}`, EXIT.io);
    });
  out(`${values.out}: ${compiled.model.graph.nodes.length} ONNX nodes, ${a.paramCount.toLocaleString('en-US')} parameters, ${(compiled.bytes.length / 1e6).toFixed(1)} MB, input ${JSON.stringify(compiled.inputShape)}, output ${JSON.stringify(compiled.outputShape)} (${(performance.now() - t0).toFixed(0)} ms)`);
  return 0;
}

/** `--fold cheaper|all|none` or `--no-fold`: how compile folds chains of linear ops. */
function foldMode(fold: string | undefined, noFold: boolean): FoldMode | false {
  if (noFold && fold !== undefined && fold !== 'none') throw new CliError(`--no-fold and --fold ${fold} contradict each other`, EXIT.usage);
  if (noFold || fold === 'none') return false;
  if (fold === undefined || fold === 'cheaper' || fold === 'all') return fold ?? 'cheaper';
  throw new CliError(`--fold takes cheaper, all or none, got "${fold}"`, EXIT.usage);
}

/** A checkpoint's parameters, complete for `doc` and each of the shape the document gives it. */
export async function checkpointParams(path: string, doc: GraphDocument, limits?: Limits): Promise<Map<string, Float32Array>> {
  return readTrainedParams(path, doc, limits);
}

export function positiveInt(s: string, flag: string, allowZero = false): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new CliError(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${s}"`, 2);
  return n;
}
