/**
 * `snn-studio profile <doc | template[:preset]> [--checkpoint C] [--data D] [--samples N] [--batch B]
 * [--convention paper|syops|neurobench] [--mac-pj X] [--ac-pj Y] [--threads K]
 * [--sample S] [--membrane NODE [--neurons I,J,...]] [--json | --csv]`:
 * firing rates, synaptic operations, energy and time per node, measured on test samples; the spike
 * rasters and a neuron layer's membrane trace of one of those samples.
 */
import { parseArgs } from 'node:util';
import { analyseDocument } from '../../core/graph/infer.js';
import { CONVENTION_NOTES, CONVENTIONS, DEFAULT_COSTS, type Convention } from '../../core/profile/conventions.js';
import { meanRate, profileCsv } from '../../core/profile/export.js';
import type { Profile } from '../../core/profile/profile.js';
import { BatchLoader } from '../../runtime/data/index.js';
import { membraneCsv, type MembraneTrace } from '../../runtime/profile/membrane.js';
import { profileRun, type ProfileRun } from '../../runtime/profile/profile-run.js';
import { CliError, err, out, problemsText } from '../io.js';
import { checkpointParams } from './compile.js';
import { int, resolveDocument } from './train.js';

const USAGE =
  'usage: snn-studio profile <doc.snn.json | template[:preset]> [--checkpoint ckpt.json] [--data D] [--samples 256] [--batch 32] ' +
  '[--convention paper|syops|neurobench] [--mac-pj 4.6] [--ac-pj 0.9] [--threads K] ' +
  '[--sample 0] [--membrane <node> [--neurons i,j,...]] [--json | --csv]';

export async function run(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      checkpoint: { type: 'string', short: 'c' },
      data: { type: 'string' },
      samples: { type: 'string' },
      batch: { type: 'string' },
      convention: { type: 'string' },
      'mac-pj': { type: 'string' },
      'ac-pj': { type: 'string' },
      threads: { type: 'string' },
      sample: { type: 'string' },
      membrane: { type: 'string' },
      neurons: { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
    },
  });
  const target = positionals[0];
  if (!target) throw new CliError(USAGE, 2);
  if (values.json && values.csv) throw new CliError('--json and --csv: choose one', 2);
  const convention = (values.convention ?? 'paper') as Convention;
  if (!CONVENTIONS.includes(convention)) throw new CliError(`--convention must be one of ${CONVENTIONS.join(', ')}, got "${values.convention}"`, 2);
  const costs = { macPj: energy(values['mac-pj'], '--mac-pj', DEFAULT_COSTS.macPj), acPj: energy(values['ac-pj'], '--ac-pj', DEFAULT_COSTS.acPj) };
  const samples = values.samples === undefined ? 256 : int(values.samples, '--samples');
  const batch = Math.min(samples, values.batch === undefined ? 32 : int(values.batch, '--batch'));
  const sample = values.sample === undefined ? 0 : nonNegative(values.sample, '--sample');
  if (sample >= samples) throw new CliError(`--sample ${sample}: only ${samples} samples are profiled (--samples), so 0 to ${samples - 1}`, 2);
  if (values.neurons !== undefined && values.membrane === undefined) throw new CliError('--neurons picks the neurons of --membrane <node>: give the node too', 2);
  const membrane =
    values.membrane === undefined ? undefined : { node: values.membrane, ...(values.neurons === undefined ? {} : { neurons: values.neurons.split(',').map((n) => nonNegative(n.trim(), '--neurons')) }) };

  const doc = resolveDocument(target);
  const analysis = analyseDocument(doc);
  if (!analysis.ok) {
    err(problemsText(target, analysis.problems));
    return 1;
  }
  const params = values.checkpoint === undefined ? undefined : await checkpointParams(values.checkpoint, doc);
  const dataset = values.data ?? doc.training?.dataset ?? 'digits';
  const normalize = doc.input.normalize ? { augment: { normalize: { mean: [...doc.input.normalize.mean], std: [...doc.input.normalize.std] } } } : {};
  const loader = await BatchLoader.open({ dataset, split: 'test', plan: { batchSize: batch, seed: 0, shuffle: false, ...normalize } }).catch((e: Error) => {
    throw new CliError(`--data ${dataset}: ${e.message}`);
  });
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  const progress = process.stderr.isTTY === true && !values.json && !values.csv;
  let result: ProfileRun;
  try {
    result = await profileRun(doc, loader.epoch(0), {
      batch,
      samples,
      costs,
      signal: abort.signal,
      sample,
      ...(membrane ? { membrane } : {}),
      ...(params ? { params } : {}),
      ...(values.threads === undefined ? {} : { threads: int(values.threads, '--threads') }),
      ...(progress ? { onProgress: (done: number, total: number) => process.stderr.write(`\rprofiling ${done}/${Math.min(total, loader.info.length)} samples`) } : {}),
    });
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('membrane: ')) throw new CliError(`--membrane ${e.message.slice('membrane: '.length)}`, 2);
    if (abort.signal.aborted) {
      err('\nprofile cancelled');
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', stop);
    if (progress) process.stderr.write('\r\x1b[K');
    await loader.close();
  }

  const source = { dataset: loader.info.name, checkpoint: values.checkpoint ?? null };
  if (values.json) out(JSON.stringify({ event: 'profile', document: doc.name, ...source, convention, ...result }));
  else if (values.csv) process.stdout.write(result.membrane ? membraneCsv(result.membrane) : profileCsv(result.profile));
  else {
    printProfile(result, convention, source);
    if (result.membrane) printTrace(result.membrane, result.sample);
  }
  return 0;
}

