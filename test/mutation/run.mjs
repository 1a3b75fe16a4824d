#!/usr/bin/env node
/**
 * The mutation check (README.md beside this file): for each deliberate engine fault of
 * engine/core/mutation.ts, runs the test files that should catch it with SNN_TEST_MUTATION set,
 * and reports which tests turned red: red under the fault and green without it (a baseline run of
 * the same files comes first; a test already red there proves nothing and is listed apart).
 * Exits 1 if any fault turns no test red.
 *
 *   node test/mutation/run.mjs                 every mutation
 *   node test/mutation/run.mjs vjp-nan         one
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The files each fault should turn red: the tests whose subject it breaks. */
const SUITES = {
  'vjp-nan': ['test/train/vjp-fd.test.ts', 'test/train/torch-layers.test.ts', 'test/train/torch-attention.test.ts', 'test/train/passes.test.ts', 'test/train/optimizer.test.ts'],
  'lif-threshold': ['test/core/neurons.numerics.test.ts', 'test/core/attention.numerics.test.ts', 'test/train/torch-spiking.test.ts', 'test/train/passes.test.ts'],
  'adam-skip': ['test/train/optimizer.test.ts', 'test/train/passes.test.ts', 'test/train/training.test.ts'],
};

/** What each fault breaks (engine/core/mutation.ts's MUTATIONS, for the report). */
const MUTATION_TEXT = {
  'vjp-nan': 'the linear VJP row returns NaN',
  'lif-threshold': 'the LIF threshold is 1e-3 too high',
  'adam-skip': 'the Adam/AdamW step skips its parameter update',
};

const names = process.argv.slice(2);
for (const n of names) if (!(n in SUITES)) throw new Error(`unknown mutation "${n}"; known: ${Object.keys(SUITES).join(', ')}`);
const chosen = names.length > 0 ? names : Object.keys(SUITES);

const dir = mkdtempSync(join(tmpdir(), 'snn-mutation-'));
const rows = [];
let alreadyRed;
try {
  const files = [...new Set(chosen.flatMap((n) => SUITES[n]))];
  const base = run('', files);
  alreadyRed = new Set(base.failed);
  process.stdout.write(`baseline (no mutation): ${base.passed} passed, ${base.failed.length} red${base.failed.map((t) => `\n  already red: ${t}`).join('')}\n`);
  for (const name of chosen) {
    const r = run(name, SUITES[name]);
    const turned = r.failed.filter((t) => !alreadyRed.has(t));
    rows.push({ name, turned, total: r.failed.length + r.passed });
    process.stdout.write(`${name}: ${turned.length} of ${r.failed.length + r.passed} tests turned red\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

process.stdout.write('\n| mutation | files run | tests turned red / run | tests turned red |\n|---|---|---|---|\n');
for (const r of rows) {
  const shown = r.turned.slice(0, 12).join('<br>') + (r.turned.length > 12 ? `<br>… and ${r.turned.length - 12} more` : '');
  process.stdout.write(`| ${r.name} | ${SUITES[r.name].map((f) => f.replace(/^test\//, '')).join(', ')} | ${r.turned.length} / ${r.total} | ${shown || 'none'} |\n`);
}
for (const r of rows) process.stdout.write(`\n${r.name} (${MUTATION_TEXT[r.name]}): ${r.turned.length} turned red\n${r.turned.map((t) => `  ${t}`).join('\n')}\n`);
const missed = rows.filter((r) => r.turned.length === 0);
if (missed.length > 0) {
  process.stdout.write(`\nNOT CAUGHT: ${missed.map((r) => r.name).join(', ')}\n`);
  process.exit(1);
}

/** Runs `files` under the mutation `name` ('' for none); the red tests (file › name) and the count passed. */
function run(name, files) {
  const out = join(dir, `${name || 'baseline'}.json`);
  const r = spawnSync('npx', ['vitest', 'run', '--reporter=json', `--outputFile=${out}`, ...files], {
    env: { ...process.env, SNN_TEST_MUTATION: name },
    stdio: ['ignore', 'ignore', 'inherit'],
    shell: process.platform === 'win32',
  });
  let report;
  try {
    report = JSON.parse(readFileSync(out, 'utf8'));
  } catch (e) {
    throw new Error(`mutation "${name}": vitest wrote no report (exit ${r.status ?? r.signal}): ${e.message}`);
  }
  const failed = [];
  let passed = 0;
  for (const file of report.testResults) {
    const short = file.name.replace(/^.*\/test\//, '');
    // a file that fails to load (its imports threw) has no assertions: it is red as a whole
    if (file.assertionResults.length === 0 && file.status === 'failed') failed.push(`${short} (did not load: ${String(file.message).split('\n')[0]})`);
    for (const t of file.assertionResults) {
      if (t.status === 'failed') failed.push(`${short} › ${t.fullName}`);
      else if (t.status === 'passed') passed++;
    }
  }
  return { failed, passed };
}
