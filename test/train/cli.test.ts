// `snn-studio train … --json` and `snn-studio eval`, run as a user runs them (bin/snn-studio.mjs):
// one JSON event per line on stdout, `done` with testAccuracy as a fraction, a checkpoint per
// epoch, and eval reproducing the test accuracy from that checkpoint.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lifCnn } from '../../templates/lif-cnn.js';
import { cli } from './helpers/cli.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('snn-studio train / eval', () => {
  it('--json prints one event per line; eval reproduces the test accuracy from the checkpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'snn-cli-'));
    dirs.push(dir);
    const docPath = join(dir, 'small.snn.json');
    await writeFile(docPath, JSON.stringify(lifCnn({ channels: [4, 8], timeSteps: 2 })));
    const out = join(dir, 'run');
    const r = await cli(['train', docPath, '--data', 'digits', '--epochs', '1', '--batch', '32', '--max-steps', '4', '--threads', '1', '--seed', '1', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; [k: string]: unknown });
    expect(events.map((e) => e.event)).toEqual(['start', 'step', 'step', 'step', 'step', 'epoch', 'done']);
    const done = events.at(-1)!;
    expect(typeof done.testAccuracy).toBe('number');
    expect(done.testAccuracy as number).toBeGreaterThanOrEqual(0);
    expect(done.testAccuracy as number).toBeLessThanOrEqual(1);
    expect(done.checkpoint).toBe(join(out, 'epoch-0001.json'));

    const ev = await cli(['eval', docPath, '--checkpoint', join(out, 'epoch-0001.json'), '--batch', '32', '--threads', '1', '--json']);
    expect(ev.code, ev.stderr).toBe(0);
    const result = JSON.parse(ev.stdout.trim()) as { testAccuracy: number; samples: number; firingRates: Record<string, number> };
    expect(result.samples).toBe(1501);
    expect(result.testAccuracy).toBe(done.testAccuracy);
    expect(Object.keys(result.firingRates)).toEqual(['lif1', 'lif2']);
  });

  it('refuses bad flags with exit code 2 and a message', async () => {
    const r = await cli(['train', 'lif-cnn', '--optimizer', 'rmsprop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--optimizer must be one of sgd, adam, adamw, lamb/);
  });
});
