/**
 * A run's checkpoints: one per epoch in the run directory (`epoch-0003.{json,safetensors}`), holding
 * parameters, BN statistics and optimizer state by their step-graph names (`optim.<slot>.<param>`),
 * and the place in training, so a resumed run continues exactly where the saved one stood.
 */
import { mkdir } from 'node:fs/promises';
import type { GraphDocument } from '../../core/document/schema.js';
import type { OptimizerSpec } from '../../core/train/optimizer.js';
import { Rng } from '../../core/rng.js';
import { listCheckpoints, loadCheckpoint, saveCheckpoint, splitOptimizerState, type CheckpointTensor } from '../checkpoint/index.js';
import { documentHash } from '../hash.js';
import type { RunTensor } from './training-run.js';

export interface SavedPlace {
  readonly epoch: number;
  readonly step: number;
}

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
  const saved = await saveCheckpoint(dir, `epoch-${String(place.epoch).padStart(4, '0')}`, {
    tensors: out,
    meta: {
      documentHash: documentHash(doc),
      epoch: place.epoch,
      step: place.step,
      // batches are a pure function of (seed, epoch, index); the generator state records the seed
      rngState: Rng.fromSeed(place.seed).state(),
      optimizer: { name: optName, hyperparameters: { ...hyper } },
      metrics,
    },
  });
  return saved.jsonPath;
}

/** The latest checkpoint of `dir` for this document, or undefined when there is none. */
export async function latestRunCheckpoint(dir: string, doc: GraphDocument): Promise<{ place: SavedPlace; tensors: Map<string, RunTensor>; path: string } | undefined> {
  const all = await listCheckpoints(dir).catch(() => []);
  const last = all.at(-1);
  if (!last) return undefined;
  return readRunCheckpoint(last.jsonPath, doc);
}

/** Loads a checkpoint and refuses one saved for another document. */
export async function readRunCheckpoint(path: string, doc: GraphDocument): Promise<{ place: SavedPlace; tensors: Map<string, RunTensor>; path: string }> {
  const ck = await loadCheckpoint(path);
  if (ck.meta.documentHash !== documentHash(doc)) {
    throw new Error(`${ck.jsonPath}: saved for another version of the document (hash ${ck.meta.documentHash.slice(0, 12)}…, this one is ${documentHash(doc).slice(0, 12)}…)`);
  }
  return { place: { epoch: ck.meta.epoch, step: ck.meta.step }, tensors: ck.tensors, path: ck.jsonPath };
}

/**
 * A checkpoint's trained parameters and BN statistics by name (the optimizer state left out), for
 * an inference model of the same document: `compile --checkpoint`, `infer --checkpoint`.
 */
export async function readTrainedParams(path: string, doc: GraphDocument): Promise<Map<string, Float32Array>> {
  const saved = await readRunCheckpoint(path, doc);
  const out = new Map<string, Float32Array>();
  for (const [name, t] of splitOptimizerState(saved.tensors).parameters) {
    if (!(t.data instanceof Float32Array)) throw new Error(`${saved.path}: parameter ${name} is not float32`);
    out.set(name, t.data);
  }
  return out;
}
