/**
 * A training run as files a user keeps: `runs/<name>-<n>/` beside the document, holding
 *
 *   run.json          label, when it started, the hash of the document it trains
 *   document.snn.json the document snapshot the run trains (later edits do not touch it)
 *   settings.json     the training settings in force (document's block + the run's overrides)
 *   metrics.jsonl     every TrainEvent, one JSON object per line, appended as the run goes
 *   epoch-0001.*      checkpoints (and `step-…` where a run was stopped mid-epoch)
 *
 * The CLI's `train --out` and the app's runs write this same layout, so either opens the other's.
 */
import { appendFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { trainEventSchema, type TrainEvent } from '../../api/train-events.js';
import type { RunRecord, RunStatus, RunSummary } from '../../api/runs.js';
import type { GraphDocument } from '../../core/document/schema.js';
import { listCheckpoints } from '../checkpoint/index.js';
import { writeFileAtomic } from '../checkpoint/atomic-write.js';
import { documentHash } from '../hash.js';

export const RUN_FILES = { run: 'run.json', document: 'document.snn.json', settings: 'settings.json', metrics: 'metrics.jsonl' } as const;

const SETTINGS_FORMAT = 'snn-studio/run-settings';

const runInfoSchema = z.object({
  format: z.literal('snn-studio/run'),
  label: z.string(),
  createdAt: z.string(),
  documentHash: z.string(),
});
type RunInfo = z.infer<typeof runInfoSchema>;

/** A run folder's name from a document name: `Spikformer tiny` → `spikformer-tiny`. */
export function runSlug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[-.]+|-+$/g, '')
      .slice(0, 80) || 'run'
  );
}

/** The next free `<runsDir>/<base>-<n>`: one more than the highest n already there. */
export async function nextRunDir(runsDir: string, base: string): Promise<string> {
  return join(runsDir, `${runSlug(base)}-${(await highestRunNumber(runsDir, base)) + 1}`);
}

/** The highest-numbered `<runsDir>/<base>-<n>`, or undefined when there is none (what a bare `--resume` continues). */
export async function latestRunDir(runsDir: string, base: string): Promise<string | undefined> {
  const n = await highestRunNumber(runsDir, base);
  return n >= 1 ? join(runsDir, `${runSlug(base)}-${n}`) : undefined;
}

/** The largest n of the `<base>-<n>` folders in `runsDir` (0 when there are none). */
async function highestRunNumber(runsDir: string, base: string): Promise<number> {
  const slug = runSlug(base);
  const taken = await readdir(runsDir).catch(() => [] as string[]);
  const pattern = new RegExp(`^${slug.replace(/[.]/g, '\\.')}-(\\d+)$`);
  return Math.max(0, ...taken.map((f) => Number(pattern.exec(f)?.[1] ?? 0)));
}

/**
 * Writes run.json, the document snapshot and the settings of a new run (a resumed run keeps the
 * ones it started with, so its metrics stay tied to the document they came from).
 */
