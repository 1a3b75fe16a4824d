/**
 * A run's checkpoints: one per epoch in the run directory (`epoch-0003.{json,safetensors}`), holding
 * parameters, BN statistics and optimizer state by their step-graph names (`optim.<slot>.<param>`),
 * and the place in training, so a resumed run continues exactly where the saved one stood.
 */
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { GraphDocument } from '../../core/document/schema.js';
import { analyseDocument } from '../../core/graph/infer.js';
import type { Limits } from '../../core/limits/limits.js';
import { lowerDocument } from '../../core/lower/lower.js';
import type { OptimizerSpec } from '../../core/train/optimizer.js';
import { Rng } from '../../core/rng.js';
import { CheckpointError, loadCheckpoint, optimizerKey, type CheckpointMeta, removeStaleTemps, saveCheckpoint, scanCheckpoints, splitOptimizerState, type CheckpointTensor } from '../checkpoint/index.js';
import { documentHash } from '../hash.js';
import type { RunTensor } from './training-run.js';

export interface SavedPlace {
  readonly epoch: number;
  readonly step: number;
  /** Where the next epoch stood when a run was stopped mid-epoch (absent at an epoch's end). */
  readonly progress?: EpochProgress;
}

/** A part-done epoch: batches done and the sums its numbers are made of. */
export type EpochProgress = NonNullable<CheckpointMeta['epochProgress']>;

export async function saveRunCheckpoint(
  dir: string,
  doc: GraphDocument,
  place: SavedPlace & { readonly seed: number },
  tensors: ReadonlyMap<string, RunTensor>,
  optimizer: OptimizerSpec,
  metrics: Record<string, number>,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const out = new Map<string, CheckpointTensor>();
  for (const [name, t] of tensors) out.set(name, { shape: [...t.shape], data: t.data });
  const { name: optName, ...hyper } = optimizer;
  // a mid-epoch stop is named by its step, so it sorts after the epoch it follows and never replaces one
  const name = place.progress ? `step-${String(place.step).padStart(7, '0')}` : `epoch-${String(place.epoch).padStart(4, '0')}`;
  const saved = await saveCheckpoint(dir, name, {
    tensors: out,
    meta: {
      documentHash: documentHash(doc),
      epoch: place.epoch,
      step: place.step,
      // batches are a pure function of (seed, epoch, index); the generator state records the seed
      rngState: Rng.fromSeed(place.seed).state(),
      optimizer: { name: optName, hyperparameters: { ...hyper } },
      metrics,
      ...(place.progress ? { epochProgress: place.progress } : {}),
    },
  });
  return saved.jsonPath;
}

/**
 * The latest checkpoint of `dir` for this document, or undefined when the folder holds none. A
 * resume never starts over silently: when the newest checkpoint file cannot be read, this refuses
 * with the reason and names the latest readable one, rather than resuming from an older epoch or
 * from scratch and overwriting the run. Temp files of saves that a crash interrupted are removed.
 */
export async function latestRunCheckpoint(dir: string, doc: GraphDocument): Promise<{ place: SavedPlace; tensors: Map<string, RunTensor>; path: string } | undefined> {
  await removeStaleTemps(dir);
  let scan;
  try {
    scan = await scanCheckpoints(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw Object.assign(new CheckpointError(dir, `cannot list the run folder to resume: ${(e as Error).message}`), { cause: e });
  }
  const last = scan.checkpoints.at(-1);
  // a damaged file is passed over only when its name shows it is older than the one resumed from
  // (epoch-0002 before epoch-0003); one that might be newer (another kind of name) stops the resume
  // a damaged file counts when it is named as a checkpoint or has its tensors beside it (a damaged
  // run.json is not a checkpoint)
  const damaged = scan.damaged.filter((d) => CHECKPOINT_NAME.test(d.name) || existsSync(join(dir, `${d.name}.safetensors`)));
  const newer = damaged.filter((d) => last === undefined || !clearlyOlder(d.name, last.name));
  if (newer.length > 0) {
    const d = newer.at(-1)!;
    const fallback = last ? `the latest readable checkpoint is ${basename(last.jsonPath)} (epoch ${last.meta.epoch}); move ${d.name}.* away to resume from it` : 'no readable checkpoint is left to resume from';
    throw new CheckpointError(d.jsonPath, `cannot resume: ${d.reason.replace(`${d.jsonPath}: `, '')}; ${fallback}`);
  }
  if (!last) return undefined;
  const saved = await readRunCheckpoint(last.jsonPath, doc);
  checkRunShapes(saved.path, saved.tensors, inferenceParamShapes(doc, saved.path));
  return saved;
}

/**
 * Each parameter, and each optimizer slot of a parameter, has the shape the document gives that
 * parameter: a tensor with the right count in the wrong shape would resume with scrambled weights.
 * Names the document does not know are left to the run that loads them (it refuses them by name).
 */
function checkRunShapes(file: string, tensors: ReadonlyMap<string, RunTensor>, expected: ReadonlyMap<string, readonly number[]>): void {
  const { parameters, optimizer } = splitOptimizerState(tensors);
  const slots = [...optimizer.entries()].flatMap(([slot, byParam]) => [...byParam].map(([param, t]) => [optimizerKey(slot, param), param, t] as const));
  for (const [key, param, t] of [...[...parameters].map(([name, t]) => [name, name, t] as const), ...slots]) {
    const want = expected.get(param);
    if (want && (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i]))) {
      throw new CheckpointError(file, `tensor "${key}" is [${t.shape.join(',')}]; the document needs [${want.join(',')}]`);
    }
  }
}