function nonNegative(s: string, flag: string): number {
  const n = Number(s);
  if (s === '' || !Number.isInteger(n) || n < 0) throw new CliError(`${flag} must be a whole number ≥ 0, got "${s}"`, 2);
  return n;
}

/** The trace as a table: a column per neuron, a row per step, '*' where it fired. */
function printTrace(m: MembraneTrace, sample: number): void {
  out();
  const theta = m.thresholds ? 'a moving threshold θ + A[t] (in brackets)' : `threshold ${m.threshold}`;
  out(wrap(`Membrane of ${m.node} (${m.neurons} neurons) on sample ${sample}: the charge H after charge, before reset; ${theta}; * fired.`));
  const rows = [['t', ...m.shown.map((i) => `n${i}`)]];
  m.membrane.forEach((step, t) =>
    rows.push([String(t), ...step.map((h, k) => `${h.toPrecision(4)}${m.thresholds ? ` [${m.thresholds[t]![k]!.toPrecision(3)}]` : ''}${m.spikes[t]![k] ? '*' : ' '}`)]),
  );
  out(columns(rows, new Set(m.shown.map((_, k) => k + 1))));
}

function energy(s: string | undefined, flag: string, fallback: number): number {
  if (s === undefined) return fallback;
  const x = Number(s);
  if (!Number.isFinite(x) || x < 0) throw new CliError(`${flag} must be a non-negative number of picojoules, got "${s}"`, 2);
  return x;
}

