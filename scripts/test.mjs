#!/usr/bin/env node
// `npm test`: the whole suite — types, the layer rule (lint), unit and integration tests, and the
// end-to-end tests in a real browser. The end-to-end tests run beside the unit tests (their output
// is held and printed after the unit tests'): the unit run ends on one long learning test that
// keeps one core busy, and the browser tests fill the other, which takes minutes off the suite on
// 2 cores. SNN_TEST_SERIAL=1 runs them one after the other. The unit files keep vitest's default of
// one worker fewer than the cores: with two workers on 2 cores, the learning tests' 2-thread
// sessions oversubscribed the cores (tiny-learning took 772 s instead of 269) and the suite got
// slower. The summary lists every group of tests that was skipped and why: the tests record each
// skip (test/helpers/skip.ts) in the file named by SNN_TEST_SKIP_LOG.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const shell = process.platform === 'win32';
const first = [
  ['types', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint (layer imports)', 'npx', ['eslint', '.']],
];
const unit = ['unit + integration tests', 'npx', ['vitest', 'run']];
const e2e = existsSync('vitest.e2e.config.ts') ? ['end-to-end tests (Chromium)', 'npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts']] : undefined;
const serial = process.env.SNN_TEST_SERIAL === '1';
const steps = [...first, unit, ...(e2e ? [e2e] : [])];

const skipDir = mkdtempSync(join(tmpdir(), 'snn-test-skips-'));
const skipLog = join(skipDir, 'skips.jsonl');
const env = { ...process.env, SNN_TEST_SKIP_LOG: skipLog };

let failed = 0;
const report = (name, status) => {
  if (status === 0) return;
  failed++;
  process.stdout.write(`=== ${name}: FAILED (exit ${status})\n`);
};
/** Runs a step with the terminal as its output; resolves when it ends (async, so that a step beside it keeps running). */
const runInline = ([name, cmd, args]) => {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const child = spawn(cmd, args, { stdio: 'inherit', env, shell });
  return new Promise((resolve) => child.on('close', (code, signal) => resolve(report(name, code ?? signal))));
};

for (const step of first) await runInline(step);
if (serial || !e2e) {
  await runInline(unit);
  if (e2e) await runInline(e2e);
} else {
  // the browser tests' output, held until the unit tests' is printed
  const [name, cmd, args] = e2e;
  const held = [];
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env, shell });
  child.stdout.on('data', (d) => held.push(d));
  child.stderr.on('data', (d) => held.push(d));
  const ended = new Promise((resolve) => child.on('close', (code, signal) => resolve(code ?? signal)));
  process.stdout.write(`\n(${name} run beside the unit tests; their output follows the unit tests')\n`);
  await runInline(unit);
  const status = await ended;
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  process.stdout.write(Buffer.concat(held));
  report(name, status);
}

const skips = skippedGroups(skipLog);
rmSync(skipDir, { recursive: true, force: true });
process.stdout.write(`\n${steps.length - failed} passed, ${failed} failed\n`);
if (skips.size === 0) process.stdout.write('no test group skipped\n');
else {
  process.stdout.write(`${skips.size} test group${skips.size === 1 ? '' : 's'} skipped:\n`);
  for (const [group, reason] of skips) process.stdout.write(`  - ${group}: ${reason}\n`);
}
process.exit(failed === 0 ? 0 : 1);

/** group → reason, each group once (a file imported by several workers records its skip in each). */
function skippedGroups(path) {
  const groups = new Map();
  if (!existsSync(path)) return groups;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const { group, reason } = JSON.parse(line);
    groups.set(group, reason);
  }
  return groups;
}
