#!/usr/bin/env node
// `npm test`: the whole suite, in the order a failure is cheapest to find — types, the layer rule
// (lint), unit and integration tests, then the end-to-end tests in a real browser.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  ['types', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint (layer imports)', 'npx', ['eslint', '.']],
  ['unit + integration tests', 'npx', ['vitest', 'run']],
];
if (existsSync('vitest.e2e.config.ts')) steps.push(['end-to-end tests (Chromium)', 'npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts']]);

let failed = 0;
for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`=== ${name}: FAILED (exit ${r.status ?? r.signal})\n`);
  }
}
process.stdout.write(`\n${steps.length - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
