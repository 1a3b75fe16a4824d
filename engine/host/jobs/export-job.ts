/**
 * The export job. ONNX: the inference model (weights as initializers, metadata for T, encoder and
 * normalisation) written atomically to the path the user chose, with a run's trained weights or the
 * document's seeded ones; then the written file is read back into a fresh ONNX Runtime session and
 * its predictions on test samples are checked against the training engine's. PyTorch and NIR: the
 * same weights through `exportModel` (the export lint refuses a document the format cannot hold,
 * before anything is written), reported file by file with sizes. The host checked the path and
 * resolved the run's checkpoint before starting the job; the worker only writes where it was told.
 */
import { readFile, stat } from 'node:fs/promises';
import type { ExportFilesResult, ExportOptions, ExportResult } from '../../api/studio-api.js';
import type { Limits } from '../../core/limits/limits.js';
import { writeFileAtomic } from '../../runtime/checkpoint/atomic-write.js';
import { compileInference } from '../../runtime/compile.js';
import { exportModel } from '../../runtime/export/export-model.js';
import { verifyExport } from '../../runtime/export/verify-export.js';
import { readTrainedParams } from '../../runtime/train/index.js';
import { throwIfCancelled, type JobContext } from './job-protocol.js';

/** What the host passes on: the user's choices, with the run resolved to its checkpoint and dataset. */
export type ExportJobSpec = Omit<ExportOptions, 'documentPath' | 'run'> & {
  readonly checkpoint: string | null;
  /** The dataset the reload check reads test samples from (the run's, or the document's). */
  readonly dataset: string;
  /** The user's limits (defaults where absent). */
  readonly limits?: Limits;
};

export async function runExportJob(ctx: JobContext<ExportJobSpec>): Promise<ExportResult | ExportFilesResult> {
  const { format = 'onnx', path, batch = 1, seed, checkpoint, dataset, verifySamples = 32, limits } = ctx.options;
  const limited = limits ? { limits } : {};
  let t = performance.now();
  const trained = checkpoint === null ? undefined : await readTrainedParams(checkpoint, ctx.document, limits);
  if (format !== 'onnx') {
    const written = await exportModel({ doc: ctx.document, format, out: path, ...(trained ? { params: trained } : {}), ...(seed === undefined ? {} : { seed }), ...limited });
    ctx.emit({ type: 'phase', phase: 'write', ms: performance.now() - t });
    const files = await Promise.all(written.files.map(async (f) => ({ path: f, bytes: (await stat(f)).size })));
    return { format, path, files, checkpoint };
  }
  const compiled = compileInference(ctx.document, { batch, ...(seed === undefined ? {} : { seed }), ...(trained ? { params: trained } : {}), ...limited });
  ctx.emit({ type: 'phase', phase: 'compile', ms: performance.now() - t });
  throwIfCancelled(ctx.signal);
  t = performance.now();
  await writeFileAtomic(path, compiled.bytes);
  ctx.emit({ type: 'phase', phase: 'write', ms: performance.now() - t });
  throwIfCancelled(ctx.signal);
  let verified: ExportResult['verified'] = null;
  if (verifySamples > 0) {
    t = performance.now();
    // the file as written, not the bytes in memory: what a consumer of the export loads
    verified = await verifyExport(ctx.document, new Uint8Array(await readFile(path)), trained ?? compiled.params, { dataset, samples: verifySamples, batch, ...limited });
    ctx.emit({ type: 'phase', phase: 'verify', ms: performance.now() - t });
  }
  return { path, bytes: compiled.bytes.length, inputShape: [...compiled.inputShape], outputShape: [...compiled.outputShape], checkpoint, verified };
}
