/**
 * `importWeights`: a weights file — the engine's own safetensors (a checkpoint's tensors, a PyTorch
 * export's weights.safetensors) or a PyTorch `state_dict` (.pth/.pt, read by the restricted
 * unpickler; nothing is executed) — mapped onto a document by its template family's name table and
 * saved as a checkpoint of a run folder (`epoch-0000.json`), which compile, eval, profile, export
 * and a fine-tuning run read like any other. Every mismatch is listed; the import refuses unless
 * every document tensor is filled and every file tensor used or ignored by a stated rule.
 */
import type { GraphDocument } from '../../core/document/schema.js';
import { nameTable } from '../../core/export/import/name-tables.js';
import { isComplete, mappingProblems, mapWeights, type Mapped } from '../../core/export/import/map-weights.js';
import { readTorchFile, TorchFileError } from '../../core/export/import/torch-file.js';
import { analyseDocument } from '../../core/graph/infer.js';
import type { Limits } from '../../core/limits/limits.js';
import { ProblemsError } from '../../core/problems.js';
import { CheckpointError } from '../checkpoint/checkpoint-error.js';
import { decodeSafetensors } from '../checkpoint/safetensors.js';
import { readRegularFile } from '../read-regular.js';
import { saveRunCheckpoint } from '../train/checkpoints.js';
import { resolveTrainOptions } from '../train/options.js';
import { documentWeights } from './weights.js';

/** A state_dict of the largest template is about 270 MB in float32; float64 files twice that. */
const MAX_WEIGHTS_BYTES = 2 * 1024 ** 3;

export interface ImportResult {
  /** The checkpoint written (its .json). */
  readonly checkpoint: string;
  readonly format: 'pytorch' | 'safetensors';
  /** The wrapping key the state_dict was found under (`model`, …), if any. */
  readonly under?: string;
  readonly mapping: Mapped;
}

export async function importWeights(doc: GraphDocument, file: string, outDir: string, limits?: Limits): Promise<ImportResult> {
  const analysis = analyseDocument(doc, undefined, limits);
  if (!analysis.ok) throw new ProblemsError(analysis.problems);
  const bytes = new Uint8Array(await readRegularFile(file, MAX_WEIGHTS_BYTES, 'weights file'));
  const { tensors, format, under } = decodeWeights(file, bytes);
  const expected = new Map([...documentWeights(doc, analysis)].map(([name, t]) => [name, t.shape]));
  const template = typeof doc.meta?.template === 'string' ? doc.meta.template : undefined;
  const mapping = mapWeights(nameTable(template), tensors, expected);
  if (!isComplete(mapping)) throw new CheckpointError(file, `does not fit "${doc.name}"${template ? ` (template ${template})` : ''}:\n${mappingProblems(mapping).join('\n')}`);
  const run = new Map([...mapping.values].map(([name, data]) => [name, { shape: expected.get(name)!, data }]));
  const options = resolveTrainOptions(doc, {});
  const checkpoint = await saveRunCheckpoint(outDir, doc, { epoch: 0, step: 0, seed: options.seed }, run, options.optimizer, {});
  return { checkpoint, format, ...(under === undefined ? {} : { under }), mapping };
}

function decodeWeights(file: string, bytes: Uint8Array): { tensors: Map<string, { shape: readonly number[]; data: Float32Array }>; format: 'pytorch' | 'safetensors'; under?: string } {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    try {
      const sd = readTorchFile(file, bytes);
      return { tensors: sd.tensors, format: 'pytorch', ...(sd.under === undefined ? {} : { under: sd.under }) };
    } catch (e) {
      if (e instanceof TorchFileError) throw new CheckpointError(file, e.message.slice(file.length + 2));
      throw e;
    }
  }
  if (bytes.length >= 9 && bytes[8] === 0x7b) {
    const st = decodeSafetensors(file, bytes);
    const tensors = new Map([...st.tensors].map(([name, t]) => [name, { shape: t.shape, data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number | bigint>, Number) }]));
    return { tensors, format: 'safetensors' };
  }
  try {
    return { tensors: readTorchFile(file, bytes).tensors, format: 'pytorch' };
  } catch (e) {
    if (e instanceof TorchFileError) throw new CheckpointError(file, `${e.message.slice(file.length + 2)}; nor is it a safetensors file`);
    throw e;
  }
}
