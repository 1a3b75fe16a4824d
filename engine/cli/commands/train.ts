/**
 * `snn-studio train <doc> [--data D] [--epochs N] [--batch B] [--lr X] [--optimizer O] [--schedule S]
 * [--warmup E] [--seed S] [--threads K] [--out DIR] [--resume] [--json]`: trains on ONNX Runtime.
 * A progress bar (loss, accuracy, images/s, ETA) goes to stderr; each epoch's test accuracy and
 * firing rates to stdout — or, with --json, one JSON event per line on stdout. <doc> is a
 * document file or a template id (`lif-cnn`, `spikformer:tiny`).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTemplate, parseTemplateRef, UnknownTemplateError } from '../../../templates/index.js';
import type { GraphDocument } from '../../core/document/schema.js';
import type { LossSpec } from '../../core/train/loss.js';
import type { OptimizerName } from '../../core/train/optimizer.js';
import type { ScheduleSpec } from '../../core/train/schedule.js';
import { latestRunDir, nextRunDir, train, type TrainEvent, type TrainOptions } from '../../runtime/train/index.js';
import { CliError, err, LIMIT_OPTION, limitsFrom, out, readDocument } from '../io.js';

const USAGE =
  'usage: snn-studio train <doc.snn.json | template[:preset]> [--data digits] [--epochs N] [--batch B] [--lr X] ' +
  '[--optimizer sgd|adam|adamw|lamb] [--schedule constant|cosine|step] [--warmup E] [--weight-decay W] [--loss ce|tet|mse_rate] ' +
  '[--label-smoothing E] [--clip N] [--seed S] [--threads K] [--out runs/<name>-<n>] [--resume] [--max-steps N] [--json] [--limit name=value]';

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      epochs: { type: 'string' },
      batch: { type: 'string' },
      lr: { type: 'string' },
      optimizer: { type: 'string' },
      schedule: { type: 'string' },
      warmup: { type: 'string' },
      'weight-decay': { type: 'string' },
      loss: { type: 'string' },
      'label-smoothing': { type: 'string' },
      clip: { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      out: { type: 'string', short: 'o' },
      resume: { type: 'boolean' },
      'max-steps': { type: 'string' },
      json: { type: 'boolean' },
      ...LIMIT_OPTION,
    },
  });
  const target = positionals[0];
  if (!target) throw new CliError(USAGE, 2);
  const doc = resolveDocument(target);
  const options: TrainOptions = {
    ...(values.data === undefined ? {} : { dataset: values.data }),
    ...opt(values.epochs, (s) => ({ epochs: int(s, '--epochs') })),
    ...opt(values.batch, (s) => ({ batchSize: int(s, '--batch') })),
    ...opt(values.lr, (s) => ({ lr: num(s, '--lr') })),
    ...opt(values.optimizer, (s) => ({ optimizer: oneOf<OptimizerName>(s, ['sgd', 'adam', 'adamw', 'lamb'], '--optimizer') })),
    ...opt(values.schedule, (s) => ({ schedule: oneOf<ScheduleSpec['kind']>(s, ['constant', 'cosine', 'step'], '--schedule') })),
    ...opt(values.warmup, (s) => ({ warmupEpochs: num(s, '--warmup') })),
    ...opt(values['weight-decay'], (s) => ({ weightDecay: num(s, '--weight-decay') })),
    ...opt(values.loss, (s) => ({ loss: oneOf<LossSpec['kind']>(s, ['ce', 'tet', 'mse_rate'], '--loss') })),
    ...opt(values['label-smoothing'], (s) => ({ labelSmoothing: num(s, '--label-smoothing') })),
    ...opt(values.clip, (s) => ({ gradClip: num(s, '--clip') })),
    ...opt(values.seed, (s) => ({ seed: int(s, '--seed', true) })),
    ...opt(values.threads, (s) => ({ threads: int(s, '--threads') })),
    ...opt(values['max-steps'], (s) => ({ maxStepsPerEpoch: int(s, '--max-steps') })),
    outDir: values.out ?? (await defaultRunDir(target, doc, values.resume ?? false)),
    resume: values.resume ?? false,
    ...(values.limit ? { limits: limitsFrom(values.limit) } : {}),
  };
  const job = train(doc, options);
  const stop = () => job.cancel();
  process.once('SIGINT', stop);
  const view = new ProgressView(values.json ?? false);
  let cancelled = false;
  try {
    for await (const e of job) {
      // a resume that finds nothing to resume says so: it never starts over silently
      if (e.type === 'start' && options.resume && e.resumedAtEpoch === undefined && e.resumedAtBatch === undefined) {
        err(`--resume: ${options.outDir} holds no checkpoint; training starts at epoch 1`);
      }
      view.show(e);
      if (e.type === 'done') cancelled = e.cancelled;
    }
  } finally {
    process.off('SIGINT', stop);
    view.clear();
  }
  return cancelled ? 130 : 0;
}

/** A document file, or a template id with an optional preset and options (`spikformer:tiny`, `qkformer:tiny+releasedCode`). */
export function resolveDocument(arg: string): GraphDocument {
  // a path (a separator, or a .json name) is a file even when it is missing: say so, not "unknown template"
  if (existsSync(arg) || /[\\/]|\.json$/i.test(arg)) return readDocument(arg);
  const { id, preset, options } = parseTemplateRef(arg);
  try {
    return buildTemplate(id, preset, options);
  } catch (e) {
    if (e instanceof UnknownTemplateError) throw new CliError(`${arg}: no such file, and ${e.message}`, 2);
    throw e;
  }
}

