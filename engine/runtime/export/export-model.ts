/**
 * `exportModel`: a document (with a checkpoint's weights or seeded ones) to ONNX, a PyTorch
 * directory or a NIR file. The export lint runs first: a document the format cannot hold is refused
 * (ExportRefused, with every node and why) before anything is written, and the output appears
 * whole or not at all (a directory is built beside the target and renamed into place). This is the
 * call the CLI's `export` makes, and the one the host's export job can make.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { GraphDocument } from '../../core/document/schema.js';
import { lintExport, ExportRefused, type ExportFormat, type ExportLint } from '../../core/export/lint.js';
import { PYTORCH_WEIGHTS_FILE, pytorchFiles } from '../../core/export/pytorch/bundle.js';
import { analyseDocument } from '../../core/graph/infer.js';
import type { Limits } from '../../core/limits/limits.js';
import { ProblemsError } from '../../core/problems.js';
import { encodeSafetensors } from '../checkpoint/safetensors.js';
import { writeFileAtomic } from '../checkpoint/atomic-write.js';
import { compileInference } from '../compile.js';
import { resolveTrainOptions } from '../train/options.js';
import { writeNirFile } from './nir-file.js';
import { documentWeights } from './weights.js';

export interface ExportRequest {
  readonly doc: GraphDocument;
  readonly format: ExportFormat;
  /** A file (onnx, nir) or a directory (pytorch). */
  readonly out: string;
  /** Trained values by engine name (a checkpoint's); the rest are seeded. */
  readonly params?: ReadonlyMap<string, Float32Array>;
  readonly seed?: number;
  /** ONNX: the model's batch dimension (default 1). */
  readonly batch?: number;
  /** NIR: the duration of one time step in seconds, for the continuous-time constants (default 1e-3). */
  readonly dt?: number;
  readonly limits?: Limits;
}

export interface ExportResult {
  readonly format: ExportFormat;
  /** The files written, absolute. */
  readonly files: readonly string[];
  readonly lint: ExportLint;
}

export async function exportModel(req: ExportRequest): Promise<ExportResult> {
  const { doc, format } = req;
  const analysis = analyseDocument(doc, undefined, req.limits);
  if (!analysis.ok) throw new ProblemsError(analysis.problems);
  const lint = lintExport(doc, format, analysis);
  if (!lint.ok) throw new ExportRefused(lint);
  const target = resolve(req.out);
  await mkdir(dirname(target), { recursive: true });
  switch (format) {
    case 'onnx': {
      const compiled = compileInference(doc, { batch: req.batch ?? 1, ...(req.seed === undefined ? {} : { seed: req.seed }), ...(req.params ? { params: req.params } : {}), ...(req.limits ? { limits: req.limits } : {}) });
      await writeFileAtomic(target, compiled.bytes);
      return { format, files: [target], lint };
    }
    case 'pytorch': {
      const weights = documentWeights(doc, analysis, { ...(req.seed === undefined ? {} : { seed: req.seed }), ...(req.params ? { params: req.params } : {}) });
      const resolved = resolveTrainOptions(doc, {});
      const recipe = { ...resolved, optimizer: resolved.optimizer, schedule: resolved.schedule, ...(resolved.gradClip === undefined ? {} : { gradClip: resolved.gradClip }) };
      const decayed = [...weights].filter(([, t]) => t.role === 'weight').map(([name]) => name);
      const files = pytorchFiles(doc, analysis, recipe, decayed);
      const tensors = new Map([...weights].map(([name, t]) => [name, { shape: [...t.shape], data: t.data }]));
      const bytes = encodeSafetensors(tensors, { format: 'pt', 'snn.document': doc.name });
      return { format, files: await writeDirectory(target, { ...files, [PYTORCH_WEIGHTS_FILE]: bytes }), lint };
    }
    case 'nir': {
      const weights = documentWeights(doc, analysis, { ...(req.seed === undefined ? {} : { seed: req.seed }), ...(req.params ? { params: req.params } : {}) });
      await writeNirFile(target, doc, analysis, weights, req.dt ?? 1e-3);
      return { format, files: [target], lint };
    }
  }
}

/** Writes the files into a fresh directory beside `target`, then swaps it into place. */
async function writeDirectory(target: string, files: Readonly<Record<string, string | Uint8Array>>): Promise<string[]> {
  const temp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  await mkdir(temp);
  try {
    for (const [name, data] of Object.entries(files)) await writeFile(join(temp, name), data);
    await rm(target, { recursive: true, force: true });
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { recursive: true, force: true });
    throw e;
  }
  return Object.keys(files).map((name) => join(target, name));
}
