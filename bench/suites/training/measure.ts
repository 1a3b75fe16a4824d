/**
 * One training-step measurement in a child process, ours (probe.ts) or PyTorch's
 * (bench/peers/torch_train.py), for the training and scaling suites. A process per measurement
 * keeps each peak RSS to one model and keeps the two sides from competing for cores.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run$ = promisify(execFile);
const PROBE = fileURLToPath(new URL('./probe.ts', import.meta.url));
const PEER = fileURLToPath(new URL('../../peers/torch_train.py', import.meta.url));
export const PYTHON = process.env.TORCH_REF_PYTHON ?? '/usr/bin/python3';

export interface Measured {
  msPerStep: number;
  imagesPerSecond: number;
  peakRssMb: number;
  /** Share of the machine other processes used during our timed steps (probe only). */
  otherLoad?: number;
  compileMs?: number;
  /** The step's matrix-product and convolution work, GMAC (probe only). */
  denseGmac?: number;
}

export type PeerResult = { ok: true; m: Measured; version: string } | { ok: false; why: string };

export interface StepArgs {
  readonly model: 'cnn' | 'spikformer';
  readonly threads: number;
  readonly steps: number;
  readonly warmup: number;
  /** Options both sides take with the same names (--flavour, --layers, --dim, --heads, --T, --batch). */
  readonly options?: Readonly<Record<string, string | number>>;
  /** Kills the child after this long (0 or undefined: no limit). */
  readonly timeoutMs?: number;
}

const flags = (options: StepArgs['options']): string[] => Object.entries(options ?? {}).flatMap(([k, v]) => [`--${k}`, String(v)]);

export async function probeStep(a: StepArgs): Promise<Measured> {
  const { stdout } = await run$(process.execPath, ['--import', 'tsx', PROBE, a.model, String(a.threads), String(a.steps), String(a.warmup), ...flags(a.options)], {
    maxBuffer: 1 << 20,
    timeout: a.timeoutMs ?? 0,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Measured;
}

export async function torchStep(a: StepArgs): Promise<PeerResult> {
  try {
    const { stdout } = await run$(
      PYTHON,
      [PEER, '--model', a.model, '--threads', String(a.threads), '--steps', String(a.steps), '--warmup', String(a.warmup), ...flags(a.options)],
      { maxBuffer: 1 << 20, timeout: a.timeoutMs ?? 0 },
    );
    const r = JSON.parse(stdout.trim()) as { ms_per_step: number; images_per_s: number; peak_rss_mb: number; torch: string };
    return { ok: true, m: { msPerStep: r.ms_per_step, imagesPerSecond: r.images_per_s, peakRssMb: r.peak_rss_mb }, version: r.torch };
  } catch (e) {
    return { ok: false, why: `no PyTorch peer (${PYTHON}: ${(e as Error).message.split('\n')[0]})` };
  }
}

/** The faster of two runs (time from one, peak memory the lower too). */
export function best(a: Measured | undefined, b: Measured): Measured {
  if (!a) return b;
  return { ...(a.msPerStep <= b.msPerStep ? a : b), peakRssMb: Math.min(a.peakRssMb, b.peakRssMb) };
}
