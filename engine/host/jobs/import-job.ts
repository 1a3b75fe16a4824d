/**
 * The import job: a weights file the user chose (a PyTorch state_dict, never executed, or
 * safetensors) mapped onto the document by its template family's name table and saved as a new run
 * folder of the document (`runs/<name>-<n>/`, labelled with the file's name), which the Run panel
 * lists and profile and export read like a trained run. A file that does not fit fails the job with
 * every mismatch, and leaves no folder behind.
 */
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportReport } from '../../api/studio-api.js';
import type { Limits } from '../../core/limits/limits.js';
import { importWeights } from '../../runtime/export/import-weights.js';
import { initRunFolder, MetricsLog, readRunFolder } from '../../runtime/train/index.js';
import type { JobContext } from './job-protocol.js';

/** What the host passes on: the file it checked the user chose, and the run folder to create. */
export type ImportJobSpec = {
  readonly file: string;
  readonly outDir: string;
  /** The user's limits (defaults where absent): a document past a default limit imports once raised. */
  readonly limits?: Limits;
};

export async function runImportJob(ctx: JobContext<ImportJobSpec>): Promise<ImportReport> {
  const { file, outDir, limits } = ctx.options;
  const t = performance.now();
  try {
    const r = await importWeights(ctx.document, file, outDir, limits);
    ctx.emit({ type: 'phase', phase: 'map', ms: performance.now() - t });
    await initRunFolder(outDir, ctx.document, { importedFrom: file, weightsFormat: r.format }, `Imported ${basename(file)}`);
    // a run that ended without a word lists as interrupted; this one is whole, with no epoch trained
    await MetricsLog.in(outDir).append({ type: 'done', epochs: 0, steps: 0, testAccuracy: 0, firingRates: {}, seconds: (performance.now() - t) / 1000, cancelled: false, checkpoint: r.checkpoint });
    const m = r.mapping;
    return {
      run: (await readRunFolder(outDir)).summary,
      file,
      format: r.format,
      ...(r.under === undefined ? {} : { under: r.under }),
      mapped: m.values.size,
      renamed: m.renamed,
      reshaped: m.reshaped.map(([name, shape]) => [name, [...shape]]),
      ignored: m.ignored,
    };
  } catch (e) {
    // the folder is this job's own (a fresh run name): nothing the user made is removed
    await rm(outDir, { recursive: true, force: true });
    throw e;
  }
}
