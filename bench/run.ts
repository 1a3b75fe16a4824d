/**
 * `npm run bench [-- <suite>...]`: runs every `bench/suites/*.ts` module (or the named ones), prints
 * one table of their rows with the peer's number and how many times better we are, and writes the
 * rows to `bench/results/latest.json` (rows of suites not run this time are kept from the last file;
 * with BENCH_FILTER=<regex>, which suites may use to run a subset, only the rows measured are replaced).
 *
 * Each suite exports `async function run(): Promise<BenchRow[]>` (bench/types.ts), and may export
 * `report(rows)`, called after the file is written with all its rows, to draw files such as plots
 * from them. A suite that throws is reported and makes the exit status 1; the other suites still run.
 *
 * On Linux the bench runs under the same huge-pages tunable as the app (engine/runtime/huge-pages.ts),
 * and every process it starts inherits it, PyTorch's peer included: both sides run in one environment.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { relaunchWithHugePages } from '../engine/runtime/huge-pages.js';
import type { BenchRow, BenchSuite } from './types.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SUITES_DIR = join(HERE, 'suites');
const RESULTS = join(HERE, 'results', 'latest.json');

async function main(): Promise<number> {
  // the page size behind both sides' tensors moves their ratios (README: what the bench measured)
  console.log(`[bench] GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? '(unset)'}`);
  const available = readdirSync(SUITES_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !available.includes(w));
  if (unknown.length > 0) {
    console.error(`unknown suite(s) ${unknown.join(', ')}; available: ${available.join(', ')}`);
    return 2;
  }
  const suites = wanted.length > 0 ? wanted : available;
  const rows: BenchRow[] = [];
  const reports: [string, NonNullable<BenchSuite['report']>][] = [];
  let failed = false;
  for (const name of suites) {
    const started = performance.now();
    console.error(`[bench] ${name} …`);
    try {
      const mod = (await import(pathToFileURL(join(SUITES_DIR, `${name}.ts`)).href)) as Partial<BenchSuite>;
      if (typeof mod.run !== 'function') throw new Error(`bench/suites/${name}.ts does not export run()`);
      const got = await mod.run();
      if (typeof mod.report === 'function') reports.push([name, mod.report.bind(mod)]);
      rows.push(...got.map((r) => ({ ...r, suite: r.suite || name })));
      console.error(`[bench] ${name}: ${got.length} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    } catch (e) {
      failed = true;
      console.error(`[bench] ${name} failed: ${(e as Error)?.stack ?? String(e)}`);
    }
  }
  console.log(formatTable(rows));
  const written = writeResults(rows, new Set(suites));
  for (const [name, report] of reports) {
    try {
      await report(written);
    } catch (e) {
      failed = true;
      console.error(`[bench] ${name} report failed: ${(e as Error)?.stack ?? String(e)}`);
    }
  }
  return failed ? 1 : 0;
}

/** Units where less is better: the "×" column is peer ÷ ours for these, ours ÷ peer otherwise. */
const LOWER_IS_BETTER = /^(ns|µs|us|ms|s|min|B|KB|KiB|MB|MiB|GB|GiB)$/;

export function advantage(r: BenchRow): number | undefined {
  if (r.peer === undefined || !Number.isFinite(r.peer) || !Number.isFinite(r.value) || r.value === 0 || r.peer === 0) return undefined;
  return LOWER_IS_BETTER.test(r.unit) ? r.peer / r.value : r.value / r.peer;
}

export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['suite', 'name', 'value', 'unit', 'peer', '× peer', 'note'];
  const body = rows.map((r) => {
    const adv = advantage(r);
    return [r.suite, r.name, fmt(r.value), r.unit, r.peer === undefined ? '' : fmt(r.peer), adv === undefined ? '' : `${adv.toFixed(2)}×`, r.note ?? ''];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 2 || i === 4 || i === 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line), '', '× peer: how many times better than the peer (peer ÷ ours for times and sizes).'].join('\n');
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) return v.toExponential(3);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(4);
}

/** Writes latest.json and returns every row it now holds. */
function writeResults(rows: readonly BenchRow[], ran: ReadonlySet<string>): BenchRow[] {
  let kept: BenchRow[] = [];
  if (existsSync(RESULTS)) {
    try {
      const old = JSON.parse(readFileSync(RESULTS, 'utf8')) as unknown;
      // a filtered run (BENCH_FILTER, or the scaling suite's BENCH_SCALING_POINTS) replaces only the rows it measured
      const measured = new Set(rows.map((r) => `${r.suite}\u0000${r.name}`));
      const subset = Boolean(process.env.BENCH_FILTER || process.env.BENCH_SCALING_POINTS);
      const replaced = (r: BenchRow): boolean => (subset ? measured.has(`${r.suite}\u0000${r.name}`) : ran.has(r.suite));
      if (Array.isArray(old)) kept = (old as BenchRow[]).filter((r) => !replaced(r));
    } catch {
      // an unreadable old file is replaced
    }
  }
  mkdirSync(join(HERE, 'results'), { recursive: true });
  const all = [...kept, ...rows];
  writeFileSync(RESULTS, JSON.stringify(all, null, 2) + '\n');
  console.error(`[bench] wrote ${RESULTS}`);
  return all;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = (await relaunchWithHugePages()) ?? (await main());
}
