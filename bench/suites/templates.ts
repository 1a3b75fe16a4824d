/**
 * The template gallery at ImageNet size: for every preset of every template whose dataset is
 * ImageNet, compile time (document → ONNX bytes), ONNX Runtime session creation, batch-1 latency
 * (224×224; the median of at least BENCH_TEMPLATE_RUNS runs, default 3, after one warm-up) and the
 * peak RSS of the process that did all that. Each preset runs in a fresh child process
 * (templates/preset.ts), one after the other, so peak memory is that preset's alone and one
 * preset's heap does not slow the next; a preset that fails or crashes gets rows whose note says
 * why, and the suite goes on. Sessions use 2 intra-op threads (BENCH_THREADS), as the other suites
 * do. BENCH_FILTER=<regex> runs the presets whose `template <id> <preset>` matches.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { listTemplates } from '../../templates/index.js';
import { waitForQuiet } from '../cpu.js';
import type { BenchRow } from '../types.js';
import type { PresetMeasurement } from './templates/preset.js';

const SUITE = 'templates';
const WORKER = fileURLToPath(new URL('./templates/preset.ts', import.meta.url));
const FILTER = process.env.BENCH_FILTER ? new RegExp(process.env.BENCH_FILTER) : undefined;
/** A child that takes longer than this (compile, session, warm-up and the runs) is stopped. */
const TIMEOUT_MS = Number(process.env.BENCH_TEMPLATE_TIMEOUT_S ?? 300) * 1000;
const run$ = promisify(execFile);

export async function run(): Promise<BenchRow[]> {
  const threads = Number(process.env.BENCH_THREADS ?? 2);
  const runs = Number(process.env.BENCH_TEMPLATE_RUNS ?? 3);
  const rows: BenchRow[] = [];
  for (const t of listTemplates()) {
    for (const p of t.presets) {
      if (!/imagenet/i.test(p.dataset)) continue;
      const label = `template ${t.id} ${p.name}`;
      if (FILTER && !FILTER.test(label)) continue;
      // a short wait for a quieter machine; the load seen while measuring is in the notes
      await waitForQuiet(3_000);
      const started = performance.now();
      const m = await measure(t.id, p.name, threads, runs);
      rows.push(...presetRows(label, m, threads));
      console.error(`[bench] templates: ${t.id} ${p.name} in ${((performance.now() - started) / 1000).toFixed(1)} s${m.error ? ` (failed: ${m.error})` : ''}`);
    }
  }
  return rows;
}

async function measure(template: string, preset: string, threads: number, runs: number): Promise<PresetMeasurement> {
  try {
    const { stdout } = await run$(process.execPath, ['--import', 'tsx', WORKER, template, preset, String(threads), String(runs)], {
      maxBuffer: 1 << 20,
      timeout: TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    return JSON.parse(lastLine(stdout)) as PresetMeasurement;
  } catch (e) {
    const err = e as Error & { stdout?: string; stderr?: string; killed?: boolean; signal?: string | null; code?: number | string };
    // what the child printed before it died, if anything
    let partial: PresetMeasurement | undefined;
    try {
      partial = JSON.parse(lastLine(err.stdout ?? '')) as PresetMeasurement;
    } catch {
      // nothing usable
    }
    const why = err.killed
      ? `stopped after ${TIMEOUT_MS / 1000} s`
      : err.signal
        ? `killed by ${err.signal}${err.signal === 'SIGKILL' ? ' (out of memory?)' : ''}`
        : (lastLine(err.stderr ?? '') || err.message.split('\n')[0]!);
    return { ...(partial ?? { peakRssMb: NaN, otherLoad: NaN }), error: partial?.error ?? why };
  }
}

function presetRows(label: string, m: PresetMeasurement, threads: number): BenchRow[] {
  const failed = m.error ? `failed: ${m.error}` : '';
  const join = (...parts: string[]): string => parts.filter((s) => s !== '').join('; ');
  const load = Number.isFinite(m.otherLoad) ? `other load ${(100 * m.otherLoad).toFixed(0)}%${m.otherLoad > 0.2 ? ' (noisy)' : ''}` : '';
  const size = m.modelBytes === undefined ? '' : `${(m.modelBytes / 1e6).toFixed(1)} MB model`;
  const runs = m.runsMs ?? [];
  const latency = runs.length > 0 ? median(runs) : NaN;
  const gmac = m.macs === undefined ? '' : `${(m.macs / 1e9).toFixed(1)} GMAC${Number.isFinite(latency) ? ` → ${(m.macs / 1e6 / latency).toFixed(1)} GMAC/s` : ''}`;
  const runsNote =
    runs.length > 0 ? `median of ${runs.length} after 1 warm-up (${m.firstRunMs!.toFixed(0)} ms), min ${Math.min(...runs).toFixed(1)} ms` : '';
  return [
    { suite: SUITE, name: `${label}: compile`, value: m.compileMs ?? NaN, unit: 'ms', note: join(m.compileMs === undefined ? failed : '', 'document → ONNX bytes', size) },
    { suite: SUITE, name: `${label}: session create`, value: m.sessionMs ?? NaN, unit: 'ms', note: join(m.sessionMs === undefined ? failed : '', `ORT, ${threads} intra-op threads`) },
    { suite: SUITE, name: `${label}: batch-1 latency`, value: latency, unit: 'ms', note: join(runs.length === 0 ? failed : '', runsNote, gmac, `${threads} threads`, load) },
    {
      suite: SUITE,
      name: `${label}: peak RSS`,
      value: m.peakRssMb,
      unit: 'MB',
      note: join(failed, 'max RSS of the preset’s own process (Node, tsx, compile, ORT session, runs)'),
    },
  ];
}

function lastLine(s: string): string {
  return s.trim().split('\n').at(-1) ?? '';
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