function printProfile(r: ProfileRun, convention: Convention, source: { dataset: string; checkpoint: string | null }): void {
  const p = r.profile;
  const weights = source.checkpoint ? `weights from ${source.checkpoint}` : `seeded weights (seed ${r.seed}): no checkpoint given, so the rates are an untrained model's`;
  out(wrap(`${p.name} — ${r.samples} test samples of ${source.dataset}, batch ${r.batch}, T=${p.timeSteps}; ${weights}.`));
  if (r.accuracy !== undefined) out(`accuracy on these samples: ${(100 * r.accuracy).toFixed(2)} %`);
  out();
  out(nodeTable(p, convention));
  out();
  out(totalsTable(p));
  for (const c of CONVENTIONS) out(wrap(`${c}: ${CONVENTION_NOTES[c]}.`, '  '));
  const t = p.totals;
  if (t.foldedMacs !== t.macs) out(wrap(`Dense MACs ${si(t.macs)} as built, ${si(t.foldedMacs)} deployed (each linear chain on spikes folded into one conv); paper charges the deployed form, syops and neurobench the layers as built.`));
  out(wrap(`E_MAC ${p.costs.macPj} pJ, E_AC ${p.costs.acPj} pJ. NeuroBench: Dense ${si(t.synaptic.dense)}, Eff_MACs ${si(t.synaptic.effMacs)}, Eff_ACs ${si(t.synaptic.effAcs)}; membrane updates ${si(t.membraneUpdates)}; activation sparsity ${(100 * t.activationSparsity).toFixed(1)} %.`));
  out(wrap(`Latency ${ms(t.timeMs ?? 0)}/image in ORT kernels (session.run ${ms(r.latency.wallMs)}/image, activity taps ${ms(r.latency.tapMs)} more); peak activation memory ${bytes(t.peakActivationBytes)}/image.`));
}

/** Top-level nodes: firing rate in/out, dense MACs, energy under the convention and its share, time. */
function nodeTable(p: Profile, convention: Convention): string {
  const total = p.totals.energy[convention].pj || 1;
  const time = p.totals.timeMs || 1;
  const [unit, scale] = ENERGY_UNITS.find(([, s]) => total >= s) ?? ENERGY_UNITS[ENERGY_UNITS.length - 1]!;
  const rows = [['node', 'block', 'fr in', 'fr out', 'MACs', `E ${unit}`, 'E %', 'ms/img', 't %']];
  for (const r of p.rows) {
    const e = r.energy[convention].pj;
    rows.push([
      clip(r.id, 14),
      clip(r.block, 12),
      pct(meanRate(r.reads)),
      pct(meanRate(r.writes)),
      si(r.macs),
      fixed3(e / scale),
      e === 0 ? '' : ((100 * e) / total).toFixed(1),
      r.timeMs === undefined ? '' : r.timeMs.toFixed(3),
      r.timeMs === undefined || r.timeMs === 0 ? '' : ((100 * r.timeMs) / time).toFixed(1),
    ]);
  }
  return [`E per image under ${convention}; fr: mean firing rate (counts: spikes per element)`, columns(rows, new Set([2, 3, 4, 5, 6, 7, 8]))].join('\n');
}

function totalsTable(p: Profile): string {
  const e = p.totals.energy;
  const rows = [
    ['per image', ...CONVENTIONS],
    ['MACs', ...CONVENTIONS.map((c) => si(e[c].macs))],
    ['ACs (SOPs)', ...CONVENTIONS.map((c) => si(e[c].acs))],
    ['energy (mJ)', ...CONVENTIONS.map((c) => e[c].mj.toPrecision(4))],
  ];
  return columns(rows, new Set([1, 2, 3]));
}

function columns(rows: readonly (readonly string[])[], right: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

/** 1.23 G, 456 M, 12.3 k. */
export function si(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toPrecision(3)} G`;
  if (a >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  if (a >= 1e3) return `${(n / 1e3).toPrecision(3)} k`;
  return Number(n.toPrecision(3)).toString();
}

const ENERGY_UNITS: readonly (readonly [string, number])[] = [
  ['mJ', 1e9],
  ['µJ', 1e6],
  ['nJ', 1e3],
  ['pJ', 1],
];

/** Three significant digits without an exponent. */
function fixed3(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

function pct(x: number | undefined): string {
  if (x === undefined) return '-';
  const p = 100 * x;
  return `${p === 0 || p >= 1 ? p.toFixed(1) : p.toPrecision(2)}%`;
}

function ms(x: number): string {
  return x >= 1 ? `${x.toFixed(1)} ms` : `${(1000 * x).toFixed(0)} µs`;
}

function bytes(b: number): string {
  return b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`;
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function wrap(text: string, indent = '', width = 80): string {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(' ')) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `${indent}  ${word}`;
    } else line = line.trim() === '' ? `${indent}${word}` : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}
