// Learning, end to end through the CLI with a fixed seed (the CI check of the training engine):
// the `lif-cnn` template reaches >= 95% test accuracy on the bundled digits with its own training
// settings (Adam 1e-3, cosine, 3 epochs, batch 64), and the tiny Spikformer (1 block, D = 32)
// >= 90% with AdamW at 5e-3 for its 2 epochs — each one `snn-studio train` run of a few minutes on
// two cores.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';

async function trainToAccuracy(target: string, flags: string[]): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'snn-learn-'));
  try {
    const r = await cli(['train', target, '--data', 'digits', '--seed', '0', '--out', join(dir, 'run'), '--json', ...flags]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; testAccuracy?: number; seconds?: number });
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    console.log(`${target}: test accuracy ${(100 * done.testAccuracy!).toFixed(2)}% in ${done.seconds!.toFixed(0)} s`);
    return done.testAccuracy!;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('learning', () => {
  it('lif-cnn reaches >= 95% on digits in one CLI run', { timeout: 30 * 60_000 }, async () => {
    expect(await trainToAccuracy('lif-cnn', [])).toBeGreaterThanOrEqual(0.95);
  });

  it('the tiny Spikformer reaches >= 90% on digits in one CLI run', { timeout: 30 * 60_000 }, async () => {
    expect(await trainToAccuracy('spikformer:tiny', ['--lr', '5e-3'])).toBeGreaterThanOrEqual(0.9);
  });
});