/** The names saveRunCheckpoint gives: `epoch-0003` at an epoch's end, `step-0000120` at a stop mid-epoch. */
const CHECKPOINT_NAME = /^(epoch|step)-(\d+)$/;

/** `epoch-0002` is clearly older than `epoch-0003`, and `step-0000100` than `step-0000200`; other pairs are not. */
function clearlyOlder(name: string, than: string): boolean {
  const a = CHECKPOINT_NAME.exec(name);
  const b = CHECKPOINT_NAME.exec(than);
  return a !== null && b !== null && a[1] === b[1] && Number(a[2]) < Number(b[2]);
}

/** Loads a checkpoint and refuses one saved for another document. */
export async function readRunCheckpoint(path: string, doc: GraphDocument): Promise<{ place: SavedPlace; tensors: Map<string, RunTensor>; path: string }> {
  const ck = await loadCheckpoint(path);
  if (ck.meta.documentHash !== documentHash(doc)) {
    throw new CheckpointError(ck.jsonPath, `saved for another version of the document (hash ${ck.meta.documentHash.slice(0, 12)}…, this one is ${documentHash(doc).slice(0, 12)}…)`);
  }
  const progress = ck.meta.epochProgress;
  return { place: { epoch: ck.meta.epoch, step: ck.meta.step, ...(progress ? { progress } : {}) }, tensors: ck.tensors, path: ck.jsonPath };
}

/**
 * A checkpoint's trained parameters and BN statistics by name (the optimizer state left out), for
 * an inference model of the same document: `compile --checkpoint`, `infer --checkpoint`. Complete
 * and shape-checked against the document's inference graph: a partial checkpoint would mix trained
 * and seeded weights, and a [3,3,1,32] tensor where [32,1,3,3] belongs holds the same number of
 * values in the wrong order.
 */
export async function readTrainedParams(path: string, doc: GraphDocument, limits?: Limits): Promise<Map<string, Float32Array>> {
  const saved = await readRunCheckpoint(path, doc);
  const trained = splitOptimizerState(saved.tensors).parameters;
  const expected = inferenceParamShapes(doc, saved.path, limits);
  checkShapes(saved.path, trained, expected);
  const extra = [...trained.keys()].filter((n) => !expected.has(n));
  if (extra.length > 0) throw new CheckpointError(saved.path, `has parameters the document does not (${listed(extra)})`);
  const out = new Map<string, Float32Array>();
  for (const [name, t] of trained) out.set(name, t.data);
  return out;
}

/**
 * Every expected tensor is present with exactly its shape. Extra tensors are the caller's call
 * (a training checkpoint also holds optimizer state).
 */
export function checkShapes(file: string, tensors: ReadonlyMap<string, { readonly shape: readonly number[] }>, expected: ReadonlyMap<string, readonly number[]>): void {
  const missing = [...expected.keys()].filter((n) => !tensors.has(n));
  if (missing.length > 0) throw new CheckpointError(file, `no values for ${listed(missing)}`);
  for (const [name, want] of expected) {
    const got = tensors.get(name)!.shape;
    if (got.length !== want.length || got.some((d, i) => d !== want[i])) {
      throw new CheckpointError(file, `tensor "${name}" is [${got.join(',')}]; the document needs [${want.join(',')}]`);
    }
  }
}

function inferenceParamShapes(doc: GraphDocument, file: string, limits?: Limits): Map<string, readonly number[]> {
  const analysis = analyseDocument(doc, undefined, limits);
  if (!analysis.ok) throw new CheckpointError(file, 'the document does not validate; checkpoint parameters cannot be matched to it');
  const { graph } = lowerDocument(doc, analysis, { batch: 1, mode: 'infer' });
  return new Map(graph.params.map((p) => [p.name, graph.values[p.value]!.shape]));
}

function listed(names: readonly string[]): string {
  return `${names.slice(0, 5).join(', ')}${names.length > 5 ? `, … (${names.length} in all)` : ''}`;
}