/** Renders events: JSON lines, or a progress bar on stderr and epoch summaries on stdout. */
class ProgressView {
  private lastLine = 0;
  private barShown = false;
  private readonly tty = process.stderr.isTTY === true;
  private stepsPerEpoch = 0;
  private epochs = 0;

  constructor(private readonly json: boolean) {}

  show(e: TrainEvent): void {
    if (e.type === 'start') {
      this.stepsPerEpoch = e.stepsPerEpoch;
      this.epochs = e.epochs;
    }
    if (this.json) {
      out(JSON.stringify(e));
      if (e.type === 'step' && this.tty) this.bar(e);
      return;
    }
    switch (e.type) {
      case 'start':
        out(
          `training on ${e.dataset} (${e.trainSamples} train / ${e.testSamples} test): ${e.parameters.toLocaleString('en-US')} parameters, ` +
            `${e.epochs} epochs × ${e.stepsPerEpoch} steps of ${e.batchSize}, ${e.threads} thread${e.threads === 1 ? '' : 's'}` +
            (e.resumedAtEpoch ? `, resumed after epoch ${e.resumedAtEpoch}` : ''),
        );
        break;
      case 'step':
        this.bar(e);
        break;
      case 'epoch': {
        this.clear();
        const rates = Object.entries(e.firingRates)
          .map(([k, v]) => `${k} ${(100 * v).toFixed(1)}%`)
          .join(', ');
        out(
          `epoch ${e.epoch}/${this.epochs}: train loss ${e.trainLoss.toFixed(4)} acc ${pct(e.trainAccuracy)} | test loss ${e.testLoss.toFixed(4)} acc ${pct(e.testAccuracy)} | ` +
            `${e.imagesPerSecond.toFixed(0)} img/s, ${e.seconds.toFixed(1)} s`,
        );
        if (rates) out(`  firing rates: ${rates}`);
        if (e.checkpoint) out(`  checkpoint: ${e.checkpoint}`);
        break;
      }
      case 'done':
        this.clear();
        out(`${e.cancelled ? 'cancelled' : 'done'} after ${e.epochs} epochs (${e.steps} steps, ${e.seconds.toFixed(1)} s): test accuracy ${pct(e.testAccuracy)}`);
        break;
    }
  }

  clear(): void {
    if (this.barShown && this.tty) process.stderr.write('\r\x1b[K');
    this.barShown = false;
  }

  private bar(e: Extract<TrainEvent, { type: 'step' }>): void {
    const now = performance.now();
    // a terminal gets a live bar; a log (CI) gets a line every few seconds
    if (!this.tty && now - this.lastLine < 5000 && e.batch + 1 !== this.stepsPerEpoch) return;
    this.lastLine = now;
    const width = 24;
    const done = Math.round(((e.batch + 1) / Math.max(1, this.stepsPerEpoch)) * width);
    const text =
      `epoch ${e.epoch + 1}/${this.epochs} [${'#'.repeat(done)}${'-'.repeat(width - done)}] ${e.batch + 1}/${this.stepsPerEpoch} ` +
      `loss ${e.loss.toFixed(4)} acc ${pct(e.accuracy)} ${e.imagesPerSecond.toFixed(0)} img/s ETA ${duration(e.etaSeconds)}`;
    if (this.tty) process.stderr.write(`\r\x1b[K${text}`);
    else err(text);
    this.barShown = true;
  }
}

function pct(f: number): string {
  return `${(100 * f).toFixed(2)}%`;
}

function duration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.round(s)}s`;
}

/**
 * Where a run goes without --out: `runs/<name>-<n>` beside the document file (or in the working
 * folder for a template), the layout the app lists, so a CLI run shows up in the app's run list.
 * `--resume` continues the latest of them.
 */
async function defaultRunDir(target: string, doc: GraphDocument, resume: boolean): Promise<string> {
  const runsDir = join(existsSync(target) ? dirname(resolve(target)) : process.cwd(), 'runs');
  if (!resume) return nextRunDir(runsDir, doc.name);
  const latest = await latestRunDir(runsDir, doc.name);
  if (latest === undefined) throw new CliError(`--resume: there is no run of "${doc.name}" in ${runsDir}; name one with --out`, 2);
  return latest;
}

function opt<T>(v: string | undefined, f: (s: string) => T): T | Record<string, never> {
  return v === undefined ? {} : f(v);
}

export function int(s: string, flag: string, allowZero = false): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new CliError(`${flag} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got "${s}"`, 2);
  return n;
}

function num(s: string, flag: string): number {
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`${flag} must be a non-negative number, got "${s}"`, 2);
  return n;
}

function oneOf<T extends string>(s: string, options: readonly T[], flag: string): T {
  if (!(options as readonly string[]).includes(s)) throw new CliError(`${flag} must be one of ${options.join(', ')}, got "${s}"`, 2);
  return s as T;
}
