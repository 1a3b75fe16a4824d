/**
 * The export job: the inference model (weights as initializers, metadata for T, encoder and
 * normalisation) written atomically to the path the user chose. The host checked that choice before
 * starting the job; the worker only writes where it was told.
 */
import type { ExportOptions } from '../../api/studio-api.js';
import { writeFileAtomic } from '../../runtime/checkpoint/atomic-write.js';
import { compileInference } from '../../runtime/compile.js';
import { throwIfCancelled, type JobContext } from './job-protocol.js';

export async function runExportJob(ctx: JobContext<ExportOptions>): Promise<Record<string, unknown>> {
  const { path, batch = 1, seed } = ctx.options;
  let t = performance.now();
  const compiled = compileInference(ctx.document, { batch, ...(seed === undefined ? {} : { seed }) });
  ctx.emit({ type: 'phase', phase: 'compile', ms: performance.now() - t });
  throwIfCancelled(ctx.signal);
  t = performance.now();
  await writeFileAtomic(path, compiled.bytes);
  ctx.emit({ type: 'phase', phase: 'write', ms: performance.now() - t });
  return { path, bytes: compiled.bytes.length, inputShape: [...compiled.inputShape], outputShape: [...compiled.outputShape] };
}