export async function initRunFolder(dir: string, doc: GraphDocument, settings: Record<string, unknown>, label?: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const info: RunInfo = { format: 'snn-studio/run', label: label ?? dir.split(/[\\/]/).at(-1)!, createdAt: new Date().toISOString(), documentHash: documentHash(doc) };
  await writeFileAtomic(join(dir, RUN_FILES.document), new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`));
  // every json here names its format, so no reader takes it for a damaged checkpoint
  await writeFileAtomic(join(dir, RUN_FILES.settings), new TextEncoder().encode(`${JSON.stringify({ format: SETTINGS_FORMAT, ...settings }, null, 2)}\n`));
  await writeFileAtomic(join(dir, RUN_FILES.run), new TextEncoder().encode(`${JSON.stringify(info, null, 2)}\n`));
  // a new run in a folder used before starts a new log
  await writeFile(join(dir, RUN_FILES.metrics), '');
}

/** Appends events to metrics.jsonl, in order, one line each (NaN and ±Infinity are written as null). */
export class MetricsLog {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  static in(dir: string): MetricsLog {
    return new MetricsLog(join(dir, RUN_FILES.metrics));
  }

  /** A run that failed before its folder was made (data that does not fit the model) has no log to write. */
  append(event: TrainEvent): Promise<void> {
    const line = `${JSON.stringify(event)}\n`;
    this.tail = this.tail.then(() =>
      appendFile(this.path, line).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      }),
    );
    return this.tail;
  }
}

/** Whether `dir` is a run folder (it has run.json): only such folders are listed, renamed or deleted. */
export async function isRunFolder(dir: string): Promise<boolean> {
  return (await stat(join(dir, RUN_FILES.run)).catch(() => null))?.isFile() ?? false;
}

/** The run folders of `runsDir`, newest first; a folder without run.json is not a run and is skipped. */
export async function listRunFolders(runsDir: string, running: ReadonlySet<string> = new Set()): Promise<RunSummary[]> {
  const names = await readdir(runsDir).catch(() => [] as string[]);
  const out: RunSummary[] = [];
  for (const name of names) {
    const dir = join(runsDir, name);
    if (!(await isRunFolder(dir))) continue;
    out.push((await readRunFolder(dir, running.has(dir))).summary);
  }
  return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** Everything a run folder holds; a metrics line that is not a TrainEvent (a torn last line after a crash) ends the read. */
export async function readRunFolder(dir: string, running = false): Promise<RunRecord> {
  const info = runInfoSchema.parse(JSON.parse(await readFile(join(dir, RUN_FILES.run), 'utf8')));
  const { format: _, ...settings } = JSON.parse(await readFile(join(dir, RUN_FILES.settings), 'utf8').catch(() => '{}')) as Record<string, unknown>;
  const document = JSON.parse(await readFile(join(dir, RUN_FILES.document), 'utf8').catch(() => 'null')) as unknown;
  const events = parseMetrics(await readFile(join(dir, RUN_FILES.metrics), 'utf8').catch(() => ''));
  const checkpoints = await listCheckpoints(dir).catch(() => []);
  const name = dir.split(/[\\/]/).at(-1)!;
  return { summary: summarizeRun(name, dir, info, events, checkpoints.at(-1)?.jsonPath ?? null, running, settings), settings, events, document };
}

export function parseMetrics(text: string): TrainEvent[] {
  const events: TrainEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      break;
    }
    const parsed = trainEventSchema.safeParse(value);
    if (!parsed.success) break;
    events.push(parsed.data);
  }
  return events;
}

/** A run's list entry, from its events: the last word decides how it ended. */
export function summarizeRun(
  name: string,
  dir: string,
  info: RunInfo,
  events: readonly TrainEvent[],
  latestCheckpoint: string | null,
  running: boolean,
  settings: Record<string, unknown> = {},
): RunSummary {
  let epochs = 0;
  let steps = 0;
  let plannedEpochs = typeof settings['epochs'] === 'number' ? settings['epochs'] : 0;
  let testAccuracy: number | null = null;
  let best: number | null = null;
  let status: RunStatus = running ? 'running' : 'interrupted';
  let error: string | undefined;
  for (const e of events) {
    if (e.type === 'start') plannedEpochs = e.epochs;
    else if (e.type === 'step') steps = e.step;
    else if (e.type === 'epoch') {
      epochs = e.epoch;
      steps = e.step;
      testAccuracy = e.testAccuracy;
      best = Math.max(best ?? 0, e.testAccuracy);
    }
  }
  const last = events.at(-1);
  if (!running && last?.type === 'done') status = last.cancelled ? 'stopped' : 'finished';
  if (!running && last?.type === 'error') {
    status = 'failed';
    error = last.message;
  }
  return {
    name,
    label: info.label,
    path: dir,
    createdAt: info.createdAt,
    status,
    epochs,
    plannedEpochs,
    steps,
    testAccuracy,
    bestTestAccuracy: best,
    latestCheckpoint,
    documentHash: info.documentHash,
    ...(error === undefined ? {} : { error }),
  };
}

export async function relabelRunFolder(dir: string, label: string): Promise<void> {
  const path = join(dir, RUN_FILES.run);
  const info = runInfoSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  await writeFileAtomic(path, new TextEncoder().encode(`${JSON.stringify({ ...info, label }, null, 2)}\n`));
}

/** Deletes a run folder, and nothing that is not one. */
export async function deleteRunFolder(dir: string): Promise<boolean> {
  if (!(await isRunFolder(dir))) return false;
  await rm(dir, { recursive: true, force: true });
  return true;
}
