#!/usr/bin/env node
// `npm test`: the whole suite, in the order a failure is cheapest to find — types, the layer rule
// (lint), unit and integration tests, then the end-to-end tests in a real browser. The summary
// lists every group of tests that was skipped and why: the tests record each skip
// (test/helpers/skip.ts) in the file named by SNN_TEST_SKIP_LOG.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const steps = [
  ['types', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint (layer imports)', 'npx', ['eslint', '.']],
  ['unit + integration tests', 'npx', ['vitest', 'run']],
];
if (existsSync('vitest.e2e.config.ts')) steps.push(['end-to-end tests (Chromium)', 'npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts']]);

const skipDir = mkdtempSync(join(tmpdir(), 'snn-test-skips-'));
const skipLog = join(skipDir, 'skips.jsonl');
const env = { ...process.env, SNN_TEST_SKIP_LOG: skipLog };

let failed = 0;
for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`=== ${name}: FAILED (exit ${r.status ?? r.signal})\n`);
  }
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
